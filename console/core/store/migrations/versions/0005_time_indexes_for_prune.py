"""time indexes on the log tables, so the daily prune reads only the rows it deletes

The prune walks each table's time column in windows; without an index leading on that
column every window was a scan of the whole table (and of its dead rows on PostgreSQL).

Revision ID: 0005_prune_time_indexes
Revises: 0004_alert_history
Create Date: 2026-12-02 00:30:00
"""

from alembic import op

revision = "0005_prune_time_indexes"
down_revision = "0004_alert_history"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_job_runs_started", "job_runs", ["started"]),
    ("ix_job_failures_ts", "job_failures", ["ts"]),
    ("ix_process_events_ts", "process_events", ["ts"]),
    ("ix_alert_history_ts", "alert_history", ["ts"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
