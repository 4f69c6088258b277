"""One typed settings object: defaults < TOML file < STACKWATCH_* environment < flags.

Every value remembers where it came from, so `stackwatch config` can say so, and every value
is checked when it is read (console.core.settings_check), from whichever source: a setting
that `stackwatch config` accepts cannot fail later in the console or the worker.
"""

from __future__ import annotations

import os
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from console.core import settings_tables as tables
from console.core.alerts.rules import DEFAULT_RULES, AlertRule, rules_from_toml
from console.core.redact import mask_target, mask_url
from console.core.settings_check import RULES, TOML_KEYS, SettingsError, bad, check_value
from console.core.settings_tables import (
    DEFAULT_THRESHOLDS,
    ENV_PREFIX,
    QUEUE_KINDS,
    LogFileSpec,
    QueueSpec,
    SupervisorEndpoint,
    Threshold,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "ENV_PREFIX",
    "QUEUE_KINDS",
    "LoadedSettings",
    "LogFileSpec",
    "QueueSpec",
    "Settings",
    "SettingsError",
    "SupervisorEndpoint",
    "Threshold",
    "load_settings",
    "mask_url",
    "parse_supervisor_urls",
]


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
    alert_rules: tuple[AlertRule, ...] = DEFAULT_RULES  # [[alert]] tables change or add rules
    alerts_notify: tuple[str, ...] = ()  # where alerts go: apprise URLs or command:...
    alerts_interval: int = 10  # seconds between evaluations of the rules
    alerts_repeat: float = 4 * 3600.0  # a firing alert is sent again this often
    alerts_retry_max: float = 300.0  # the longest wait between two tries of a failed delivery
    alerts_outbox: int = 1000  # deliveries kept while a target is down (oldest dropped past it)
    # seconds a host's worker has to take a console's request (action, log read) before the
    # console gives up; a request not taken by then is never run
    fleet_timeout: float = 10.0

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

    def for_host(self, host: str) -> Settings:
        """These settings as a read-only command sees `host`: its name and its supervisords
        only (the commands that read one host; actions keep this console's own name)."""
        return replace(self, host=host, supervisors=self.endpoints_of(host))

    def threshold(self, metric: str) -> Threshold:
        return self.thresholds.get(metric) or DEFAULT_THRESHOLDS[metric]

    def with_overrides(self, **values: Any) -> Settings:
        return replace(self, **values)

    def __repr__(self) -> str:  # URLs masked; endpoints mask their own passwords
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("redis_url", "database_url") and value:
                value = mask_url(value)
            elif f.name == "alerts_notify":
                value = tuple(mask_target(t) for t in value)
            elif f.name == "alert_rules":
                value = f"<{len(value)} rules>"
            shown.append(f"{f.name}={value!r}")
        return f"Settings({', '.join(shown)})"

    __str__ = __repr__

    def secrets(self) -> tuple[str, ...]:
        """Every password these settings hold, to redact them by value from free text."""
        from console.core.redact import url_password

        found = [url_password(self.redis_url), url_password(self.database_url)]
        for endpoint in self.supervisors:
            found += [endpoint.password, url_password(endpoint.url)]
        found += [*self.alerts_notify]  # a target is a secret as a whole (tokens in paths)
        for rule in self.alert_rules:
            found += [*(rule.notify or ())]
        return tuple(s for s in found if s)


# --- loading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    sources: Mapping[str, str]  # field name -> "default" | "file:<path>" | "env:<VAR>" | "flag"
    config_path: Path | None


_TABLES = {
    "supervisor": ("supervisors", tables.supervisors_from_toml),
    "queue": ("queues", tables.queues_from_toml),
    "log": ("log_files", tables.logs_from_toml),
    "thresholds": ("thresholds", tables.thresholds_from_toml),
    "keys": ("keys", tables.keys_from_toml),
    "alert": ("alert_rules", rules_from_toml),
}
_FLAG_NAMES = {
    "redis_url": "--redis-url",
    "database_url": "--database-url",
    "host": "--host",
    "read_only": "--read-only",
    "supervisors": "--supervisor-url",
}
ON_COMMAND_LINE = "on the command line"
ON_ENVIRONMENT = "in the environment"


def _env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def parse_supervisor_urls(
    text: str, where: str = ON_COMMAND_LINE
) -> tuple[SupervisorEndpoint, ...]:
    """`url` or `name=url,name=url` (a flag or STACKWATCH_SUPERVISOR_URL) -> checked endpoints."""
    key = "--supervisor-url" if where == ON_COMMAND_LINE else ENV_PREFIX + "SUPERVISOR_URL"
    return tables.supervisors_from_text(text, where, key)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and not prefix and key not in _TABLES:
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


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
    except ValueError as exc:  # TOMLDecodeError, or an integer of more than 4300 digits
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None


def _from_file(path: Path, values: dict[str, Any], sources: dict[str, str]) -> None:
    where = f"in {path}"
    for key, value in _flatten(_read_toml(path)).items():
        if key in _TABLES:
            name, parse = _TABLES[key]
            values[name] = parse(value, where)
        elif key in TOML_KEYS:
            name = TOML_KEYS[key]
            values[name] = check_value(name, value, key, where)
        else:
            raise bad(key, where, "unknown key (see `stackwatch config` for every setting)")
        sources[name] = f"file:{path}"


def _from_env(env: Mapping[str, str], values: dict[str, Any], sources: dict[str, str]) -> None:
    """STACKWATCH_<FIELD> for every scalar; an empty variable counts as unset."""
    for name in RULES:
        var = _env_name(name)
        if env.get(var, "").strip():
            values[name] = check_value(name, env[var], var, ON_ENVIRONMENT)
            sources[name] = f"env:{var}"
    var = ENV_PREFIX + "SUPERVISOR_URL"
    if env.get(var, "").strip():
        values["supervisors"] = tables.supervisors_from_text(env[var], ON_ENVIRONMENT, var)
        sources["supervisors"] = f"env:{var}"


def _from_flags(flags: Mapping[str, Any], values: dict[str, Any], sources: dict[str, str]) -> None:
    for name, value in flags.items():
        if value is None:
            continue
        if name == "supervisors":
            values[name] = value  # parsed (and checked) by parse_supervisor_urls
        elif name in RULES:
            flag = _FLAG_NAMES.get(name, "--" + name.replace("_", "-"))
            values[name] = check_value(name, value, flag, ON_COMMAND_LINE)
        else:
            raise SettingsError(f"unknown setting {name!r}")
        sources[name] = "flag"


def load_settings(
    config: str | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> LoadedSettings:
    """Layer defaults, the TOML file, STACKWATCH_* variables and flags (None flags are unset).

    Raises SettingsError (one line naming the key and where it was set) on any bad value.
    """
    env = os.environ if env is None else env
    path = find_config_file(config, env)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {f.name: "default" for f in fields(Settings)}
    if path is not None:
        _from_file(path, values, sources)
    _from_env(env, values, sources)
    _from_flags(flags or {}, values, sources)
    if values.get("database_url") is None:
        values.pop("database_url", None)  # unset or empty: the SQLite file in data_dir
    return LoadedSettings(settings=Settings(**values), sources=sources, config_path=path)
