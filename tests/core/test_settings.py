"""Settings: layering, sources, validation with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.cli import main
from console.core.settings import SettingsError, load_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_defaults_work_with_nothing_configured(tmp_path: Path) -> None:
    loaded = load_settings(env={})
    assert loaded.settings.embedded
    assert loaded.settings.resolved_database_url.startswith("sqlite:///")
    assert loaded.config_path is None
    assert set(loaded.sources.values()) == {"default"}


def test_layers_file_then_env_then_flags(tmp_path: Path) -> None:
    conf = write(
        tmp_path / "s.toml",
        'redis_url = "redis://file:6379/0"\nread_only = true\n[collect]\ninterval = 30\n',
    )
    loaded = load_settings(
        str(conf),
        env={"STACKWATCH_REDIS_URL": "redis://env:6379/1"},
        flags={"read_only": False},
    )
    s = loaded.settings
    assert s.redis_url == "redis://env:6379/1"
    assert s.collect_interval == 30
    assert s.read_only is False
    assert loaded.sources["redis_url"] == "env:STACKWATCH_REDIS_URL"
    assert loaded.sources["collect_interval"] == f"file:{conf}"
    assert loaded.sources["read_only"] == "flag"


def test_config_found_in_cwd_then_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path / "xdg-config" / "stackwatch"
    xdg.mkdir(parents=True)
    write(xdg / "stackwatch.toml", 'host = "from-xdg"\n')
    assert load_settings(env={}).settings.host == "from-xdg"
    write(tmp_path / "stackwatch.toml", 'host = "from-cwd"\n')
    assert load_settings(env={}).settings.host == "from-cwd"
    other = write(tmp_path / "other.toml", 'host = "from-env-path"\n')
    assert load_settings(env={"STACKWATCH_CONFIG": str(other)}).settings.host == "from-env-path"


def test_supervisor_urls_from_env_with_names_and_secret_password() -> None:
    env = {
        "STACKWATCH_SUPERVISOR_URL": "web=unix:///run/web.sock,jobs=http://127.0.0.1:9001",
        "STACKWATCH_SUPERVISOR_USERNAME": "ops",
        "STACKWATCH_SUPERVISOR_PASSWORD": "hunter2",
    }
    s = load_settings(env=env).settings
    assert [(e.name, e.url) for e in s.supervisors] == [
        ("web", "unix:///run/web.sock"),
        ("jobs", "http://127.0.0.1:9001"),
    ]
    assert s.supervisors[0].socket_path == "/run/web.sock"
    assert "hunter2" not in repr(s)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n", "colour in"),
        ('redis_url = "localhost:6379"\n', "must be a URL starting with redis://"),
        ('[collect]\ninterval = "often"\n', "collect.interval in"),
        ('[[queue]]\nname = "q"\nkind = "kafka"\n', "must be one of"),
        ("[thresholds]\ncpu_percent = [90, 10]\n", "thresholds.cpu_percent in"),
        ("this is = not toml =\n", "not valid TOML"),
    ],
)
def test_bad_file_is_one_line_naming_key_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    conf = write(tmp_path / "bad.toml", text)
    with pytest.raises(SettingsError) as raised:
        load_settings(str(conf), env={})
    assert message in str(raised.value)
    assert str(conf) in str(raised.value)
    assert main(["--config", str(conf), "config"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and message in err


def test_config_command_masks_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SV_PASS", "s3cret-sv")
    conf = write(
        tmp_path / "s.toml",
        'redis_url = "redis://:s3cret-redis@127.0.0.1:6379/0"\n'
        '[[supervisor]]\nname = "web"\nurl = "http://127.0.0.1:9001"\n'
        'username = "ops"\npassword_env = "SV_PASS"\n',
    )
    assert main(["--config", str(conf), "config"]) == 0
    out = capsys.readouterr().out
    assert "s3cret" not in out
    assert "redis://:***@127.0.0.1:6379/0" in out
    assert "web=http://127.0.0.1:9001" in out
    assert f"[file:{conf}]" in out


def test_missing_explicit_config_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", "/nonexistent/stackwatch.toml", "config"]) == 2
    assert "does not exist" in capsys.readouterr().err
