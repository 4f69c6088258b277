"""Process state changes, recorded from each collection, and restarts counted from them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, func, insert, or_, select

from console.core.events.model import PROCESS, ProcessEvent
from console.core.store.engine import reading, writing
from console.core.store.models import ProcessEventRow
from console.core.supervisor.models import ProcessesSnapshot, ProcessInfo

HOUR, DAY = 3600, 86400


@dataclass(frozen=True)
class RestartCounts:
    hour: int
    day: int


def _latest(conn, host: str) -> dict[tuple[str, str], tuple[str, int | None]]:
    """(endpoint, program) -> (state, pid) of the newest event, for this host."""
    newest = (
        select(func.max(ProcessEventRow.id).label("id"))
        .where(ProcessEventRow.host == host)
        .group_by(ProcessEventRow.endpoint, ProcessEventRow.program)
        .subquery()
    )
    rows = conn.execute(select(ProcessEventRow).join(newest, ProcessEventRow.id == newest.c.id))
    return {(r.endpoint, r.program): (r.to_state, r.pid) for r in rows}


def _changes(
    snapshot: ProcessesSnapshot, latest: dict, skip: Collection[str] = ()
) -> Iterable[dict]:
    reachable = {e.name for e in snapshot.endpoints if e.ok} - set(skip)
    for p in snapshot.processes:
        if p.endpoint not in reachable:
            continue
        before = latest.get((p.endpoint, p.full_name))
        if before == (p.statename, p.pid or None):
            continue
        yield _row(snapshot, p, before[0] if before else None)


def _row(snapshot: ProcessesSnapshot, p: ProcessInfo, from_state: str | None) -> dict:
    return {
        "host": snapshot.host,
        "endpoint": p.endpoint,
        "program": p.full_name,
        "ts": snapshot.ts,
        "from_state": from_state,
        "to_state": p.statename,
        "pid": p.pid or None,
        "exitstatus": p.exitstatus,
    }


def record_changes(engine: Engine, snapshot: ProcessesSnapshot, skip: Collection[str] = ()) -> int:
    """Append one event per program whose state or pid changed since its last event (except
    on the `skip` endpoints, whose event listener records every change itself)."""
    with writing(engine) as conn:
        rows = list(_changes(snapshot, _latest(conn, snapshot.host), skip))
        if rows:
            conn.execute(insert(ProcessEventRow), rows)
    return len(rows)


# A restart: (re)entering STARTING, or RUNNING reached without a STARTING seen in between
# (a collection every minute misses the short STARTING of a quick restart). The first event
# of a program (no from_state) is its first sighting, not a restart.
_IS_RESTART = and_(
    ProcessEventRow.from_state.is_not(None),
    or_(
        ProcessEventRow.to_state == "STARTING",
        and_(ProcessEventRow.to_state == "RUNNING", ProcessEventRow.from_state != "STARTING"),
    ),
)


def restart_counts(
    engine: Engine, host: str, now: float, past: bool = False
) -> dict[tuple[str, str], RestartCounts]:
    """(endpoint, group:name) -> restarts in the last hour and day (`past`: `now` is a past
    time, and the events after it do not count)."""
    in_hour = func.sum(case((ProcessEventRow.ts >= now - HOUR, 1), else_=0))
    until = [ProcessEventRow.ts <= now] if past else []
    query = (
        select(ProcessEventRow.endpoint, ProcessEventRow.program, in_hour, func.count())
        .where(ProcessEventRow.host == host, ProcessEventRow.ts >= now - DAY, _IS_RESTART, *until)
        .group_by(ProcessEventRow.endpoint, ProcessEventRow.program)
    )
    with reading(engine) as conn:
        return {
            (endpoint, program): RestartCounts(int(hour or 0), int(day))
            for endpoint, program, hour, day in conn.execute(query)
        }


def _from_row(row: ProcessEventRow) -> ProcessEvent:
    return ProcessEvent(
        ts=row.ts,
        endpoint=row.endpoint,
        kind=row.kind or PROCESS,
        program=row.program,
        to_state=row.to_state,
        from_state=row.from_state,
        pid=row.pid,
        expected=row.expected,
        exitstatus=row.exitstatus,
        detail=row.detail,
        stream_id=row.stream_id,
    )


def stored_events(
    engine: Engine, host: str, endpoint: str, program: str, limit: int, until: float | None = None
) -> list[ProcessEvent]:
    """The newest `limit` stored transitions of one program (at or before `until` when
    given), newest first."""
    up_to = [ProcessEventRow.ts <= until] if until is not None else []
    query = (
        select(ProcessEventRow)
        .where(
            ProcessEventRow.host == host,
            ProcessEventRow.endpoint == endpoint,
            ProcessEventRow.program == program,
            *up_to,
        )
        .order_by(ProcessEventRow.ts.desc(), ProcessEventRow.id.desc())
        .limit(limit)
    )
    with reading(engine) as conn:
        return [_from_row(row) for row in conn.execute(query)]


def events_since(
    engine: Engine, host: str, since: float, program: str | None, limit: int = 10_000
) -> list[ProcessEvent]:
    """Stored events of a host since `since`, newest first (one program, or all)."""
    query = select(ProcessEventRow).where(ProcessEventRow.host == host, ProcessEventRow.ts >= since)
    if program is not None:
        query = query.where(ProcessEventRow.program == program)
    query = query.order_by(ProcessEventRow.ts.desc(), ProcessEventRow.id.desc()).limit(limit)
    with reading(engine) as conn:
        return [_from_row(row) for row in conn.execute(query)]


def marker_events(
    engine: Engine, host: str, since: float, until: float, limit: int = 5000
) -> list[ProcessEvent]:
    """Stored events that make chart markers (starts, FATALs, group and supervisord changes)."""
    query = (
        select(ProcessEventRow)
        .where(
            ProcessEventRow.host == host,
            ProcessEventRow.ts >= since,
            ProcessEventRow.ts < until,
            or_(
                ProcessEventRow.to_state.in_(("STARTING", "FATAL")),
                ProcessEventRow.kind != PROCESS,
            ),
        )
        .order_by(ProcessEventRow.ts.desc())
        .limit(limit)
    )
    with reading(engine) as conn:
        return [_from_row(row) for row in conn.execute(query)]


def states_at(engine: Engine, host: str, at: float) -> list[ProcessEvent]:
    """Each program's newest process event at or before `at`: its state then."""
    row = ProcessEventRow
    newest = (
        select(row.endpoint, row.program, func.max(row.ts).label("ts"))
        .where(row.host == host, row.ts <= at, row.kind == PROCESS)
        .group_by(row.endpoint, row.program)
        .subquery()
    )
    query = (
        select(row)
        .join(
            newest,
            and_(
                row.endpoint == newest.c.endpoint,
                row.program == newest.c.program,
                row.ts == newest.c.ts,
            ),
        )
        .where(row.host == host, row.kind == PROCESS)
        .order_by(row.endpoint, row.program, row.id)
    )
    with reading(engine) as conn:
        found = {(r.endpoint, r.program): _from_row(r) for r in conn.execute(query)}
    return list(found.values())  # the last of equal times wins (ids follow arrival)


def events_around(engine: Engine, host: str, at: float, each_side: int = 10) -> list[ProcessEvent]:
    """Up to `each_side` events before `at` and as many from it on, oldest first."""
    row = ProcessEventRow
    before = (
        select(row)
        .where(row.host == host, row.ts < at)
        .order_by(row.ts.desc(), row.id.desc())
        .limit(each_side)
    )
    after = (
        select(row).where(row.host == host, row.ts >= at).order_by(row.ts, row.id).limit(each_side)
    )
    with reading(engine) as conn:
        older = [_from_row(r) for r in conn.execute(before)]
        newer = [_from_row(r) for r in conn.execute(after)]
    return [*reversed(older), *newer]
