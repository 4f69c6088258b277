"""Log sources (a program's stdout/stderr, supervisord's main log, a file) and their readers.

A program's log is read from its file when that file is local and readable, else through
supervisord's tail call. Every reader has the same shape (`LogReader`).
The XML-RPC modules are imported only when needed, so the TUI never imports xmlrpc itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Protocol

from console.core.logs.follow import FileFollower
from console.core.logs.lines import Batch
from console.core.settings import Settings

REDIRECTED = "(stderr redirected to stdout)"


@dataclass(frozen=True)
class ProgramLog:
    """Where a supervised program's output goes, as supervisord reports it."""

    endpoint: str
    name: str  # group:name as supervisord's calls want it
    stdout_logfile: str
    stderr_logfile: str
    statename: str
    redirect_stderr: bool

    @property
    def label(self) -> str:
        return f"{self.endpoint}/{self.name}"


class LogReader(Protocol):
    """What a log pane needs from a source; every method may block (call it from a worker)."""

    generation: int

    def start(self, n: int) -> Batch: ...
    def poll(self) -> Batch: ...


@dataclass(frozen=True)
class LogSource:
    """One thing a pane can show. `kind` is "program", "main" or "file"."""

    kind: str
    label: str
    endpoint: str | None = None
    program: str | None = None  # group:name
    stream: str = "stdout"
    path: str | None = None  # the file, when there is one (a program's: per stream)
    stdout_path: str | None = None
    stderr_path: str | None = None
    redirected: bool = False

    @property
    def key(self) -> str:
        return (
            f"{self.kind}:{self.endpoint}:{self.program}:{self.path if self.kind == 'file' else ''}"
        )

    @property
    def title(self) -> str:
        return f"{self.label} [{self.stream}]" if self.kind == "program" else self.label

    @property
    def note(self) -> str | None:
        """A lasting remark for the pane's title bar."""
        if self.kind == "program" and self.stream == "stderr" and self.stderr_redirected:
            return REDIRECTED
        return None

    @property
    def stderr_redirected(self) -> bool:
        return self.redirected or not self.stderr_path

    def with_stream(self, stream: str) -> LogSource:
        """The same program's other stream (files are left as they are)."""
        if self.kind != "program":
            return self
        return replace(self, stream=stream)

    def file_path(self) -> str | None:
        """The file to read for this source's current stream, if any."""
        if self.kind == "file":
            return self.path
        if self.kind != "program":
            return None
        if self.stream == "stderr" and not self.stderr_redirected:
            return self.stderr_path
        return self.stdout_path


def program_source(program: ProgramLog, stream: str = "stdout") -> LogSource:
    return LogSource(
        kind="program",
        label=program.label,
        endpoint=program.endpoint,
        program=program.name,
        stream=stream,
        stdout_path=program.stdout_logfile or None,
        stderr_path=program.stderr_logfile or None,
        redirected=program.redirect_stderr,
    )


def file_sources(settings: Settings) -> list[LogSource]:
    """The log files named in the settings, plus each supervisord's main log."""
    files = [LogSource("file", spec.name, path=spec.path) for spec in settings.log_files]
    mains = [
        LogSource("main", f"{endpoint.name}/supervisord", endpoint=endpoint.name)
        for endpoint in settings.supervisors
    ]
    return mains + files


def _readable(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path) and os.access(path, os.R_OK)  # type: ignore[arg-type]


def open_reader(source: LogSource, settings: Settings) -> LogReader:
    """The file follower when the file is here and readable, else supervisord's tail call."""
    path = source.file_path()
    if source.kind == "file" or _readable(path):
        return FileFollower(path or "")
    from console.core.logs.rpc_tail import RpcTail
    from console.core.logs.supervisor_rpc import (
        main_log_read,
        main_log_tail,
        make_client,
        read_call,
        tail_call,
    )

    endpoint = next((e for e in settings.supervisors if e.name == source.endpoint), None)
    if endpoint is None:
        raise LookupError(f"no supervisord named {source.endpoint!r} in the settings")
    # The client keeps a connection per thread; a pane's polls never overlap.
    client = make_client(endpoint, settings.rpc_timeout)
    if source.kind == "main":
        return RpcTail("supervisord", main_log_tail(client), head=main_log_read(client))
    stream = "stderr" if source.stream == "stderr" and not source.stderr_redirected else "stdout"
    return RpcTail(source.program or "", tail_call(client, stream), read_call(client, stream))


def same_program(a: str, b: str) -> bool:
    """`x` and `x:x` name the same program (supervisord accepts both)."""

    def full(name: str) -> str:
        return name if ":" in name else f"{name}:{name}"

    return full(a) == full(b)


def load_sources(settings: Settings) -> tuple[list[LogSource], list[str]]:
    """Every source to offer, and one line per supervisord that could not be asked."""
    from console.core.logs.rpc_tail import RPC_ERRORS, describe_rpc_error
    from console.core.logs.supervisor_rpc import list_programs

    sources: list[LogSource] = []
    problems: list[str] = []
    for endpoint in settings.supervisors:
        try:
            programs = list_programs(endpoint, settings.rpc_timeout)
        except RPC_ERRORS as exc:
            problems.append(f"{endpoint.name}: unreachable: {describe_rpc_error(exc)}")
            continue
        sources.extend(program_source(program) for program in programs)
    return sources + file_sources(settings), problems
