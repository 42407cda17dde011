"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import quizapp
from quizapp.database import SCHEMA_REVISIONS
from quizapp.extensions import db


def test_models_and_migrations_agree(app):
    """The app fixture's database was built from the migrations (on PostgreSQL in that run)."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run `flask --app quizapp db migrate` and review the migration"


def test_the_comparison_sees_a_table_the_migrations_lack(app):
    """Guards the test above: a model without a migration must show up as a difference."""
    extra = sa.MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(extra)
    sa.Table("not_migrated", extra, sa.Column("id", sa.Integer, primary_key=True))
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, extra)
    assert [(kind, table.name) for kind, table, *_ in differences] == [
        ("add_table", "not_migrated")
    ]


def test_the_health_checks_list_of_revisions_is_the_migrations_folder():
    """A new migration must be added to database.SCHEMA_REVISIONS, or /healthz would call a
    database at it newer than this release and let a server behind it serve."""
    folder = ScriptDirectory(str(Path(quizapp.__file__).parent / "migrations"))
    assert tuple(r.revision for r in folder.walk_revisions())[::-1] == SCHEMA_REVISIONS
