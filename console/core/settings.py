"""One typed settings object: defaults < TOML file < STACKWATCH_* environment < flags.

Every value remembers where it came from, so `stackwatch config` can say so.
"""

from __future__ import annotations

import os
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "STACKWATCH_"
QUEUE_KINDS = ("huey", "redis-list", "laravel", "celery", "rq")


class SettingsError(ValueError):
    """A setting is unknown, malformed or of the wrong type (one line, for the user)."""


@dataclass(frozen=True)
class SupervisorEndpoint:
    """One supervisord to watch: `unix:///path/to.sock` or `http://host:port`."""

    name: str
    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    host: str | None = None  # the host it supervises; None: this console's own host

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


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


def default_data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / "stackwatch"


def default_config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "stackwatch"


@dataclass(frozen=True)
class Settings:
    """Everything stackwatch can be told. Defaults work on one machine with nothing installed."""

    host: str = field(default_factory=socket.gethostname)
    redis_url: str | None = None  # None: the embedded SQLite cache and broker
    database_url: str = ""  # "" resolves to a SQLite file in data_dir
    data_dir: str = field(default_factory=lambda: str(default_data_dir()))
    supervisors: tuple[SupervisorEndpoint, ...] = ()
    queues: tuple[QueueSpec, ...] = ()
    log_files: tuple[LogFileSpec, ...] = ()
    collect_interval: int = 60  # seconds between collections
    store_interval: int = 300  # seconds per performance bucket
    retention_days: int = 7  # raw minute rows
    rollup_retention_days: int = 400  # hourly rollups
    cleanup_hour: int = 2
    timezone: str = "UTC"
    thresholds: Mapping[str, Threshold] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    refresh_dashboard: float = 2.0
    refresh_processes: float = 1.5
    refresh_logs: float = 0.5
    refresh_queues: float = 2.0
    discover_queues: bool = True  # also show queues found in Redis by their key layout
    rpc_timeout: float = 3.0
    read_only: bool = False
    theme: str = "textual-dark"
    keys: Mapping[str, str] = field(default_factory=dict)  # binding id -> key(s)
    worker_workers: int = 2
    worker_max_time: int = 3600
    worker_memory_mb: int = 128

    @property
    def embedded(self) -> bool:
        return self.redis_url is None

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{Path(self.data_dir) / 'stackwatch.db'}"

    @property
    def cache_path(self) -> Path:
        """The embedded cache/broker file (used when redis_url is None)."""
        return Path(self.data_dir) / "cache.db"

    def endpoint_host(self, endpoint: SupervisorEndpoint) -> str:
        """The host a configured supervisord supervises (this console's own by default)."""
        return endpoint.host or self.host

    def endpoints_of(self, host: str) -> tuple[SupervisorEndpoint, ...]:
        """The configured supervisords of one host, in settings order."""
        return tuple(e for e in self.supervisors if self.endpoint_host(e) == host)

    def threshold(self, metric: str) -> Threshold:
        return self.thresholds.get(metric) or DEFAULT_THRESHOLDS[metric]

    def with_overrides(self, **values: Any) -> Settings:
        return replace(self, **values)


# --- loading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    sources: Mapping[str, str]  # field name -> "default" | "file:<path>" | "env:<VAR>" | "flag"
    config_path: Path | None


# TOML keys (dotted) -> Settings field.
_TOML_KEYS: dict[str, str] = {
    "host": "host",
    "redis_url": "redis_url",
    "database_url": "database_url",
    "data_dir": "data_dir",
    "read_only": "read_only",
    "theme": "theme",
    "timezone": "timezone",
    "collect.interval": "collect_interval",
    "collect.store_interval": "store_interval",
    "collect.cleanup_hour": "cleanup_hour",
    "retention.days": "retention_days",
    "retention.rollup_days": "rollup_retention_days",
    "refresh.dashboard": "refresh_dashboard",
    "refresh.processes": "refresh_processes",
    "refresh.logs": "refresh_logs",
    "refresh.queues": "refresh_queues",
    "discover_queues": "discover_queues",
    "supervisor_timeout": "rpc_timeout",
    "worker.workers": "worker_workers",
    "worker.max_time": "worker_max_time",
    "worker.memory": "worker_memory_mb",
}
_TABLE_KEYS = {"supervisor", "queue", "log", "thresholds", "keys"}
_TYPES = {f.name: f.type for f in fields(Settings)}


def _env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def _coerce(name: str, value: Any, where: str) -> Any:
    kind = _TYPES[name]
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError
            number = int(value)
            if number < 0:
                raise ValueError
            return number
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
            if number <= 0:
                raise ValueError
            return number
        if kind == "str | None":
            text = str(value).strip()
            return text or None
        if not isinstance(value, str):
            raise ValueError
        return value
    except ValueError:
        want = {"bool": "true/false", "int": "a whole number ≥ 0", "float": "a number > 0"}
        raise SettingsError(
            f"{where}: {name} must be {want.get(kind, 'a string')}, got {value!r}"
        ) from None


