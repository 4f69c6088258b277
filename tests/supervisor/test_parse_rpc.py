"""getAllProcessInfo / getAllConfigInfo answers that do not fit: each process that does not
fit is an Invalid naming the field, the rest are kept; nothing raises. (Pure functions over
the structs xmlrpc.client hands back; the real supervisord path is in test_cli/test_client.)"""

from __future__ import annotations

import pytest

from console.core.supervisor.models import parse_config_info, parse_processes

GOOD = {
    "group": "web",
    "name": "app",
    "state": 20,
    "statename": "RUNNING",
    "pid": 42,
    "start": 100,
    "stop": 0,
    "now": 160,
    "exitstatus": 0,
    "spawnerr": "",
    "stdout_logfile": "/var/log/app.log",
    "stderr_logfile": "",
    "description": "pid 42, uptime 0:01:00",
}


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({**GOOD, "name": "w2", "pid": "42"}, "web:w2 pid is a string"),
        ({**GOOD, "name": "w2", "now": float("nan")}, "web:w2 now is NaN"),
        ({**GOOD, "name": "w2", "start": 10**30}, "web:w2 start is out of range"),
        ({**GOOD, "name": "w2", "statename": ["RUNNING"]}, "web:w2 statename is a list, not text"),
        ({**GOOD, "name": ""}, "a process has no group or name"),
        ("web:app", "a process is a string, not a struct"),
        (dict(GOOD), "web:app is listed twice"),
    ],
)
def test_a_process_that_does_not_fit_is_invalid_and_the_rest_kept(bad, reason) -> None:
    processes, invalid = parse_processes("main", [GOOD, bad])
    assert [p.full_name for p in processes] == ["web:app"]
    assert [(i.what, i.reason) for i in invalid] == [("supervisord main", reason)]


def test_an_answer_that_is_no_list_is_one_invalid() -> None:
    processes, invalid = parse_processes("main", {"faultCode": 1})
    assert processes == [] and "answered an object, not a list" in str(invalid[0])


def test_markup_and_controls_in_names_are_kept_as_inert_text() -> None:
    hostile = {**GOOD, "name": "[@click=app.quit]x[/]\x1b[2J", "spawnerr": "a\nb"}
    (process,), _ = parse_processes("main", [hostile])
    assert process.name == "[@click=app.quit]x[/]\\x1b[2J" and process.spawnerr == "a"


def test_config_options_of_the_wrong_type_count_as_not_set() -> None:
    config = parse_config_info(
        [
            {"group": "web", "name": "app", "stopsignal": "INT", "autostart": False},
            {"group": 1, "name": "x"},
            "junk",
        ]
    )
    assert config == {"web:app": {"group": "web", "name": "app", "autostart": False}}
