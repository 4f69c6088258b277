"""The table sections of the settings ([[supervisor]], [[queue]], [[log]], [thresholds], [keys]):
their types and the parsers that check every field of them."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from console.core.keymap import BINDING_IDS, keys_problem
from console.core.redact import mask_url
from console.core.settings_check import (
    SUPERVISOR_SCHEMES,
    bad,
    boolean,
    host_name,
    path,
    text,
    url,
    whole,
)

ENV_PREFIX = "STACKWATCH_"
QUEUE_KINDS = ("huey", "redis-list", "laravel", "celery", "rq")


@dataclass(frozen=True)
class SupervisorEndpoint:
    """One supervisord to watch: `unix:///path/to.sock` or `http://host:port`."""

    name: str
    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    host: str | None = None  # the host it supervises; None: this console's own host

    def __repr__(self) -> str:  # the URL may carry userinfo; the password never shows
        secret = ", password=***" if self.password else ""
        on = f", host={self.host!r}" if self.host else ""
        return (
            f"SupervisorEndpoint(name={self.name!r}, url={mask_url(self.url)!r}, "
            f"username={self.username!r}{secret}{on})"
        )

    __str__ = __repr__

    @property
    def socket_path(self) -> str | None:
        return self.url[len("unix://") :] if self.url.startswith("unix://") else None


@dataclass(frozen=True)
class QueueSpec:
    """A queue to watch. `key` is the backend's own name (defaults to `name`)."""

    name: str
    kind: str = "redis-list"
    key: str | None = None
    warning: int | None = None
    critical: int | None = None
    hidden: bool = False

    @property
    def backend_key(self) -> str:
        return self.key or self.name


@dataclass(frozen=True)
class LogFileSpec:
    """A log file to offer in the logs screen besides the supervised programs' logs."""

    name: str
    path: str


@dataclass(frozen=True)
class Threshold:
    warning: float
    critical: float

    def level(self, value: float | None) -> str:
        """'ok', 'warning' or 'critical' for a value (None reads as 'ok')."""
        if value is None:
            return "ok"
        if value >= self.critical:
            return "critical"
        if value >= self.warning:
            return "warning"
        return "ok"


DEFAULT_THRESHOLDS: dict[str, Threshold] = {
    "cpu_percent": Threshold(80, 95),
    "load_per_core": Threshold(1.0, 2.0),
    "mem_percent": Threshold(80, 95),
    "swap_percent": Threshold(20, 60),
    "disk_percent": Threshold(80, 95),
    "queue_pending": Threshold(100, 1000),
    "queue_failed": Threshold(1, 50),
    "latency_p95_ms": Threshold(500, 2000),
    "failed_jobs": Threshold(1, 20),
    "job_runtime_s": Threshold(300, 1800),  # an in-flight task running this long is flagged
}


def _field(item: Mapping[str, Any], key: str, parse: Any, label: str, where: str) -> Any:
    try:
        return parse(item[key])
    except ValueError as exc:
        raise bad(f"{label}.{key}", where, str(exc), item[key]) from None


def _endpoint(
    name: str, raw_url: Any, username: str | None, password: str | None
) -> SupervisorEndpoint:
    """An endpoint with its URL checked (ValueError); user:password@ in it moves to the fields."""
    checked = url(SUPERVISOR_SCHEMES)(raw_url)
    assert checked is not None
    parts = urlsplit(checked)
    if parts.scheme in ("http", "https") and "@" in parts.netloc:
        username = username or unquote(parts.username or "") or None
        password = password or (unquote(parts.password) if parts.password else None)
        checked = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
    return SupervisorEndpoint(name=name, url=checked, username=username, password=password)


def supervisors_from_text(value: str, where: str, key: str) -> tuple[SupervisorEndpoint, ...]:
    """`url` or `name=url,name=url` -> endpoints (credentials from the environment)."""
    endpoints = []
    for index, item in enumerate(part.strip() for part in value.split(",") if part.strip()):
        name, sep, raw = item.partition("=")
        if not sep:
            name, raw = ("default" if index == 0 else f"supervisor{index + 1}"), item
        try:
            endpoints.append(
                _endpoint(
                    name.strip(),
                    raw.strip(),
                    os.environ.get(ENV_PREFIX + "SUPERVISOR_USERNAME"),
                    os.environ.get(ENV_PREFIX + "SUPERVISOR_PASSWORD"),
                )
            )
        except ValueError as exc:
            raise bad(key, where, f"{name.strip()}: {exc}", raw) from None
    return _unique(endpoints, key, where)


