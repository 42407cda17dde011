"""Alembic environment: runs migrations with the Flask app's database engine."""

import contextlib
import logging

from alembic import context
from flask import current_app

config = context.config
logger = logging.getLogger("alembic.env")


def _metadata():
    return current_app.extensions["migrate"].db.metadata


def run_migrations_offline():
    """Write the SQL of the migrations instead of running it (``flask db upgrade --sql``)."""
    url = current_app.extensions["migrate"].db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=_metadata(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations on the app's engine."""

    def skip_empty_revision(context, revision, directives):
        # `flask db migrate` with no model changes should not write an empty migration.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", skip_empty_revision)
    options.setdefault("render_as_batch", True)
    engine = current_app.extensions["migrate"].db.engine
    with engine.connect() as connection, _sqlite_foreign_keys_off(connection):
        context.configure(connection=connection, target_metadata=_metadata(), **options)
        with context.begin_transaction():
            context.run_migrations()


@contextlib.contextmanager
def _sqlite_foreign_keys_off(connection):
    """On SQLite, run the migrations with foreign keys off, then check them and turn them on.

    A batch migration rebuilds a table by copying it and dropping the old one, which enforced
    foreign keys refuse once other tables point at its rows. The pragma is ignored inside a
    transaction, so it is set on the driver's connection before the migration's transaction.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        problems = raw.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"the migration broke foreign keys: {problems[:10]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
