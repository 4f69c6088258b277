"""process events from supervisord's event listener

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 06:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("process_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="process", nullable=False)
        )
        batch_op.add_column(sa.Column("stream_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("expected", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("detail", sa.String(length=255), nullable=True))
        batch_op.create_index("uq_process_events_stream", ["host", "stream_id"], unique=True)
        batch_op.create_index("ix_process_events_host_ts", ["host", "ts"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("process_events", schema=None) as batch_op:
        batch_op.drop_index("ix_process_events_host_ts")
        batch_op.drop_index("uq_process_events_stream")
        batch_op.drop_column("detail")
        batch_op.drop_column("expected")
        batch_op.drop_column("stream_id")
        batch_op.drop_column("kind")
