"""The rule for every setting, so a value is checked once, the same way from every source.

A value from TOML arrives typed, one from the environment or a flag as text; both go through
the same rule, and a value that fails is one line naming the key (as the user wrote it), the
file or variable, what was wanted and what was given. Nothing past this point sees a NaN, an
out-of-range port, an unknown time zone or a number where a path belongs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.core.redact import mask_url
from console.core.sanitize import clean

REDIS_SCHEMES = ("redis", "rediss", "unix")
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg", "postgres")
SUPERVISOR_SCHEMES = ("unix", "http", "https")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_HOST = re.compile(r"^[^\s\x00-\x1f\x7f]{1,253}$")


class SettingsError(ValueError):
    """A setting is unknown, malformed or out of range (one line, for the user)."""

    def __init__(self, message: str) -> None:
        super().__init__(message if message.startswith("settings: ") else f"settings: {message}")


def bad(
    key: str, where: str, problem: str, value: Any = ..., *, secret: bool = False
) -> SettingsError:
    """`settings: collect.interval in /etc/x.toml: must be ..., got nan` (one short line: the
    key and the problem may quote what the user wrote)."""
    got = "" if value is ... else f", got {shown(value, secret=secret)}"
    return SettingsError(f"{clean(key, 80)} {where}: {clean(problem, 200)}{got}")


def shown(value: Any, secret: bool = False) -> str:
    """A value as the user wrote it, masked when it may hold a password, on one short line."""
    if secret:
        return "***"
    if isinstance(value, str):
        return repr(clean(mask_url(value), max_chars=80))
    return clean(repr(value), max_chars=80)


# --- scalar rules ----------------------------------------------------------------------------


def whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, str):
            value = value.strip()
            number = int(value) if re.fullmatch(r"[+-]?\d{1,20}", value) else None
        elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
            number = int(value)
        else:
            number = value if isinstance(value, int) and not isinstance(value, bool) else None
        if number is None or not low <= number <= high:
            raise ValueError(f"must be a whole number between {low} and {high}")
        return number

    return parse


def finite(low: float, high: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        number: float | None = None
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value) if abs(value) < 1e300 else math.inf  # float(10**400) raises
        if number is None or not math.isfinite(number) or not low <= number <= high:
            raise ValueError(f"must be a finite number between {low:g} and {high:g}")
        return number

    return parse


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError("must be true or false")


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ValueError("must be a non-empty string")
    return value.strip()


def theme_name(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[\w.-]{1,64}", value.strip()):
        raise ValueError("must be a theme name such as textual-dark")
    return value.strip()


def host_name(value: Any) -> str:
    if not isinstance(value, str) or not _HOST.match(value.strip()):
        raise ValueError("must be a host name (1-253 characters, no spaces or control codes)")
    return value.strip()


def path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ValueError("must be a path (a non-empty string)")
    return value


def time_zone(value: Any) -> str:
    name = text(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError("must be a known time zone such as UTC or Europe/Amsterdam") from None
    return name


def url(schemes: tuple[str, ...], optional: bool = False) -> Callable[[Any], str | None]:
    def parse(value: Any) -> str | None:
        if optional and (value is None or (isinstance(value, str) and not value.strip())):
            return None
        if not isinstance(value, str):
            raise ValueError("must be a URL string")
        problem = url_problem(value.strip(), schemes)
        if problem:
            raise ValueError(problem)
        return value.strip()

    return parse


def url_problem(value: str, schemes: tuple[str, ...]) -> str | None:
    """Why a URL would fail when used (scheme, host, port, brackets, db number), or None."""
    wanted = " or ".join(f"{s}://" for s in schemes)
    if any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in value):
        return "must be a URL without spaces or control codes"
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a port out of 0-65535 or not a number
        hostname = parts.hostname
    except ValueError:
        return f"must be a valid {wanted} URL: bad host or port (1-65535; IPv6 as [::1])"
    if parts.scheme not in schemes or "://" not in value:
        return f"must be a URL starting with {wanted}"
    if port == 0 or (port is None and parts.netloc.rsplit("@", 1)[-1].endswith(":")):
        return "must have a port between 1 and 65535"
    if parts.scheme in ("unix", "sqlite"):
        return (
            None
            if parts.scheme == "sqlite" or (parts.netloc or parts.path)
            else ("must name a socket path: unix:///path/to.sock")
        )
    if not hostname and not parts.scheme.startswith("postgres"):
        return f"must name a host: {parts.scheme}://host:port"
    if (
        parts.scheme.startswith("redis")
        and parts.path.strip("/")
        and not (parts.path.strip("/").isdigit())
    ):
        return "must end in a database number: redis://host:6379/0"
    return None


def notify_targets(value: Any) -> tuple[str, ...]:
    """Alert targets: a TOML list, or comma-separated text from the environment."""
    from console.core.alerts.targets import check_targets

    return check_targets(value)


def seconds(low: float, high: float) -> Callable[[Any], float]:
    """A duration: seconds, or `90s` / `5m` / `4h` / `1d`."""

    def parse(value: Any) -> float:
        from console.core.alerts.rules import duration

        number = duration(value)
        if not low <= number <= high:
            raise ValueError(f"must be a duration between {low:g} s and {high:g} s")
        return number

    return parse


@dataclass(frozen=True)
class Rule:
    """How one scalar setting is read: its TOML key and the parser that checks it."""

    toml_key: str
    parse: Callable[[Any], Any]


RULES: dict[str, Rule] = {
    "host": Rule("host", host_name),
    "redis_url": Rule("redis_url", url(REDIS_SCHEMES, optional=True)),
    "database_url": Rule("database_url", url(DATABASE_SCHEMES, optional=True)),
    "data_dir": Rule("data_dir", path),
    "read_only": Rule("read_only", boolean),
    "theme": Rule("theme", theme_name),
    "timezone": Rule("timezone", time_zone),
    "collect_interval": Rule("collect.interval", whole(1, 86400)),
    "store_interval": Rule("collect.store_interval", whole(1, 7 * 86400)),
    "cleanup_hour": Rule("collect.cleanup_hour", whole(0, 23)),
    "retention_days": Rule("retention.days", whole(1, 36500)),
    "rollup_retention_days": Rule("retention.rollup_days", whole(1, 36500)),
    "refresh_dashboard": Rule("refresh.dashboard", finite(0.05, 3600)),
    "refresh_processes": Rule("refresh.processes", finite(0.05, 3600)),
    "refresh_logs": Rule("refresh.logs", finite(0.05, 3600)),
    "refresh_queues": Rule("refresh.queues", finite(0.05, 3600)),
    "discover_queues": Rule("discover_queues", boolean),
    "rpc_timeout": Rule("supervisor_timeout", finite(0.1, 600)),
    "worker_workers": Rule("worker.workers", whole(1, 64)),
    "worker_max_time": Rule("worker.max_time", whole(0, 366 * 86400)),
    "worker_memory_mb": Rule("worker.memory", whole(0, 1 << 20)),
    "alerts_notify": Rule("alerts.notify", notify_targets),
    "alerts_interval": Rule("alerts.interval", whole(1, 3600)),
    "alerts_repeat": Rule("alerts.repeat", seconds(60, 30 * 86400)),
    "alerts_retry_max": Rule("alerts.retry_max", seconds(1, 86400)),
    "alerts_outbox": Rule("alerts.outbox", whole(10, 100_000)),
    "fleet_timeout": Rule("fleet.timeout", finite(0.5, 600)),
}
SECRET_SETTINGS = frozenset({"alerts_notify"})  # target URLs carry tokens: never echoed
TOML_KEYS = {rule.toml_key: name for name, rule in RULES.items()}


def check_value(name: str, value: Any, key: str, where: str) -> Any:
    """The value of setting `name` as read from `key` in `where`, or a SettingsError."""
    rule = RULES[name]
    try:
        return rule.parse(value)
    except ValueError as exc:
        raise bad(key, where, str(exc), value, secret=name in SECRET_SETTINGS) from None
