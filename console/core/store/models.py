"""Table definitions: the one place that names tables and columns.

Time columns are integer (or float) UTC epoch seconds: identical on SQLite and PostgreSQL, and
downsampling is plain integer arithmetic in SQL. `resolution_s` separates raw rows from rollups
(60 = one minute, 300 = five minutes, 3600 = one hour) so the original three table names hold
both and a 30-day chart reads hourly rows only.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import TextClause

# Raw rows (finer than an hour), written out as SQL so a query that says the same words can use
# the partial indexes below on both engines (a bound parameter would not prove the predicate).
RAW_ROWS_SQL = "resolution_s < 3600"


def raw_index(name: str) -> Index:
    """The time index of raw rows only: rollup and the raw prune never step over the hourly
    rows (400 days of them per host, where the raw rows are 7)."""
    where: TextClause = text(RAW_ROWS_SQL)
    return Index(name, "bucket", sqlite_where=where, postgresql_where=where)


# SQLite only makes INTEGER PRIMARY KEY an alias of rowid (autoincrement); PostgreSQL wants BIGINT.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class SystemHealthRow(Base):
    __tablename__ = "system_health_metrics"
    __table_args__ = (
        UniqueConstraint("host", "resolution_s", "bucket", name="uq_health_host_res_bucket"),
        Index("ix_health_bucket", "bucket"),
        raw_index("ix_health_raw_bucket"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    bucket: Mapped[int] = mapped_column(BigInteger)  # bucket start, UTC epoch seconds
    resolution_s: Mapped[int] = mapped_column(Integer, default=60)
    samples: Mapped[int] = mapped_column(Integer, default=1)
    scope: Mapped[str] = mapped_column(String(16), default="host")
    cpu_percent: Mapped[float | None] = mapped_column(Float)
    load1: Mapped[float | None] = mapped_column(Float)
    mem_percent: Mapped[float | None] = mapped_column(Float)
    mem_used: Mapped[int | None] = mapped_column(BigInteger)
    swap_percent: Mapped[float | None] = mapped_column(Float)
    disk_percent: Mapped[float | None] = mapped_column(Float)
    disk_read_bps: Mapped[float | None] = mapped_column(Float)
    disk_write_bps: Mapped[float | None] = mapped_column(Float)
    net_rx_bps: Mapped[float | None] = mapped_column(Float)
    net_tx_bps: Mapped[float | None] = mapped_column(Float)
    process_count: Mapped[int | None] = mapped_column(Integer)


class QueueRow(Base):
    __tablename__ = "queue_metrics"
    __table_args__ = (
        UniqueConstraint(
            "host", "resolution_s", "bucket", "queue", name="uq_queue_host_res_bucket_queue"
        ),
        Index("ix_queue_bucket", "bucket"),
        raw_index("ix_queue_raw_bucket"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    bucket: Mapped[int] = mapped_column(BigInteger)
    resolution_s: Mapped[int] = mapped_column(Integer, default=60)
    samples: Mapped[int] = mapped_column(Integer, default=1)
    queue: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    pending: Mapped[int | None] = mapped_column(BigInteger)
    scheduled: Mapped[int | None] = mapped_column(BigInteger)
    reserved: Mapped[int | None] = mapped_column(BigInteger)
    failed: Mapped[int | None] = mapped_column(BigInteger)


class PerformanceRow(Base):
    __tablename__ = "performance_metrics"
    __table_args__ = (
        UniqueConstraint("host", "resolution_s", "bucket", name="uq_perf_host_res_bucket"),
        Index("ix_perf_bucket", "bucket"),
        raw_index("ix_perf_raw_bucket"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    bucket: Mapped[int] = mapped_column(BigInteger)
    resolution_s: Mapped[int] = mapped_column(Integer, default=300)
    samples: Mapped[int] = mapped_column(Integer, default=1)
    requests: Mapped[int] = mapped_column(BigInteger, default=0)
    rps_avg: Mapped[float | None] = mapped_column(Float)
    rps_peak: Mapped[float | None] = mapped_column(Float)
    latency_avg_ms: Mapped[float | None] = mapped_column(Float)
    latency_p95_ms: Mapped[float | None] = mapped_column(Float)
    errors_5xx: Mapped[int] = mapped_column(BigInteger, default=0)
    jobs_processed: Mapped[int] = mapped_column(BigInteger, default=0)
    jobs_failed: Mapped[int] = mapped_column(BigInteger, default=0)
    runtime_avg_ms: Mapped[float | None] = mapped_column(Float)
    runtime_p95_ms: Mapped[float | None] = mapped_column(Float)
    wait_avg_ms: Mapped[float | None] = mapped_column(Float)


class JobRunRow(Base):
    """The periodic job ledger: one row per run of one of our (or an app's) periodic jobs."""

    __tablename__ = "job_runs"
    __table_args__ = (
        Index("ix_job_runs_host_job_started", "host", "job", "started"),
        Index("ix_job_runs_started", "started"),  # the daily prune walks this
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    job: Mapped[str] = mapped_column(String(255))
    started: Mapped[float] = mapped_column(Float)
    duration_ms: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(16))  # ok | error | retrying | locked | expired
    error: Mapped[str | None] = mapped_column(Text)


class JobFailureRow(Base):
    """A failed task of an instrumented huey app, with what is needed to show and retry it."""

    __tablename__ = "job_failures"
    __table_args__ = (
        Index("ix_job_failures_host_ts", "host", "ts"),
        Index("ix_job_failures_ts", "ts"),  # the daily prune walks this
        # one row per failure however often it is stored (a retry after a crash stores again)
        Index("uq_job_failures_host_task_ts", "host", "task_id", "ts", unique=True),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    ts: Mapped[float] = mapped_column(Float)
    queue: Mapped[str] = mapped_column(String(255))
    task: Mapped[str] = mapped_column(String(255))
    task_id: Mapped[str] = mapped_column(String(64))
    retries: Mapped[int] = mapped_column(Integer, default=0)
    exception: Mapped[str] = mapped_column(Text)
    traceback: Mapped[str | None] = mapped_column(Text)
    args: Mapped[dict | None] = mapped_column(JSON)  # captured arguments, when allowed


class ProcessEventRow(Base):
    """A supervised program changed state: counts restarts and crash loops.

    Rows come from supervisord's events (`stream_id` set: exact, every transition) or, where
    no listener runs, from the collection's polls (`stream_id` NULL: what a poll could see).
    """

    __tablename__ = "process_events"
    __table_args__ = (
        Index("ix_process_events_program_ts", "endpoint", "program", "ts"),
        # The cache stream's entry id: an event is stored once, however often it is moved.
        Index("uq_process_events_stream", "host", "stream_id", unique=True),
        Index("ix_process_events_host_ts", "host", "ts"),
        Index("ix_process_events_ts", "ts"),  # the daily prune walks this
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    endpoint: Mapped[str] = mapped_column(String(255))
    program: Mapped[str] = mapped_column(String(255))  # group:name
    ts: Mapped[float] = mapped_column(Float)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    pid: Mapped[int | None] = mapped_column(Integer)
    exitstatus: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="process", server_default="process")
    stream_id: Mapped[str | None] = mapped_column(String(40))
    expected: Mapped[bool | None] = mapped_column(Boolean)
    detail: Mapped[str | None] = mapped_column(String(255))


class AuditRow(Base):
    """Every action taken from the console or the CLI: who, when, what, target, result."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_ts", "ts"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    ts: Mapped[float] = mapped_column(Float)
    user: Mapped[str] = mapped_column(String(255))
    host: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text)
    command: Mapped[str | None] = mapped_column(Text)  # the supervisorctl equivalent
    result: Mapped[str] = mapped_column(Text)


class StateRow(Base):
    """Small persisted facts, e.g. when the daily cleanup last ran."""

    __tablename__ = "stackwatch_state"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated: Mapped[float] = mapped_column(Float)


class AlertHistoryRow(Base):
    """What happened to an alert: fired, silenced, resolved, a delivery sent, failed or dropped.

    The timeline marks alerts on charts from these rows; they are pruned with the other logs.
    """

    __tablename__ = "alert_history"
    __table_args__ = (
        Index("ix_alert_history_host_ts", "host", "ts"),
        Index("ix_alert_history_fingerprint", "fingerprint", "ts"),
        Index("ix_alert_history_ts", "ts"),  # the daily prune walks this
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    ts: Mapped[float] = mapped_column(Float)
    fingerprint: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255))
    event: Mapped[str] = mapped_column(String(16))  # firing|silenced|resolved|sent|failed|dropped
    summary: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    target: Mapped[str | None] = mapped_column(String(255))  # masked (mask_target), never whole
    detail: Mapped[str | None] = mapped_column(Text)
