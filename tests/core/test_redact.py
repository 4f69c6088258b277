"""One helper masks secrets: in URLs, in free text, in every object's repr and in log lines."""

from __future__ import annotations

import base64
import logging
import sys

import pytest

from console.core.cache.redis_cache import RedisCache
from console.core.redact import mask_url, redact, redacting_formatter
from console.core.settings import Settings, SupervisorEndpoint, load_settings
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.transport import DeadlineTransport

PW = "Zq-9-secret"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"redis://:{PW}@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        (f"redis://user:{PW}@host/0", "redis://user:***@host/0"),
        (f"postgresql://u:{PW}@db/x?sslmode=require", "postgresql://u:***@db/x?sslmode=require"),
        (f"postgresql://u@db/x?password={PW}&a=1", "postgresql://u@db/x?password=***&a=1"),
        (f"redis://:{PW}@[::1:6379/0", "redis://:***@[::1:6379/0"),  # unparsable: still masked
        ("sqlite:////var/lib/x.db", "sqlite:////var/lib/x.db"),
        ("redis://user@host/0", "redis://user@host/0"),
    ],
)
def test_mask_url(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_redact_free_text_and_known_secrets() -> None:
    token = base64.b64encode(f"ops:{PW}".encode()).decode()
    text = (
        f"cannot reach redis://:{PW}@h:1/0 (Authorization: Basic {token}); "
        f"dsn host=db password={PW}; value {PW}"
    )
    assert PW not in redact(text, [PW]) and token not in redact(text)
    for quoted in (f"host=db password={PW} user=u", f'{{"authorization": "{PW}"}}'):
        assert PW not in redact(quoted), quoted
    assert redact("bypass=1 compass=2") == "bypass=1 compass=2"


def test_the_consoles_failure_notices_use_the_same_helper() -> None:
    from console.tui.failures import capture

    try:
        raise RuntimeError(f"dsn host=db password={PW}; redis://:{PW}@h/0")
    except RuntimeError as error:
        failure = capture("cache poll", error)
    assert PW not in failure.summary and PW not in failure.traceback


def test_no_object_holding_credentials_shows_them() -> None:
    endpoint = SupervisorEndpoint("web", "http://127.0.0.1:9001", "ops", PW)
    settings = Settings(
        host="h",
        redis_url=f"redis://:{PW}@127.0.0.1:6379/0",
        database_url=f"postgresql://u:{PW}@db/x",
        supervisors=(endpoint,),
    )
    objects = [
        settings,
        endpoint,
        SupervisorClient(endpoint),
        DeadlineTransport(endpoint.url, 1.0, "ops", PW),
        RedisCache(settings.redis_url or ""),
    ]
    for obj in objects:
        assert PW not in repr(obj) and PW not in str(obj), type(obj).__name__
    assert set(settings.secrets()) == {PW}


def test_userinfo_in_a_supervisor_url_becomes_the_credentials(monkeypatch) -> None:
    monkeypatch.setenv("STACKWATCH_SUPERVISOR_URL", f"web=http://ops:{PW}@127.0.0.1:9001")
    loaded = load_settings()
    (endpoint,) = loaded.settings.supervisors
    assert (endpoint.url, endpoint.username, endpoint.password) == (
        "http://127.0.0.1:9001",
        "ops",
        PW,
    )
    assert PW not in repr(loaded)


def test_log_lines_and_tracebacks_are_redacted() -> None:
    formatter = redacting_formatter("%(levelname)s %(message)s", secrets=[PW])
    try:
        raise ConnectionError(f"redis://:{PW}@h:1/0 refused; password {PW}")
    except ConnectionError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed: %s", (PW,), None)
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert PW not in line and "ConnectionError: redis://:***@h:1/0" in line
