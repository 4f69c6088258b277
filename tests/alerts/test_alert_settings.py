"""`[[alert]]` and `[alerts]` settings: defaults with no configuration, changes and additions,
and a bad rule as one line naming the key (a target never quoted: it may hold a token)."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.alerts.rules import DEFAULT_RULES, duration
from console.core.redact import mask_target
from console.core.settings import SettingsError, load_settings


def load(tmp_path: Path, text: str, env: dict | None = None):
    conf = tmp_path / "s.toml"
    conf.write_text(text)
    return load_settings(str(conf), env=env or {}).settings


def test_defaults_need_no_configuration():
    settings = load_settings(env={}).settings
    assert settings.alert_rules == DEFAULT_RULES
    kinds = {r.kind for r in settings.alert_rules}
    assert {"fatal", "exited", "crash_loop", "heartbeat", "job_missed", "job_failed"} <= kinds
    assert {"queue_pending", "queue_oldest", "metric", "disk_full", "source_down"} <= kinds
    assert settings.alerts_notify == () and settings.alerts_repeat == 4 * 3600


def test_a_table_changes_a_default_rule_or_adds_one(tmp_path: Path):
    settings = load(
        tmp_path,
        '[alerts]\nnotify = ["json://127.0.0.1:9/hook"]\nrepeat = "1h"\n'
        '[[alert]]\nname = "crash_loop"\ncount = 3\nwindow = "2m"\n'
        '[[alert]]\nname = "cpu_high"\nenabled = false\n'
        '[[alert]]\nname = "web_fatal"\nkind = "fatal"\nmatch = "web:*"\n'
        'notify = ["mailto://ops:pw@mail.example/x"]\n',
    )
    rules = {r.name: r for r in settings.alert_rules}
    assert rules["crash_loop"].count == 3 and rules["crash_loop"].window_s == 120
    assert not rules["cpu_high"].enabled
    assert rules["web_fatal"].notify == ("mailto://ops:pw@mail.example/x",)
    assert settings.alerts_repeat == 3600
    assert settings.alerts_notify == ("json://127.0.0.1:9/hook",)
    assert "mailto://ops:pw@mail.example/x" in settings.secrets()


def test_targets_from_the_environment_are_comma_separated():
    env = {"STACKWATCH_ALERTS_NOTIFY": "json://127.0.0.1:9/a, command:/bin/cat -n"}
    settings = load_settings(env=env).settings
    assert settings.alerts_notify == ("json://127.0.0.1:9/a", "command:/bin/cat -n")
    assert "command:/bin/cat ***" in repr(settings) and "-n" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[alert]]\nkind = "fatal"\n', "alert"),
        ('[[alert]]\nname = "new"\n', "alert 'new'"),
        ('[[alert]]\nname = "x"\nkind = "nope"\n', "alert.kind"),
        ('[[alert]]\nname = "cpu_high"\nfor = "5 weeks"\n', "alert.for"),
        ('[[alert]]\nname = "cpu_high"\nthreshold = "high"\n', "alert.threshold"),
        ('[[alert]]\nname = "cpu_high"\nbogus = 1\n', "alert.bogus"),
        ('[[alert]]\nname = "x"\nkind = "metric"\n', "alert 'x'.metric"),
        (
            '[[alert]]\nname = "a"\nkind = "fatal"\n[[alert]]\nname = "a"\nkind = "fatal"\n',
            "alert.name",
        ),
        ("alert = 3\n", "alert"),
        ('[alerts]\nrepeat = "1s"\n', "alerts.repeat"),
        ('[alerts]\nnotify = ["slack://TOKEN SECRET"]\n', "alerts.notify"),
    ],
)
def test_a_bad_rule_is_one_line_naming_the_key(tmp_path: Path, text: str, key: str):
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(f"settings: {key} in ") and "\n" not in message
    assert "SECRET" not in message


def test_duration_words():
    assert duration("90s") == 90 and duration("5m") == 300 and duration("2h") == 7200
    assert duration(15) == 15 and duration("1d") == 86400
    for bad in ("", "5 weeks", True, -1, "1e9h"):
        with pytest.raises(ValueError):
            duration(bad)


def test_a_target_shows_only_scheme_and_host():
    assert mask_target("slack://TokenA/TokenB/TokenC") == "slack://TokenA/***"
    assert mask_target("json://user:pw@127.0.0.1:8080/hook?x=1") == "json://127.0.0.1:8080/***"
    assert mask_target("ntfy://ntfy.sh") == "ntfy://ntfy.sh"
    assert mask_target("command:/usr/bin/page --key abc") == "command:/usr/bin/page ***"