def _check_url(name: str, url: str | None, schemes: tuple[str, ...], where: str) -> None:
    if url is None:
        return
    parts = urlsplit(url)
    ok = parts.scheme in schemes and (parts.netloc or parts.path)
    if not ok:
        raise SettingsError(
            f"{where}: {name} {mask_url(url)!r} is not a valid URL "
            f"(expected {' or '.join(s + '://' for s in schemes)})"
        )


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def parse_supervisor_urls(text: str, where: str) -> tuple[SupervisorEndpoint, ...]:
    """`url` or `name=url,name=url` -> endpoints (credentials from env)."""
    endpoints = []
    for index, item in enumerate(part.strip() for part in text.split(",") if part.strip()):
        name, sep, url = item.partition("=")
        if not sep:
            name, url = ("default" if index == 0 else f"supervisor{index + 1}"), item
        endpoints.append(
            SupervisorEndpoint(
                name=name.strip(),
                url=url.strip(),
                username=os.environ.get(ENV_PREFIX + "SUPERVISOR_USERNAME"),
                password=os.environ.get(ENV_PREFIX + "SUPERVISOR_PASSWORD"),
            )
        )
    _validate_endpoints(endpoints, where)
    return tuple(endpoints)


def _validate_endpoints(endpoints: list[SupervisorEndpoint], where: str) -> None:
    names = set()
    for endpoint in endpoints:
        _check_url(
            f"supervisor {endpoint.name!r} url", endpoint.url, ("unix", "http", "https"), where
        )
        if endpoint.name in names:
            raise SettingsError(f"{where}: supervisor name {endpoint.name!r} is used twice")
        names.add(endpoint.name)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and not prefix and key not in _TABLE_KEYS:
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _supervisors_from_toml(items: Any, where: str) -> tuple[SupervisorEndpoint, ...]:
    _array_of_tables(items, "supervisor", where)
    endpoints = []
    for item in items:
        _only_keys(item, {"name", "url", "username", "password_env", "host"}, "supervisor", where)
        if "url" not in item:
            raise SettingsError(f"{where}: supervisor entry needs a url")
        password_env = item.get("password_env")
        endpoints.append(
            SupervisorEndpoint(
                name=str(item.get("name", f"supervisor{len(endpoints) + 1}")),
                url=str(item["url"]),
                username=item.get("username"),
                password=os.environ.get(password_env) if password_env else None,
                host=str(item["host"]) if item.get("host") else None,
            )
        )
    _validate_endpoints(endpoints, where)
    return tuple(endpoints)


def _queues_from_toml(items: Any, where: str) -> tuple[QueueSpec, ...]:
    _array_of_tables(items, "queue", where)
    specs = []
    for item in items:
        _only_keys(item, {"name", "kind", "key", "warning", "critical", "hidden"}, "queue", where)
        if "name" not in item:
            raise SettingsError(f"{where}: queue entry needs a name")
        kind = item.get("kind", "redis-list")
        if kind not in QUEUE_KINDS:
            raise SettingsError(
                f"{where}: queue {item['name']!r} kind must be one of {', '.join(QUEUE_KINDS)}"
            )
        for limit in ("warning", "critical"):
            if limit in item and (not isinstance(item[limit], int) or item[limit] < 0):
                raise SettingsError(f"{where}: queue {item['name']!r} {limit} must be an integer")
        specs.append(QueueSpec(**{k: item[k] for k in item}))
    return tuple(specs)


def _logs_from_toml(items: Any, where: str) -> tuple[LogFileSpec, ...]:
    _array_of_tables(items, "log", where)
    specs = []
    for item in items:
        _only_keys(item, {"name", "path"}, "log", where)
        if "path" not in item:
            raise SettingsError(f"{where}: log entry needs a path")
        specs.append(
            LogFileSpec(name=str(item.get("name", Path(item["path"]).name)), path=item["path"])
        )
    return tuple(specs)


def _thresholds_from_toml(table: Any, where: str) -> dict[str, Threshold]:
    result = dict(DEFAULT_THRESHOLDS)
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: [thresholds] must be a table")
    for metric, pair in table.items():
        if metric not in DEFAULT_THRESHOLDS:
            raise SettingsError(f"{where}: unknown threshold {metric!r}")
        ok = isinstance(pair, list) and len(pair) == 2
        if not ok or not all(isinstance(v, int | float) for v in pair) or pair[0] > pair[1]:
            raise SettingsError(f"{where}: thresholds.{metric} must be [warning, critical]")
        result[metric] = Threshold(float(pair[0]), float(pair[1]))
    return result


def _array_of_tables(items: Any, section: str, where: str) -> None:
    if not isinstance(items, list):
        raise SettingsError(f"{where}: [[{section}]] must be an array of tables")


def _only_keys(item: Any, allowed: set[str], section: str, where: str) -> None:
    if not isinstance(item, dict):
        raise SettingsError(f"{where}: each [[{section}]] entry must be a table")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise SettingsError(f"{where}: unknown key {section}.{unknown[0]}")


