"""Is a supervisord's XML-RPC open to more than its owner? (doctor's exposure check)

Whoever reaches supervisord's HTTP server can start any configured program and read every log,
as supervisord's user (often root). The unix socket is guarded by its file mode; the
`[inet_http_server]` only by its bind address and its username/password. The XML-RPC API does not
report that section, so three witnesses are read, each when available:
- the URL stackwatch uses: http to a non-loopback host, or an http server that answers without
  credentials;
- the section itself, in the config file of a local supervisord (found from its pid's command
  line, with `[include]` files);
- supervisord's main log, where it writes "Server 'inet_http_server' running without any HTTP
  authentication checking" at start.
"""

from __future__ import annotations

import configparser
import glob
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from console.core.errors import SourceUnavailable
from console.core.supervisor.client import SupervisorClient
from console.core.supervisor.errors import SupervisorFault

# supervisord's own search path when it runs without -c (relative ones from its cwd).
DEFAULT_CONFIGS = (
    "supervisord.conf",
    "etc/supervisord.conf",
    "/etc/supervisord.conf",
    "/etc/supervisor/supervisord.conf",
)
LOG_TAIL_BYTES = 65536
_STARTED = "supervisord started with pid"  # logged right after the http servers open
_NO_AUTH = re.compile(r"Server '?inet_http_server'? running without any HTTP authentication")
FIX = (
    "in [inet_http_server] set port=127.0.0.1:9001 (or remove the section and use the unix "
    "socket), and set username and password (stackwatch reads it from password_env)"
)


@dataclass(frozen=True)
class InetServer:
    """An [inet_http_server] section: where it listens and whether it asks for a password."""

    host: str  # "" means every interface
    port: str
    has_password: bool
    source: Path


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_problems(url: str, has_credentials: bool, answered: bool) -> list[str]:
    """What the endpoint URL itself shows: an http server off this machine, or without auth."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return []
    problems = []
    host = parts.hostname or ""
    if not is_loopback(host):
        problems.append(f"XML-RPC is reached over the network at {host} (not a loopback address)")
    if answered and not has_credentials:
        problems.append("its http server answered without a username or password")
    return problems


def config_problems(server: InetServer) -> list[str]:
    where = f"[inet_http_server] in {server.source}"
    problems = []
    if not server.host or not is_loopback(server.host):
        listens = "every interface" if not server.host else server.host
        problems.append(f"{where} listens on {listens} (port={server.host or '*'}:{server.port})")
    if not server.has_password:
        problems.append(f"{where} has no username/password")
    return problems


def log_problems(log_tail: str) -> list[str]:
    """The main log's word for an inet server without auth, in the current run's start lines."""
    starts = [m.start() for m in re.finditer(_STARTED, log_tail)]
    begin = starts[-2] if len(starts) > 1 else 0
    end = starts[-1] if starts else len(log_tail)
    if _NO_AUTH.search(log_tail[begin:end]):
        return ["its log says the inet_http_server runs without any HTTP authentication"]
    return []


def config_path(cmdline: list[str], cwd: str) -> Path | None:
    """The config file a supervisord process was started with (`-c FILE`), else its default."""
    for index, arg in enumerate(cmdline):
        if arg in ("-c", "--configuration") and index + 1 < len(cmdline):
            return Path(cwd, cmdline[index + 1])
        for prefix in ("--configuration=", "-c"):
            if arg.startswith(prefix) and len(arg) > len(prefix):
                return Path(cwd, arg[len(prefix) :])
    for candidate in DEFAULT_CONFIGS:
        if Path(cwd, candidate).is_file():
            return Path(cwd, candidate)
    return None


def inet_server(conf: Path) -> InetServer | None:
    """The [inet_http_server] of a config file and its includes, or None (OSError if unreadable)."""
    for source in [conf, *_includes(conf)]:
        parser = _parse(source)
        if parser.has_section("inet_http_server"):
            section = parser["inet_http_server"]
            host, _, port = section.get("port", "").rpartition(":")
            host = "" if host == "*" else host
            return InetServer(host, port, bool(section.get("username")), source)
    return None


def _parse(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, inline_comment_prefixes=(";", "#"))
    parser.read_string(path.read_text(encoding="utf-8", errors="replace"), str(path))
    return parser


def _includes(conf: Path) -> list[Path]:
    """[include] files = a/*.conf b.ini, relative to the including file, as supervisord reads."""
    parser = _parse(conf)
    if not parser.has_option("include", "files"):
        return []
    found: list[str] = []
    for pattern in parser.get("include", "files").split():
        found += sorted(glob.glob(str(conf.parent / pattern)))
    return [Path(path) for path in found if Path(path).is_file()]


# --- what doctor calls ------------------------------------------------------------------------


def find_exposure(client: SupervisorClient) -> list[str]:
    """Every sign that this supervisord's XML-RPC is open to others (empty: none found)."""
    endpoint = client.endpoint
    problems = url_problems(endpoint.url, bool(endpoint.username and endpoint.password), True)
    try:
        server = _local_inet_server(client)
    except (OSError, LookupError, configparser.Error):  # cannot read it: ask the log instead
        return problems + log_problems(_log_tail(client))
    return problems + (config_problems(server) if server else [])


def _local_inet_server(client: SupervisorClient) -> InetServer | None:
    """The [inet_http_server] of a supervisord on this machine (LookupError: cannot know)."""
    if not client.is_local:
        raise LookupError("not on this machine")
    try:
        process = psutil.Process(client.pid())
        cmdline = process.cmdline()
        cwd = _cwd(process)
    except (psutil.Error, SourceUnavailable, SupervisorFault) as exc:
        raise LookupError(str(exc)) from None
    if not any("supervisord" in arg for arg in cmdline[:3]):
        raise LookupError("the pid is not a supervisord here (another pid namespace?)")
    conf = config_path(cmdline, cwd)
    if conf is None:
        raise LookupError("config file not found")
    return inet_server(conf)


def _cwd(process: psutil.Process) -> str:
    try:
        return process.cwd()
    except psutil.AccessDenied:  # another user's process: absolute -c paths still work
        return "/"


def _log_tail(client: SupervisorClient) -> str:
    try:
        return str(client.call("supervisor.readLog", -LOG_TAIL_BYTES, 0))
    except (SourceUnavailable, SupervisorFault):
        return ""
