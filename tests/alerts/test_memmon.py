"""The memmon rule (off by default): a program over its memory limit (with children) is
restarted by the worker and audited; a read-only worker refuses. Real supervisord, Redis and
store; the memory is what the collection measured and published."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from console.core.alerts.conditions import findings
from console.core.alerts.memmon import ProgramMemory
from console.core.alerts.model import Readings
from console.core.alerts.rules import DEFAULT_RULES
from console.core.settings import SettingsError, load_settings
from console.core.settings_tables import SupervisorEndpoint
from console.core.store import audit
from console.core.store.alert_history import recent
from console.core.store.engine import make_engine, upgrade
from jobs.alerts import evaluate_alerts
from jobs.collection import collect_system_metrics
from jobs.context import JobContext
from tests.jobs.helpers import settings_for
from tests.support.supervisord import Program
from tests.support.waits import wait_until

RULE = next(r for r in DEFAULT_RULES if r.name == "memory_restart")
HOG = f"{sys.executable} -c \"b = b'x' * (80 * 1024 * 1024); import time; time.sleep(600)\""


def test_off_by_default_and_enabling_needs_a_limit(tmp_path: Path) -> None:
    assert not RULE.enabled
    conf = tmp_path / "s.toml"
    conf.write_text('[[alert]]\nname = "memory_restart"\nenabled = true\n')
    with pytest.raises(SettingsError) as err:
        load_settings(str(conf), env={})
    assert "memory_restart'.threshold" in str(err.value) and "\n" not in str(err.value)
    conf.write_text('[[alert]]\nname = "memory_restart"\nenabled = true\nthreshold = 512\n')
    rules = load_settings(str(conf), env={}).settings.alert_rules
    assert next(r for r in rules if r.name == "memory_restart").threshold == 512


def test_the_rule_finds_programs_over_the_limit_and_cannot_tell_without_a_list() -> None:
    rule = replace(RULE, enabled=True, threshold=100)
    memory = (ProgramMemory("default", "web:web", 150.0), ProgramMemory("x", "a:b", 20.0))
    found = findings(rule, Readings("h", program_memory=memory), 0)
    assert found is not None and [(f.subject, f.value) for f in found] == [("web:web", 150.0)]
    assert findings(rule, Readings("h"), 0) is None


def hog_ctx(redis_url: str, tmp_path: Path, sv_url: str, read_only: bool) -> JobContext:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    upgrade(make_engine(url))
    rules = tuple(
        replace(r, enabled=True, threshold=40) if r.name == "memory_restart" else r
        for r in DEFAULT_RULES
    )
    settings = settings_for(
        redis_url=redis_url,
        database_url=url,
        supervisors=(SupervisorEndpoint("local", sv_url),),
        alert_rules=rules,
        read_only=read_only,
    )
    return JobContext(settings)


@pytest.mark.slow
@pytest.mark.parametrize("read_only", [False, True], ids=["restarts", "read-only"])
def test_a_program_over_its_limit_is_restarted_and_audited(
    redis_url: str, tmp_path: Path, supervisord_factory, read_only: bool
) -> None:
    sv = supervisord_factory([Program("hog", HOG, {"startsecs": "1"})])
    pid = sv.wait_for_state("hog", {"RUNNING"})["pid"]
    ctx = hog_ctx(redis_url, tmp_path, sv.url, read_only)
    try:

        def rss_published() -> bool:
            collect_system_metrics(ctx)
            evaluate_alerts(ctx)
            return any(h.rule == "memory_restart" for h in recent(ctx.engine, "test-host", 0))

        wait_until(rss_published, "the memory_restart alert", timeout=60)
        events = [h.event for h in recent(ctx.engine, "test-host", 0) if h.rule == "memory_restart"]
        entries = [e for e in audit.recent(ctx.engine) if e.user == "stackwatch-worker"]
    finally:
        ctx.close()
    now_pid = sv.wait_for_state("hog", {"RUNNING"})["pid"]
    assert "firing" in events
    assert len(entries) == 1 and entries[0].target == "local/hog:hog"
    if read_only:
        assert "restart refused" in events and now_pid == pid
        assert "read-only" in entries[0].result
    else:
        assert "restarted" in events and now_pid != pid
        assert entries[0].result.startswith("memory_restart: restarted")
