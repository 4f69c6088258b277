"""alert_history: alerts fired, silenced and resolved, and their deliveries

Revision ID: 0004_alert_history
Revises: 0003_failures_once
Create Date: 2026-12-02 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_alert_history"
down_revision = "0003_failures_once"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_history",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("ts", sa.Float(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("target", sa.String(length=255), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alert_history_host_ts", "alert_history", ["host", "ts"])
    op.create_index("ix_alert_history_fingerprint", "alert_history", ["fingerprint", "ts"])


def downgrade() -> None:
    op.drop_index("ix_alert_history_fingerprint", table_name="alert_history")
    op.drop_index("ix_alert_history_host_ts", table_name="alert_history")
    op.drop_table("alert_history")