def find_config_file(explicit: str | None, env: Mapping[str, str]) -> Path | None:
    """--config, else STACKWATCH_CONFIG, else ./stackwatch.toml, else the XDG config dir."""
    chosen = explicit or env.get(ENV_PREFIX + "CONFIG")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise SettingsError(f"config file {path} does not exist")
        return path
    for candidate in (Path("stackwatch.toml"), default_config_dir() / "stackwatch.toml"):
        if candidate.is_file():
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None


def load_settings(
    config: str | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> LoadedSettings:
    """Layer defaults, the TOML file, STACKWATCH_* variables and flags (None flags are unset)."""
    env = os.environ if env is None else env
    path = find_config_file(config, env)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {f.name: "default" for f in fields(Settings)}

    if path is not None:
        where = str(path)
        for key, value in _flatten(_read_toml(path)).items():
            if key == "supervisor":
                values["supervisors"] = _supervisors_from_toml(value, where)
                sources["supervisors"] = f"file:{where}"
            elif key == "queue":
                values["queues"] = _queues_from_toml(value, where)
                sources["queues"] = f"file:{where}"
            elif key == "log":
                values["log_files"] = _logs_from_toml(value, where)
                sources["log_files"] = f"file:{where}"
            elif key == "thresholds":
                values["thresholds"] = _thresholds_from_toml(value, where)
                sources["thresholds"] = f"file:{where}"
            elif key == "keys":
                if not isinstance(value, dict) or not all(
                    isinstance(v, str) for v in value.values()
                ):
                    raise SettingsError(f"{where}: [keys] must map binding ids to key names")
                values["keys"] = dict(value)
                sources["keys"] = f"file:{where}"
            elif key in _TOML_KEYS:
                name = _TOML_KEYS[key]
                values[name] = _coerce(name, value, where)
                sources[name] = f"file:{where}"
            else:
                raise SettingsError(f"{where}: unknown key {key!r}")

    for name in _TYPES:
        var = _env_name(name)
        if var in env and name not in ("supervisors", "queues", "log_files", "thresholds", "keys"):
            values[name] = _coerce(name, env[var], f"environment {var}")
            sources[name] = f"env:{var}"
    if env.get(ENV_PREFIX + "SUPERVISOR_URL"):
        var = ENV_PREFIX + "SUPERVISOR_URL"
        values["supervisors"] = parse_supervisor_urls(env[var], f"environment {var}")
        sources["supervisors"] = f"env:{var}"

    for name, value in (flags or {}).items():
        if value is None:
            continue
        if name not in _TYPES:
            raise SettingsError(f"unknown setting {name!r}")
        values[name] = value if name == "supervisors" else _coerce(name, value, "command line")
        sources[name] = "flag"

    settings = Settings(**values)
    _check_url(
        "redis_url", settings.redis_url, ("redis", "rediss", "unix"), _where(sources, "redis_url")
    )
    _check_url(
        "database_url",
        settings.database_url or None,
        ("sqlite", "postgresql", "postgresql+psycopg", "postgres"),
        _where(sources, "database_url"),
    )
    if not 0 <= settings.cleanup_hour <= 23:
        raise SettingsError(f"{_where(sources, 'cleanup_hour')}: collect.cleanup_hour must be 0-23")
    if settings.collect_interval < 1:
        raise SettingsError(f"{_where(sources, 'collect_interval')}: collect.interval must be ≥ 1")
    return LoadedSettings(settings=settings, sources=sources, config_path=path)


def _where(sources: Mapping[str, str], name: str) -> str:
    source = sources.get(name, "default")
    if source.startswith("file:"):
        return source[5:]
    if source.startswith("env:"):
        return f"environment {source[4:]}"
    return "command line" if source == "flag" else "defaults"


def describe(loaded: LoadedSettings) -> list[tuple[str, str, str]]:
    """(name, value, source) rows for `stackwatch config`, secrets masked."""
    rows = []
    settings = loaded.settings
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if f.name == "supervisors":
            shown = (
                ", ".join(
                    f"{e.name}={mask_url(e.url)}"
                    + (f" on {e.host}" if e.host else "")
                    + (f" (user {e.username}, password ***)" if e.password else "")
                    for e in value
                )
                or "(none)"
            )
        elif f.name in ("queues", "log_files"):
            shown = ", ".join(f"{item.name}" for item in value) or "(none)"
        elif f.name == "thresholds":
            shown = ", ".join(f"{k}={t.warning:g}/{t.critical:g}" for k, t in value.items())
        elif f.name == "keys":
            shown = ", ".join(f"{k}={v}" for k, v in value.items()) or "(defaults)"
        elif f.name == "redis_url":
            shown = mask_url(value) if value else "(none: embedded SQLite cache)"
        elif f.name == "database_url":
            shown = mask_url(settings.resolved_database_url)
        else:
            shown = str(value)
        rows.append((f.name, shown, loaded.sources.get(f.name, "default")))
    return rows
