"""Alembic environment: runs on the engine stackwatch hands over (never reads alembic.ini)."""

from __future__ import annotations

from alembic import context

from console.core.store.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    if connection.dialect.name == "postgresql":  # an index on a big table may take minutes
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
