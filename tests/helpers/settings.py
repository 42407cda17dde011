"""Where the test data lives, the test password, and the settings of a test app."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from quizapp.extensions import db

TESTS = Path(__file__).resolve().parent.parent
DATA = TESTS / "data"
SETS = DATA / "sets"
PROJECT = TESTS.parent
PASSWORD = "correct horse battery"

#: The pytest-xdist worker this process is ("gw0", "gw1" ...), or "" in a run without -n.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def per_worker(url: str, worker: str = XDIST_WORKER) -> str:
    """``url`` with the database of this pytest-xdist worker: the given name plus ``_gw0``,
    ``_gw1`` ..., so that workers never empty or refill one another's database. Unchanged in a
    run without -n, and for an empty URL."""
    if not url or not worker:
        return url
    parsed = sa.engine.make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


#: The URL the test suite was given, whose database a worker's database is made beside.
GIVEN_DATABASE_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL", "")
#: The PostgreSQL database the whole suite runs on instead of SQLite, when set (this worker's).
TEST_DATABASE_URL = per_worker(GIVEN_DATABASE_URL)
IN_CI = os.environ.get("CI", "").lower() in ("true", "1")
POSTGRESQL_MISSING = (
    "set QUIZAPP_TEST_DATABASE_URL to run the PostgreSQL tests, for example "
    "QUIZAPP_TEST_DATABASE_URL=postgresql+psycopg://quizapp:quizapp@127.0.0.1/quizapp_test"
)
#: Statements that only open or close a transaction; query counts leave them out.
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


def app_settings(database: Path | str, instance: Path) -> dict[str, object]:
    """Test settings on a SQLite file (a Path) or a database URL (a str)."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(instance),
        "QUESTIONS_DIR": str(SETS),
        # The OWASP ASVS minimum for argon2id: still argon2id, but quick enough for tests.
        "PASSWORD_HASH_TIME_COST": 2,
        "PASSWORD_HASH_MEMORY_KIB": 19 * 1024,
        "PASSWORD_HASH_PARALLELISM": 1,
    }


def require_postgresql() -> str:
    """The PostgreSQL test URL; skip without it (fail in CI, where PostgreSQL must run)."""
    if not TEST_DATABASE_URL:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {POSTGRESQL_MISSING}")
        pytest.skip(POSTGRESQL_MISSING)
    if TEST_DATABASE_URL != GIVEN_DATABASE_URL:
        _create_worker_database()
    return TEST_DATABASE_URL


@functools.cache  # once per worker process
def _create_worker_database() -> None:
    """Create this worker's database beside the given one, if it does not exist yet."""
    name = sa.engine.make_url(TEST_DATABASE_URL).database
    engine = sa.create_engine(GIVEN_DATABASE_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(
            f"cannot make the worker's database {name} beside {GIVEN_DATABASE_URL}: {error}"
        )
    finally:
        engine.dispose()


def empty_postgresql_tables() -> None:
    """Empty every table of the models (not alembic_version) and restart their ids."""
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


class PostgreSQLTestData:
    """The rows of the test database as the migrations and the test set leave them, put back
    before each test in one short transaction.

    TRUNCATE takes a tenth of a second or more per test (it makes new files for every table),
    and importing the test set again parses it each time; deleting the few rows a test wrote and
    inserting the kept ones takes milliseconds. Each id sequence restarts after the kept rows,
    as after ``TRUNCATE ... RESTART IDENTITY`` and the import.
    """

    def __init__(self) -> None:
        connection = db.session.connection()
        tables = db.metadata.sorted_tables
        self.rows = {
            table: [dict(row) for row in connection.execute(table.select()).mappings()]
            for table in tables
        }
        self.sequences = [
            (table, sequence)
            for table in tables
            if "id" in table.c
            and (
                sequence := connection.scalar(
                    sa.text("SELECT pg_get_serial_sequence(:table, 'id')"),
                    {"table": f'"{table.name}"'},
                )
            )
        ]
        db.session.commit()

    def restore(self) -> None:
        """Every table back to the kept rows, and every id sequence to follow them."""
        connection = db.session.connection()
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        for table, rows in self.rows.items():
            if rows:
                connection.execute(table.insert(), rows)
        for table, sequence in self.sequences:
            following = sa.func.coalesce(sa.func.max(table.c.id), 0) + 1
            connection.execute(sa.select(sa.func.setval(sequence, following, False)))
        db.session.commit()
