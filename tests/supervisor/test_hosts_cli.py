"""Commands on one host of several: `--host`, `host/program` targets, and `restart` refusing a
name that matches programs on several hosts unless `--all-hosts` (two real supervisords)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.cli import main
from console.core.store.engine import make_engine, upgrade
from tests.support.supervisord import Program


@pytest.fixture
def two_hosts(supervisord_factory, tmp_path: Path, sqlite_url: str):
    """web-1 (this console's host) and web-2, each a supervisord running `web`."""
    upgrade(make_engine(sqlite_url))
    one = supervisord_factory([Program("web", "sleep 60")])
    two = supervisord_factory([Program("web", "sleep 60"), Program("cron", "sleep 60")])
    for sv in (one, two):
        sv.wait_for_state("web", {"RUNNING"})
    config = tmp_path / "stackwatch.toml"
    config.write_text(
        f'host = "web-1"\ndatabase_url = "{sqlite_url}"\ndata_dir = "{tmp_path / "data"}"\n'
        f'[[supervisor]]\nname = "one"\nurl = "{one.url}"\n'
        f'[[supervisor]]\nname = "two"\nurl = "{two.url}"\nhost = "web-2"\n'
    )
    return one, two, ["--config", str(config)]


def _pid(sv) -> int:
    return sv.rpc().supervisor.getProcessInfo("web")["pid"]


def test_a_name_on_several_hosts_is_refused_with_the_list(two_hosts, capsys) -> None:
    one, two, args = two_hosts
    before = (_pid(one), _pid(two))
    assert main([*args, "restart", "web", "--yes"]) == 2
    err = capsys.readouterr().err
    assert "matches programs on 2 hosts" in err and "web-1/" in err and "web-2/" in err
    assert "--all-hosts" in err
    assert (_pid(one), _pid(two)) == before  # the command returned: nothing was restarted


def test_host_slash_program_restarts_on_that_host_only(two_hosts, capsys) -> None:
    one, two, args = two_hosts
    before = (_pid(one), _pid(two))
    assert main([*args, "restart", "web-2/web", "--yes"]) == 0
    assert _pid(one) == before[0] and _pid(two) != before[1]
    assert main([*args, "restart", "web", "--host", "web-1", "--yes"]) == 0
    assert _pid(one) != before[0]
    assert main([*args, "restart", "web-2/web", "--host", "web-1", "--yes"]) == 2


def test_all_hosts_restarts_everywhere(two_hosts, capsys) -> None:
    one, two, args = two_hosts
    before = (_pid(one), _pid(two))
    assert main([*args, "restart", "web", "--all-hosts", "--yes"]) == 0
    assert _pid(one) != before[0] and _pid(two) != before[1]


def test_status_looks_at_the_host_asked(two_hosts, capsys) -> None:
    _one, _two, args = two_hosts
    assert main([*args, "status", "--json", "--host", "web-2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["host"] == "web-2" and [e["name"] for e in data["endpoints"]] == ["two"]
    assert {p["full_name"] for p in data["processes"]} == {"web:web", "cron:cron"}
    assert main([*args, "status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["host"] == "web-1" and [e["name"] for e in data["endpoints"]] == ["one"]
    assert main([*args, "status", "--host", "nowhere"]) == 2
    assert "no supervisord configured for host nowhere" in capsys.readouterr().err


def test_doctor_looks_at_the_host_asked(two_hosts, capsys) -> None:
    _one, two, args = two_hosts
    main([*args, "doctor", "--json", "--host", "web-2"])
    data = json.loads(capsys.readouterr().out)
    shown = json.dumps([c for c in data["checks"] if c["area"] == "supervisord"])
    assert data["host"] == "web-2" and two.url.removeprefix("unix://") in shown
    assert _one.url.removeprefix("unix://") not in shown
