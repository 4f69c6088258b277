"""Every setting is checked at load, from every source: one line naming the key and where it was
set, exit 2, never a traceback; doctor reports the same line as a FAIL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.cli import main
from console.core.settings import SettingsError, load_settings

BAD_FILES = [
    # (TOML, the key named in the line, a fragment of the reason)
    ("[collect]\ninterval = nan\n", "collect.interval", "got nan"),
    ("[collect]\ninterval = inf\n", "collect.interval", "got inf"),
    ("[collect]\ninterval = 1e300\n", "collect.interval", "between 1 and 86400"),
    ("[collect]\ninterval = -5\n", "collect.interval", "got -5"),
    ("[collect]\ninterval = true\n", "collect.interval", "whole number"),
    ("[collect]\ninterval = 9223372036854775807\n", "collect.interval", "between 1 and 86400"),
    ("[collect]\ninterval = 'often'\n", "collect.interval", "got 'often'"),
    ("[collect]\ncleanup_hour = 24\n", "collect.cleanup_hour", "between 0 and 23"),
    ("[retention]\ndays = 0\n", "retention.days", "between 1"),
    ("[refresh]\nlogs = nan\n", "refresh.logs", "finite number"),
    ("[refresh]\ndashboard = -inf\n", "refresh.dashboard", "finite number"),
    ("supervisor_timeout = inf\n", "supervisor_timeout", "finite number"),
    ("supervisor_timeout = false\n", "supervisor_timeout", "finite number"),
    ("[worker]\nworkers = 0\n", "worker.workers", "between 1 and 64"),
    ("read_only = 'maybe'\n", "read_only", "true or false"),
    ('redis_url = "localhost:6379"\n', "redis_url", "must be a URL starting with"),
    ('redis_url = "redis://127.0.0.1:70000/0"\n', "redis_url", "1-65535"),
    ('redis_url = "redis://127.0.0.1:0/0"\n', "redis_url", "port between 1 and 65535"),
    ('redis_url = "redis://[::1:6379/0"\n', "redis_url", "IPv6 as [::1]"),
    ('redis_url = "redis://127.0.0.1:6379/zero"\n', "redis_url", "database number"),
    ("redis_url = 6379\n", "redis_url", "URL string"),
    ('database_url = "mysql://db/x"\n', "database_url", "sqlite://"),
    ('database_url = "postgresql://db:99999/x"\n', "database_url", "1-65535"),
    ('timezone = "Mars/Olympus"\n', "timezone", "known time zone"),
    ('timezone = "../../etc/passwd"\n', "timezone", "known time zone"),
    ("timezone = 1\n", "timezone", "non-empty string"),
    ("data_dir = 5\n", "data_dir", "must be a path"),
    ("data_dir = ['a']\n", "data_dir", "must be a path"),
    ('host = ""\n', "host", "host name"),
    ('host = "a b"\n', "host", "host name"),
    ("colour = 1\n", "colour", "unknown key"),
    ('[[supervisor]]\nurl = "http://[::1:9001"\n', "supervisor.url", "IPv6 as [::1]"),
    ('[[supervisor]]\nurl = "http://127.0.0.1:65536"\n', "supervisor.url", "1-65535"),
    ('[[supervisor]]\nurl = "ftp://host"\n', "supervisor.url", "unix:// or http://"),
    ("[[supervisor]]\nurl = 9001\n", "supervisor.url", "URL string"),
    ('[[supervisor]]\nurl = "unix:///a"\nusername = 5\n', "supervisor.username", "string"),
    ('[[supervisor]]\nurl = "unix:///a"\nhost = "a b"\n', "supervisor.host", "host name"),
    (
        '[[supervisor]]\nurl = "unix:///a"\n'
        '[[supervisor]]\nurl = "unix:///b"\nname = "supervisor1"\n',
        "supervisor.name",
        "used twice",
    ),
    ("[[log]]\npath = 5\n", "log.path", "must be a path"),
    ('[[queue]]\nname = "q"\nkind = "kafka"\n', "queue.kind", "must be one of"),
    ('[[queue]]\nname = "q"\nwarning = true\n', "queue.warning", "whole number"),
    ('[[queue]]\nname = "q"\nhidden = "yes"\n', "queue.hidden", "true or false"),
    ('[[queue]]\nname = "q"\nwarning = 9\ncritical = 1\n', "queue.warning", "exceed critical"),
    ("[thresholds]\ncpu_percent = [nan, 95]\n", "thresholds.cpu_percent", "finite"),
    ("[thresholds]\ncpu_percent = [90, 10]\n", "thresholds.cpu_percent", "warning ≤ critical"),
    ("[thresholds]\ncpu_percent = [true, 10]\n", "thresholds.cpu_percent", "finite numbers"),
    ('[keys]\n"processes.restrt" = "r"\n', "keys.processes.restrt", "'processes.restart'"),
    ('[keys]\n"processes.restart" = "ctrl+bogus"\n', "keys.processes.restart", "not a key name"),
    ('[keys]\n"processes.restart" = "hyperctrl+r"\n', "keys.processes.restart", "modifier"),
    ('[keys]\n"processes.restart" = 5\n', "keys.processes.restart", "string of key names"),
    ('[keys]\n"processes.restart" = "r,,x"\n', "keys.processes.restart", "separated by commas"),
]


@pytest.mark.parametrize(("text", "key", "reason"), BAD_FILES)
def test_a_bad_value_in_the_file_is_one_line_naming_key_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, reason: str
) -> None:
    conf = tmp_path / "bad.toml"
    conf.write_text(text)
    with pytest.raises(SettingsError):
        load_settings(str(conf), env={})
    assert main(["--config", str(conf), "config"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"stackwatch: settings: {key} in {conf}: ")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert reason in captured.err


BAD_ENVIRONMENT = [
    ("STACKWATCH_COLLECT_INTERVAL", "nan", "whole number"),
    ("STACKWATCH_COLLECT_INTERVAL", "1e400", "whole number"),
    ("STACKWATCH_REFRESH_LOGS", "inf", "finite number"),
    ("STACKWATCH_RPC_TIMEOUT", "-1", "finite number"),
    ("STACKWATCH_READ_ONLY", "maybe", "true or false"),
    ("STACKWATCH_REDIS_URL", "redis://127.0.0.1:99999/0", "1-65535"),
    ("STACKWATCH_DATABASE_URL", "postgresql://[::1/x", "IPv6"),
    ("STACKWATCH_TIMEZONE", "Nowhere/City", "known time zone"),
    ("STACKWATCH_SUPERVISOR_URL", "web=http://[::1:9001", "IPv6"),
    ("STACKWATCH_SUPERVISOR_URL", "web=unix:///a,web=unix:///b", "used twice"),
]


@pytest.mark.parametrize(("var", "value", "reason"), BAD_ENVIRONMENT)
def test_a_bad_environment_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    var: str,
    value: str,
    reason: str,
) -> None:
    monkeypatch.setenv(var, value)
    assert main(["config"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"stackwatch: settings: {var} in the environment: ")
    assert reason in err and err.count("\n") == 1


def test_a_bad_flag_names_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--redis-url", "redis://h:0/0", "config"]) == 2
    assert capsys.readouterr().err.startswith(
        "stackwatch: settings: --redis-url on the command line: "
    )
    assert main(["--supervisor-url", "http://[::1:9001", "status"]) == 2
    assert "--supervisor-url on the command line" in capsys.readouterr().err


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWATCH_COLLECT_INTERVAL", "")
    monkeypatch.setenv("STACKWATCH_DATABASE_URL", "")
    settings = load_settings().settings
    assert settings.collect_interval == 60
    assert settings.resolved_database_url.startswith("sqlite:///")


def test_good_values_at_every_edge_are_accepted(tmp_path: Path) -> None:
    conf = tmp_path / "edges.toml"
    conf.write_text(
        'redis_url = "redis://user:pw@[::1]:65535/15"\n'
        'database_url = "postgresql://u:p@/stackwatch?host=/var/run/postgresql"\n'
        'timezone = "Pacific/Kiritimati"\n'
        "[collect]\ninterval = 86400.0\nstore_interval = 1\ncleanup_hour = 0\n"
        "[refresh]\nlogs = 0.05\n"
        '[[supervisor]]\nurl = "http://[::1]:1"\n'
        '[keys]\n"processes.restart" = "ctrl+r,R"\n"app.help" = "f1,question_mark"\n'
        '"logs.search" = "slash,ctrl+shift+f"\n'
    )
    s = load_settings(str(conf), env={}).settings
    assert s.collect_interval == 86400 and isinstance(s.collect_interval, int)
    assert s.refresh_logs == 0.05
    assert s.supervisors[0].url == "http://[::1]:1"
    assert s.keys["processes.restart"] == "ctrl+r,R"


def test_doctor_reports_bad_settings_as_its_failed_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = tmp_path / "bad.toml"
    conf.write_text("[collect]\ninterval = nan\n")
    line = f"settings: collect.interval in {conf}: must be a whole number"
    assert main(["--config", str(conf), "config"]) == 2
    assert line in capsys.readouterr().err
    assert main(["--config", str(conf), "doctor"]) == 2
    out = capsys.readouterr().out
    assert f"FAIL  {line}" in out and "Traceback" not in out
    assert main(["--config", str(conf), "doctor", "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    check = report["checks"][0]
    assert check["status"] == "fail" and f"{check['name']}: {check['detail']}".startswith(line)


HOSTILE = [
    "nan", "inf", "-inf", "0", "-1", "9" * 400, "1e308", "-1e308", "0.0000001", "true",
    '""', '" "', '"x"', '"\\u0000"', '"\\u001b[31m"', '"' + "a" * 5000 + '"', "[]", "[1, 2]",
    "{}", "{ a = 1 }", "1979-05-27T07:32:00Z", '"redis://:p@[::1:1/0"', '"http://h:99999"',
]  # fmt: skip
TABLE_FIELDS = {
    "supervisor": ("name", "url", "username", "password_env", "host"),
    "queue": ("name", "kind", "key", "warning", "critical", "hidden"),
    "log": ("name", "path"),
    "alert": (
        "name",
        "kind",
        "enabled",
        "for",
        "threshold",
        "count",
        "window",
        "metric",
        "match",
        "repeat",
        "notify",
        "severity",
    ),
}


def _keys_and_tables() -> list[str]:
    from console.core.settings_check import TOML_KEYS

    scalars = [
        f"[{key.split('.')[0]}]\n{key.split('.')[1]} = {{v}}\n"
        if "." in key
        else f"{key} = {{v}}\n"
        for key in TOML_KEYS
    ]
    required = {
        "supervisor": 'url = "unix:///a"\n',
        "queue": 'name = "q"\n',
        "log": 'path = "/a"\n',
        "alert": 'name = "cpu_high"\n',
    }
    tables = [
        f"[[{table}]]\n" + required[table].replace(f"{field} = ", "#") + f"{field} = {{v}}\n"
        for table, names in TABLE_FIELDS.items()
        for field in names
    ]
    return (
        scalars + tables + ["[thresholds]\ncpu_percent = [1, {v}]\n", '[keys]\n"app.quit" = {v}\n']
    )


@pytest.mark.parametrize("template", _keys_and_tables())
def test_no_value_anywhere_escapes_as_anything_but_one_settings_line(
    tmp_path: Path, template: str
) -> None:
    conf = tmp_path / "hostile.toml"
    for value in HOSTILE:
        conf.write_text(template.replace("{v}", value))
        try:
            load_settings(str(conf), env={})
        except SettingsError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 600 and "\x1b" not in str(exc)


def test_no_environment_value_escapes_as_anything_but_one_settings_line() -> None:
    from console.core.settings_check import RULES

    texts = ["nan", "inf", "-1", "9" * 5000, "1e999", "0x10", " ", "\x1b[31m", "[::1", "a" * 5000]
    names = [f"STACKWATCH_{name.upper()}" for name in RULES] + ["STACKWATCH_SUPERVISOR_URL"]
    for var in names:
        for text in texts:
            try:
                load_settings(env={var: text})
            except SettingsError as exc:
                assert str(exc).startswith(f"settings: {var} in the environment: ")
                assert len(str(exc)) < 600 and "\x1b" not in str(exc)


def test_doctor_warns_about_a_variable_no_setting_reads() -> None:
    from console.core.doctor import check_environment

    env = {
        "STACKWATCH_COLLECT_INTERVALL": "5",
        "STACKWATCH_ZZZ": "1",
        "STACKWATCH_REDIS_URL": "redis://h/0",
        "STACKWATCH_SUPERVISOR_PASSWORD": "x",
        "STACKWATCH_TEST_PG_HOST": "db",
        "PATH": "/bin",
    }
    checks = list(check_environment(env))
    assert [(c.name, c.status, c.fix) for c in checks] == [
        ("STACKWATCH_COLLECT_INTERVALL", "warn", "did you mean STACKWATCH_COLLECT_INTERVAL?"),
        ("STACKWATCH_ZZZ", "warn", "see README's Settings for every variable"),
    ]
