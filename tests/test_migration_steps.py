"""Expand first, contract later: each migration leaves the previous release's schema usable.

During a rolling deploy `flask db upgrade` runs while servers of the previous release still
serve (docs/district.md). So a migration may add tables, columns and indexes, but must not drop
or rename what that release reads or writes, and a column it adds to an existing table must be
nullable or have a server default, or the previous release's INSERTs fail. Removing what no
release uses any more is a later migration of its own, listed in CONTRACTIONS.

Each step is checked on a fresh SQLite file: upgrade to the step before, note the schema, upgrade
one step, then run the previous schema's queries (every column of every table it had) and
compare. The current code on the upgraded schema is checked by test_migrations.py (the models
match the migrations) and by the whole suite, which runs on a migrated database.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from helpers.settings import app_settings

import quizapp
from quizapp import create_app
from quizapp.extensions import db

MIGRATIONS = Path(quizapp.__file__).parent / "migrations"

#: What a migration removes that the release before it still used, by revision. Only for a
#: release whose servers must all run the new code before it is applied.
CONTRACTIONS: dict[str, set[str]] = {
    # Written before this rule: the sign-in limiter moved to throttle_event in the same release.
    # Apply it with the previous release stopped (docs/district.md, "Schema changes").
    "3f2b9c1d7a41": {"login_failure"},
}

Schema = dict[str, dict[str, dict[str, object]]]


def _steps() -> list[tuple[str, str]]:
    """(previous revision, revision) for each migration after the first, oldest first."""
    revisions = list(reversed(list(ScriptDirectory(str(MIGRATIONS)).walk_revisions())))
    return [(step.down_revision, step.revision) for step in revisions if step.down_revision]


def _schema() -> Schema:
    """Every table's columns: whether nullable, and their server default."""
    inspector = sa.inspect(db.engine)
    return {
        table: {
            column["name"]: {"nullable": column["nullable"], "default": column["default"]}
            for column in inspector.get_columns(table)
        }
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def _previous_release_reads(before: Schema) -> list[str]:
    """Run a query on every column the previous schema had; what failed, by table."""
    failures = []
    for table, columns in before.items():
        query = sa.select(*(sa.column(name) for name in columns)).select_from(sa.table(table))
        try:
            with db.engine.connect() as connection:
                connection.execute(query.limit(1)).all()
        except sa.exc.DBAPIError as error:
            failures.append(f"{table}: {error.orig}")
    return failures


def _removed(before: Schema, after: Schema) -> set[str]:
    """Tables and columns (table.column) of ``before`` that ``after`` lacks."""
    gone = {table for table in before if table not in after}
    for table in before.keys() & after.keys():
        gone |= {f"{table}.{column}" for column in before[table] if column not in after[table]}
    return gone


def _added_required(before: Schema, after: Schema) -> set[str]:
    """Columns added to an existing table that an INSERT of the previous release cannot fill."""
    return {
        f"{table}.{column}"
        for table in before.keys() & after.keys()
        for column, info in after[table].items()
        if column not in before[table] and not info["nullable"] and info["default"] is None
    }


def test_every_migration_only_expands_what_the_previous_release_uses(tmp_path):
    app = create_app(app_settings(tmp_path / "steps.sqlite3", tmp_path))
    steps = _steps()
    assert len(steps) >= 4  # the folder was found and read
    with app.app_context():
        for previous, revision in steps:
            upgrade(revision=previous)
            before = _schema()
            upgrade(revision=revision)
            after = _schema()
            allowed = CONTRACTIONS.get(revision, set())
            assert _removed(before, after) - allowed == set(), revision
            assert _added_required(before, after) == set(), revision
            still_used = {table: before[table] for table in before if table not in allowed}
            assert _previous_release_reads(still_used) == [], revision
        db.engine.dispose()


def test_the_check_sees_a_dropped_column_and_a_required_new_one():
    """Guards the test above: a contraction and an unfillable column are both reported."""
    before: Schema = {"user": {"id": {"nullable": False, "default": None}, "name": {}}}
    after: Schema = {
        "user": {
            "id": {"nullable": False, "default": None},
            "email": {"nullable": False, "default": None},
            "nickname": {"nullable": True, "default": None},
            "role": {"nullable": False, "default": "'student'"},
        }
    }
    assert _removed(before, after) == {"user.name"}
    assert _added_required(before, after) == {"user.email"}
    assert _removed(before, {}) == {"user"}


def test_versions_published_before_item_counts_get_theirs_from_their_document(tmp_path):
    """A Part B joins its Part A: the students' count of a stored set is filled in on upgrade."""
    app = create_app(app_settings(tmp_path / "items.sqlite3", tmp_path))
    questions = [
        {"id": "who-a", "type": "true_false"},
        {"id": "who-b", "type": "evidence", "part_of": "who-a"},
        {"id": "when", "type": "true_false"},
        {"id": "stray", "type": "true_false", "part_of": "missing"},
    ]
    with app.app_context():
        upgrade(revision="a3c9e7d15b20")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO question_set (id, slug, created_at) VALUES (1, 's', :now)"),
                {"now": "2026-01-01 00:00:00"},
            )
            for number, document in ((1, {"questions": questions}), (2, {"questions": []})):
                connection.execute(
                    sa.text(
                        "INSERT INTO question_set_version (question_set_id, number, content_hash,"
                        " title, description, question_count, total_points, document, created_at)"
                        " VALUES (1, :number, 'h', 't', '', :count, 4, :document, :now)"
                    ),
                    {
                        "number": number,
                        "count": len(document["questions"]),
                        "document": json.dumps(document),
                        "now": "2026-01-01 00:00:00",
                    },
                )
        upgrade(revision="b7d2e4f6a8c1")
        with db.engine.connect() as connection:
            counts = connection.execute(
                sa.text("SELECT number, question_count, item_count FROM question_set_version")
            ).all()
        db.engine.dispose()
    assert sorted(counts) == [(1, 4, 3), (2, 0, 0)]


def test_the_item_count_step_writes_its_sql_offline(tmp_path, capsys):
    """``flask db upgrade --sql`` has no database to count in: the step writes its column and
    leaves the counts to the fallback (it failed on the missing connection)."""
    app = create_app(app_settings(tmp_path / "offline.sqlite3", tmp_path))
    with app.app_context():
        upgrade(revision="a3c9e7d15b20:b7d2e4f6a8c1", sql=True)
    written = capsys.readouterr().out
    assert "ALTER TABLE question_set_version ADD COLUMN item_count INTEGER" in written
    assert "version_num='b7d2e4f6a8c1'" in written