def supervisors_from_toml(items: Any, where: str) -> tuple[SupervisorEndpoint, ...]:
    _array_of_tables(items, "supervisor", where)
    endpoints = []
    for item in items:
        _only_keys(item, {"name", "url", "username", "password_env", "host"}, "supervisor", where)
        if "url" not in item:
            raise bad("supervisor", where, "each entry needs a url")
        given = {
            k: _field(item, k, host_name if k == "host" else text, "supervisor", where)
            for k in item
            if k != "url"
        }
        password_env = given.get("password_env")
        try:
            endpoint = _endpoint(
                given.get("name", f"supervisor{len(endpoints) + 1}"),
                item["url"],
                given.get("username"),
                os.environ.get(password_env) if password_env else None,
            )
        except ValueError as exc:
            raise bad("supervisor.url", where, str(exc), item["url"]) from None
        endpoints.append(replace(endpoint, host=given.get("host") or None))
    return _unique(endpoints, "supervisor.name", where)


def _unique(endpoints: list[SupervisorEndpoint], key: str, where: str) -> tuple:
    names = [e.name for e in endpoints]
    for name in names:
        if names.count(name) > 1:
            raise bad(key, where, f"the name {name!r} is used twice")
    return tuple(endpoints)


def queues_from_toml(items: Any, where: str) -> tuple[QueueSpec, ...]:
    _array_of_tables(items, "queue", where)
    specs = []
    allowed = {"name", "kind", "key", "warning", "critical", "hidden"}
    for item in items:
        _only_keys(item, allowed, "queue", where)
        if "name" not in item:
            raise bad("queue", where, "each entry needs a name")
        values = {"name": _field(item, "name", text, "queue", where)}
        if "kind" in item:
            if item["kind"] not in QUEUE_KINDS:
                raise bad(
                    "queue.kind", where, f"must be one of {', '.join(QUEUE_KINDS)}", item["kind"]
                )
            values["kind"] = item["kind"]
        if "key" in item:
            values["key"] = _field(item, "key", text, "queue", where)
        for limit in ("warning", "critical"):
            if limit in item:
                values[limit] = _field(item, limit, whole(0, 2**53), "queue", where)
        if "hidden" in item:
            values["hidden"] = _field(item, "hidden", _strict_bool, "queue", where)
        spec = QueueSpec(**values)
        if spec.warning is not None and spec.critical is not None and spec.warning > spec.critical:
            raise bad(
                "queue.warning", where, f"must not exceed critical ({spec.critical})", spec.warning
            )
        specs.append(spec)
    return tuple(specs)


def _strict_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return boolean(value)


def logs_from_toml(items: Any, where: str) -> tuple[LogFileSpec, ...]:
    _array_of_tables(items, "log", where)
    specs = []
    for item in items:
        _only_keys(item, {"name", "path"}, "log", where)
        if "path" not in item:
            raise bad("log", where, "each entry needs a path")
        file_path = _field(item, "path", path, "log", where)
        name = _field(item, "name", text, "log", where) if "name" in item else Path(file_path).name
        specs.append(LogFileSpec(name=name, path=file_path))
    return tuple(specs)


def thresholds_from_toml(table: Any, where: str) -> dict[str, Threshold]:
    if not isinstance(table, dict):
        raise bad("thresholds", where, "must be a table of [warning, critical] pairs")
    result = dict(DEFAULT_THRESHOLDS)
    for metric, pair in table.items():
        key = f"thresholds.{metric}"
        if metric not in DEFAULT_THRESHOLDS:
            raise bad(key, where, f"unknown threshold (known: {', '.join(DEFAULT_THRESHOLDS)})")
        numbers = (
            isinstance(pair, list)
            and len(pair) == 2
            and all(
                isinstance(v, int | float)
                and not isinstance(v, bool)
                and abs(v) <= 1e15  # before isfinite, which raises on a 400-digit int
                and math.isfinite(v)
                for v in pair
            )
        )
        if not numbers or pair[0] > pair[1]:
            raise bad(
                key, where, "must be [warning, critical], finite numbers, warning ≤ critical", pair
            )
        result[metric] = Threshold(float(pair[0]), float(pair[1]))
    return result


def keys_from_toml(table: Any, where: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise bad("keys", where, "must be a table of binding id = key names")
    for binding_id, keys in table.items():
        key = f"keys.{binding_id}"
        if binding_id not in BINDING_IDS:
            import difflib  # only on this error: keeps every command's start quick

            near = difflib.get_close_matches(str(binding_id), sorted(BINDING_IDS), n=1)
            hint = f"did you mean {near[0]!r}?" if near else "README's Keys section lists them"
            raise bad(key, where, f"unknown binding id ({hint})")
        problem = keys_problem(keys) if isinstance(keys, str) else "must be a string of key names"
        if problem:
            raise bad(key, where, problem, keys)
    return dict(table)


def _array_of_tables(items: Any, section: str, where: str) -> None:
    if not isinstance(items, list):
        raise bad(section, where, f"must be an array of tables ([[{section}]])")


def _only_keys(item: Any, allowed: set[str], section: str, where: str) -> None:
    if not isinstance(item, dict):
        raise bad(section, where, f"each [[{section}]] entry must be a table")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise bad(
            f"{section}.{unknown[0]}", where, f"unknown key (known: {', '.join(sorted(allowed))})"
        )
