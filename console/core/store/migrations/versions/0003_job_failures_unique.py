"""job_failures: one row per (host, task_id, ts), so storing a failure twice is a no-op

Revision ID: 0003_failures_once
Revises: 0002
Create Date: 2026-12-01 06:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_failures_once"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows stored twice by earlier versions (a retry after a crash) go first, keeping the oldest.
    op.execute(
        sa.text(
            "DELETE FROM job_failures WHERE id NOT IN "
            "(SELECT keep FROM (SELECT MIN(id) AS keep FROM job_failures "
            "GROUP BY host, task_id, ts) AS firsts)"
        )
    )
    op.create_index(
        "uq_job_failures_host_task_ts", "job_failures", ["host", "task_id", "ts"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_job_failures_host_task_ts", table_name="job_failures")
