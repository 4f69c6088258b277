"""partial time indexes on the raw rows of the metric tables

Rollup reads raw rows by time and the daily prune deletes raw rows past 7 days; through the
plain time index both stepped over every hourly rollup in range (400 days of them per host).
An index of the raw rows only gives them just the rows they want.

Revision ID: 0006_raw_row_time_indexes
Revises: 0005_prune_time_indexes
Create Date: 2026-12-02 00:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_raw_row_time_indexes"
down_revision = "0005_prune_time_indexes"
branch_labels = None
depends_on = None

RAW_ROWS_SQL = "resolution_s < 3600"  # as in models.RAW_ROWS_SQL when this was written
INDEXES = (
    ("ix_health_raw_bucket", "system_health_metrics"),
    ("ix_queue_raw_bucket", "queue_metrics"),
    ("ix_perf_raw_bucket", "performance_metrics"),
)


def upgrade() -> None:
    where = sa.text(RAW_ROWS_SQL)
    for name, table in INDEXES:
        op.create_index(name, table, ["bucket"], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, table in INDEXES:
        op.drop_index(name, table_name=table)
