"""Every way a supervisord call can fail, mapped to a kind and one line of words."""

from __future__ import annotations

import errno
import getpass
import http.client
import xmlrpc.client
from xml.parsers.expat import ExpatError

from console.core.errors import SourceUnavailable, StackwatchError
from console.core.sanitize import first_line

# supervisor/xmlrpc.py Faults
FAULTS: dict[int, str] = {
    1: "UNKNOWN_METHOD",
    2: "INCORRECT_PARAMETERS",
    3: "BAD_ARGUMENTS",
    4: "SIGNATURE_UNSUPPORTED",
    6: "SHUTDOWN_STATE",
    10: "BAD_NAME",
    11: "BAD_SIGNAL",
    20: "NO_FILE",
    21: "NOT_EXECUTABLE",
    30: "FAILED",
    40: "ABNORMAL_TERMINATION",
    50: "SPAWN_ERROR",
    60: "ALREADY_STARTED",
    70: "NOT_RUNNING",
    80: "SUCCESS",
    90: "ALREADY_ADDED",
    91: "STILL_RUNNING",
    92: "CANT_REREAD",
}
FAULT_WORDS: dict[str, str] = {
    "UNKNOWN_METHOD": "supervisord does not offer this call (is [rpcinterface:supervisor] set?)",
    "SHUTDOWN_STATE": "supervisord is restarting or shutting down",
    "BAD_NAME": "no such program or group",
    "BAD_SIGNAL": "no such signal",
    "NO_FILE": "the program's command does not exist",
    "NOT_EXECUTABLE": "the program's command is not executable",
    "FAILED": "supervisord reported a failure",
    "ABNORMAL_TERMINATION": "exited before startsecs (failed to start)",
    "SPAWN_ERROR": "could not be spawned",
    "ALREADY_STARTED": "already running",
    "NOT_RUNNING": "not running",
    "ALREADY_ADDED": "already added",
    "STILL_RUNNING": "still running (stop it first)",
    "CANT_REREAD": "cannot read the configuration",
}


class SupervisorUnavailable(SourceUnavailable):
    """The endpoint cannot be used right now; `kind` names why."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class SupervisorFault(StackwatchError):
    """supervisord answered with a Fault (a per-process outcome, not an outage)."""

    def __init__(self, code: int, name: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.name = name


class ReadOnlyRefused(StackwatchError):
    """A mutating call while read-only is set."""

    kind = "read_only"


def fault_name(code: int) -> str:
    return FAULTS.get(code, f"FAULT_{code}")


def fault_words(name: str, detail: str = "") -> str:
    words = FAULT_WORDS.get(name, name.lower().replace("_", " "))
    detail = first_line(detail)
    return (
        f"{words}: {detail}"
        if detail and name in ("SPAWN_ERROR", "FAILED", "CANT_REREAD")
        else words
    )


def from_fault(fault: xmlrpc.client.Fault) -> Exception:
    """SHUTDOWN_STATE is an outage of the whole endpoint; other faults are per process."""
    name = fault_name(fault.faultCode)
    if name == "SHUTDOWN_STATE":
        return SupervisorUnavailable("shutdown", fault_words(name))
    return SupervisorFault(fault.faultCode, name, fault_words(name, str(fault.faultString)))


def from_os_error(exc: BaseException, url: str, timeout: float) -> SupervisorUnavailable:
    """Words for a transport failure; `url` is already masked."""
    path = url[7:] if url.startswith("unix://") else None
    if isinstance(exc, TimeoutError):
        return SupervisorUnavailable(
            "deadline", f"{url}: no answer within {timeout:g} s (supervisord hung or stopped?)"
        )
    code = getattr(exc, "errno", None)
    if code == errno.ENOENT and path:
        return SupervisorUnavailable(
            "socket_missing", f"{path}: no such socket (supervisord is not running?)"
        )
    if code == errno.ECONNREFUSED:
        what = "stale socket, supervisord is gone" if path else "nothing listening"
        return SupervisorUnavailable("refused", f"{url}: connection refused ({what})")
    if code in (errno.EACCES, errno.EPERM) and path:
        return SupervisorUnavailable(
            "permission",
            f"{path}: permission denied for user {getpass.getuser()}; set chmod (e.g. 0770) "
            "and chown (user:group) in [unix_http_server] so this user may connect",
        )
    if isinstance(exc, xmlrpc.client.ProtocolError):
        if exc.errcode == 401:
            return SupervisorUnavailable(
                "auth", f"{url}: authentication failed (check username and password_env)"
            )
        return SupervisorUnavailable(
            "protocol", f"{url}: HTTP {exc.errcode} {first_line(exc.errmsg)}"
        )
    if isinstance(exc, http.client.HTTPException | ExpatError | ValueError):
        return SupervisorUnavailable("protocol", f"{url}: bad answer ({type(exc).__name__})")
    reason = first_line(getattr(exc, "strerror", None) or str(exc)) or type(exc).__name__
    return SupervisorUnavailable("unreachable", f"{url}: {reason}")
