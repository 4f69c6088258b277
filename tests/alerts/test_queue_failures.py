"""The queue failure-rate rule: new failures per minute over its window from the sampled failed
counts (a drop is no failure), the default threshold, and its settings checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.alerts.evaluate import evaluate
from console.core.alerts.model import FIRING, RESOLVED, Readings
from console.core.alerts.queue_rate import failed_series, failure_rate
from console.core.alerts.rules import DEFAULT_RULES
from console.core.settings import SettingsError, load_settings

HOST = "web1"
T0 = 1_800_000_000.0
RULE = next(r for r in DEFAULT_RULES if r.name == "queue_failures")


def series(*counts: float, step: float = 60.0, end: float = T0) -> tuple:
    start = end - step * (len(counts) - 1)
    return tuple((start + i * step, float(n)) for i, n in enumerate(counts))


def readings(**queues: tuple) -> Readings:
    return Readings(HOST, queue_failed=dict(queues))


def run(r: Readings, states=None, now: float = T0):
    return evaluate([RULE], r, states or {}, [], now, 4 * 3600.0)


def test_only_rises_count_and_the_rate_is_per_minute_of_the_window():
    assert failure_rate(series(0, 4, 2, 10, 10, 12), 600, T0) == (14.0, 1.4)
    assert failure_rate(series(5, 5, 5), 600, T0) is None  # two minutes of a ten-minute window
    assert failure_rate(series(*[5] * 11), 600, T0) == (0.0, 0.0)


def test_the_default_fires_at_ten_failures_in_ten_minutes_and_resolves():
    assert RULE.enabled and RULE.threshold == 1.0 and RULE.window_s == 600
    busy = series(*range(0, 22, 2))  # 20 failures in 10 min
    calm = series(*range(0, 11))  # 10 failures in 10 min: at the threshold
    quiet = series(*[3] * 11)
    found = run(readings(mail=busy, web=calm, idle=quiet))
    assert {s.subject: s.value for s in found.states.values()} == {"mail": 2.0, "web": 1.0}
    assert all(s.status == FIRING for s in found.states.values())
    note = next(n for n in found.notifications if n.subject == "mail")
    assert "queue mail: 20 jobs failed in 10 min" in note.summary and note.threshold == 1.0
    later = run(readings(mail=series(*[20] * 11, end=T0 + 600)), found.states, T0 + 600)
    assert later.states[note.fingerprint].status == RESOLVED


def test_unreadable_samples_keep_the_alert_and_junk_is_skipped():
    found = run(readings(mail=series(*range(0, 22, 2))))
    kept = run(Readings(HOST), found.states)
    assert kept.states == found.states and not kept.notifications
    samples = [
        {"ts": T0 - 60, "queues": {"mail": {"failed": 1}, "bad": {"failed": "x"}}},
        {"ts": "never", "queues": {"mail": {"failed": 9}}},
        {"ts": T0, "queues": {"mail": {"failed": 3, "pending": 1}, "odd": [1]}},
    ]
    assert failed_series(samples) == {"mail": ((T0 - 60, 1.0), (T0, 3.0))}


def load(tmp_path: Path, text: str):
    conf = tmp_path / "s.toml"
    conf.write_text(text)
    return load_settings(str(conf), env={}).settings


def test_threshold_and_window_are_configurable(tmp_path: Path):
    text = '[[alert]]\nname = "queue_failures"\nthreshold = 0.5\nwindow = "30m"\nmatch = "mail"\n'
    rule = next(r for r in load(tmp_path, text).alert_rules if r.name == "queue_failures")
    assert (rule.threshold, rule.window_s, rule.match) == (0.5, 1800, "mail")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("threshold = 0", "alert 'queue_failures'.threshold"),
        ("threshold = -3", "alert 'queue_failures'.threshold"),
        ('window = "10s"', "alert 'queue_failures'.window"),
        ('window = "1d"', "alert 'queue_failures'.window"),
    ],
)
def test_a_bad_rate_rule_is_one_line(tmp_path: Path, text: str, key: str):
    with pytest.raises(SettingsError) as err:
        load(tmp_path, f'[[alert]]\nname = "queue_failures"\n{text}\n')
    message = str(err.value)
    assert key in message and "\n" not in message
