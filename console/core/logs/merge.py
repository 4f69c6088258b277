"""Several logs read as one: lines merged by timestamp, each tagged with its source.

A line without a timestamp (a traceback frame, a continuation) takes the time of the line
before it in its own log, so it stays with that line. Each log's own order is kept.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from console.core.logs.lines import Batch, LogLine
from console.core.logs.scan import Progress
from console.core.logs.search import Query
from console.core.logs.sources import LogReader
from console.core.logs.timestamps import line_time

EARLIEST = float("-inf")


class Clock:
    """The time of the last stamped line of one log (carried to lines without a stamp)."""

    def __init__(self) -> None:
        self.last = EARLIEST

    def stamp(self, line: LogLine) -> float:
        if not line.marker:
            found = line_time(line.text)
            if found is not None:
                self.last = found
        return self.last


def merge(
    groups: Sequence[Iterable[LogLine]], clocks: Sequence[Clock] | None = None
) -> Iterator[LogLine]:
    """Lines of several logs (group i is log i, in its own order) as one stream, tagged i.

    Lazy: groups may be iterators over whole files; only one line per log is held.
    """
    clocks = clocks or [Clock() for _ in groups]

    def keyed(i: int, lines: Iterable[LogLine]) -> Iterator[tuple[float, int, int, LogLine]]:
        for n, line in enumerate(lines):
            yield clocks[i].stamp(line), i, n, replace(line, source=i)

    return (item[3] for item in heapq.merge(*(keyed(i, g) for i, g in enumerate(groups))))


class MergedReader:
    """A LogReader over several readers: their lines merged by time, followed live."""

    def __init__(self, readers: Sequence[LogReader], names: Sequence[str]) -> None:
        self.readers = list(readers)
        self.names = list(names)
        self.generation = 0
        self._clocks = [Clock() for _ in readers]

    def start(self, n: int) -> Batch:
        batches = [reader.start(n) for reader in self.readers]
        self._clocks = [Clock() for _ in self.readers]
        lines = list(merge([b.lines for b in batches], self._clocks))
        return Batch(tuple(lines[-n:]) if n else (), reset=True, note=_note(batches))

    def poll(self) -> Batch:
        batches = [reader.poll() for reader in self.readers]
        lines = tuple(merge([b.lines for b in batches], self._clocks))
        return Batch(lines, note=_note(batches))

    def read_at(self, at: float, n: int) -> Batch:
        """The first n merged lines at or after `at`: each log jumps there by itself (its own
        bisection), then their lines are merged by time. Logs that cannot jump say so."""
        groups: list[tuple[LogLine, ...]] = []
        missing = []
        for reader, name in zip(self.readers, self.names, strict=True):
            jump = getattr(reader, "read_at", None)
            if jump is None:
                missing.append(name)
                groups.append(())
            else:
                groups.append(jump(at, n).lines)
        lines = tuple(merge(groups))[:n]
        note = f"cannot jump to a time: {', '.join(missing)}" if missing else None
        return Batch(lines, note=note)

    def filtered(
        self, query: Query, n: int, cancelled: Callable[[], bool]
    ) -> Iterator[tuple[tuple[LogLine, ...], Progress]]:
        """The last n kept lines of every log that can be scanned, merged (one result)."""
        groups: list[list[LogLine]] = []
        finals: list[Progress] = []
        for reader in self.readers:
            older: list[tuple[LogLine, ...]] = []
            scan = getattr(reader, "filtered", None)
            for lines, progress in scan(query, n, cancelled) if scan else ():
                older.append(lines)
                last = progress
            if older:
                finals.append(last)
            groups.append([line for lines in reversed(older) for line in lines])
        merged = list(merge(groups))[-n:]
        yield (
            tuple(merged),
            Progress(
                sum(p.scanned for p in finals),
                sum(p.total for p in finals),
                sum(p.matches for p in finals),
                max((p.elapsed for p in finals), default=0.0),
                done=True,
            ),
        )

    def close(self) -> None:
        for reader in self.readers:
            close = getattr(reader, "close", None)
            if close is not None:
                close()


def _note(batches: Sequence[Batch]) -> str | None:
    notes = [b.note for b in batches if b.note]
    return "; ".join(notes) if notes else None
