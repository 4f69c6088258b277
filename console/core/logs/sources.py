"""Log sources (a program's stdout/stderr, supervisord's main log, a file) and their readers.

A program's log is read from its file when that file is local and readable, else through
supervisord's tail call. Every reader has the same shape (`LogReader`).
The XML-RPC modules are imported only when needed, so the TUI never imports xmlrpc itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any, Protocol

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
    """One thing a pane can show. `kind` is "program", "main", "file" or "merged".

    `label` is the source's one name, the same in the console and on the command line
    (`stackwatch logs LABEL`): see `load_sources`.
    """

    kind: str
    label: str
    endpoint: str | None = None
    program: str | None = None  # group:name
    stream: str = "stdout"
    path: str | None = None  # the file, when there is one (a program's: per stream)
    stdout_path: str | None = None
    stderr_path: str | None = None
    redirected: bool = False
    parts: tuple[LogSource, ...] = ()  # a merged source's logs
    host: str | None = None  # another host's log, read through its worker (console.core.fleet)

    @property
    def key(self) -> str:
        if self.kind == "merged":
            return "merged:" + "+".join(part.key + ":" + part.stream for part in self.parts)
        return (
            f"{self.kind}:{self.endpoint}:{self.program}:{self.path if self.kind == 'file' else ''}"
        )

    @property
    def title(self) -> str:
        if self.kind == "merged":
            return " + ".join(part.title for part in self.parts)
        return f"{self.label} [{self.stream}]" if self.kind == "program" else self.label

    @property
    def short(self) -> str:
        """A short tag for merged lines: the name, with :err for a program's stderr."""
        name = self.label.rsplit("/", 1)[-1]
        return f"{name}:err" if self.kind == "program" and self.stream == "stderr" else name

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


def _qualified(endpoint: str, name: str, qualify: bool) -> str:
    return f"{endpoint}/{name}" if qualify else name


def program_source(program: ProgramLog, stream: str = "stdout", qualify: bool = True) -> LogSource:
    """A program's log; named `name` (or `group:name`), `endpoint/…` when several supervisords."""
    return LogSource(
        kind="program",
        label=_qualified(program.endpoint, program.name, qualify),
        endpoint=program.endpoint,
        program=program.name,
        stream=stream,
        stdout_path=program.stdout_logfile or None,
        stderr_path=program.stderr_logfile or None,
        redirected=program.redirect_stderr,
    )


def file_sources(settings: Settings) -> list[LogSource]:
    """The log files named in the settings, plus each supervisord's main log (`supervisord`)."""
    qualify = len(settings.supervisors) > 1
    files = [LogSource("file", spec.name, path=spec.path) for spec in settings.log_files]
    mains = [
        LogSource("main", _qualified(e.name, "supervisord", qualify), endpoint=e.name)
        for e in settings.supervisors
    ]
    return files + mains


def merged_source(parts: list[LogSource]) -> LogSource:
    """Several sources read as one."""
    return LogSource("merged", " + ".join(p.short for p in parts), parts=tuple(parts))


def _real(path: str | None) -> str | None:
    return os.path.realpath(path) if path else None


def unique_sources(sources: list[LogSource]) -> list[LogSource]:
    """Each log once, under one name: a file that is a program's log is that program; a
    configured file named like a supervisord's main log stands for it; another clash of
    names makes the file `file:NAME`."""
    taken = {
        _real(p) for s in sources if s.kind == "program" for p in (s.stdout_path, s.stderr_path)
    }
    names = {s.label for s in sources if s.kind == "program"}
    out = [s for s in sources if s.kind == "program"]
    for source in (s for s in sources if s.kind == "file"):
        real = _real(source.path)
        if real in taken:
            continue
        taken.add(real)
        if source.label in names:
            source = replace(source, label=f"file:{source.label}")
        names.add(source.label)
        out.append(source)
    out.extend(s for s in sources if s.kind == "main" and s.label not in names)
    return out


def _readable(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path) and os.access(path, os.R_OK)  # type: ignore[arg-type]


def open_reader(source: LogSource, settings: Settings, fleet: Any = None) -> LogReader:
    """The file follower when the file is here and readable, else supervisord's tail call
    (through the host's worker for another host's log; `fleet`: a FleetClient to share)."""
    if source.kind == "merged":
        from console.core.logs.merge import MergedReader

        readers = [open_reader(part, settings, fleet) for part in source.parts]
        return MergedReader(readers, [part.short for part in source.parts])
    path = source.file_path()
    if source.host is None and (source.kind == "file" or _readable(path)):
        return FileFollower(path or "")
    from console.core.logs.rpc_tail import RpcTail
    from console.core.logs.supervisor_rpc import (
        main_log_read,
        main_log_tail,
        make_client,
        read_call,
        tail_call,
    )

    client: Any
    if source.host is not None:  # another host: the same calls, made by its worker
        from console.core.fleet.logs import RemoteCalls, fleet_client, remote_program

        fleet = fleet or fleet_client(settings)
        if source.kind == "program":
            return remote_program(source, fleet)
        client = RemoteCalls(fleet, source.host, source.endpoint or "")
    else:
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
    """Every source to offer, each once under its one name, and one line per supervisord
    that could not be asked."""
    from console.core.logs.rpc_tail import RPC_ERRORS, describe_rpc_error
    from console.core.logs.supervisor_rpc import list_programs

    if not settings.supervisors and settings.redis_url:
        from console.core.fleet.logs import published_sources

        return published_sources(settings)
    qualify = len(settings.supervisors) > 1
    sources: list[LogSource] = []
    problems: list[str] = []
    for endpoint in settings.supervisors:
        try:
            programs = list_programs(endpoint, settings.rpc_timeout)
        except RPC_ERRORS as exc:
            problems.append(f"{endpoint.name}: unreachable: {describe_rpc_error(exc)}")
            continue
        sources.extend(program_source(program, qualify=qualify) for program in programs)
    return unique_sources(sources + file_sources(settings)), problems


def find_source(name: str, sources: list[LogSource]) -> LogSource | None:
    """The source a user names: its label, `name`/`group:name`/`endpoint/name` of a program,
    `supervisord`, or any of these with `:stderr`/`:stdout`."""
    for source in sources:
        if source.label == name:
            return source
    endpoint, _, short = name.rpartition("/")
    matches = [
        s
        for s in sources
        if s.kind == "program"
        and (not endpoint or s.endpoint == endpoint)
        and (same_program(s.program or "", short) or (s.program or "").split(":")[-1] == short)
    ]
    if len(matches) == 1:
        return matches[0]
    base, _, stream = name.rpartition(":")
    if stream in ("stdout", "stderr") and base:
        found = find_source(base, sources)
        if found is not None and found.kind == "program":
            return found.with_stream(stream)
    return None


def merge_suggestions(sources: list[LogSource]) -> list[LogSource]:
    """Merged views worth offering: each group's programs, and a program's stdout + stderr."""
    groups: dict[tuple[str | None, str], list[LogSource]] = {}
    out: list[LogSource] = []
    for source in sources:
        if source.kind != "program":
            continue
        group = (source.program or "").split(":")[0]
        groups.setdefault((source.endpoint, group), []).append(source)
        if not source.stderr_redirected:
            out.append(merged_source([source, source.with_stream("stderr")]))
    wanted = [merged_source(members) for members in groups.values() if len(members) > 1]
    return wanted + out
