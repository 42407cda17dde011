"""Fixtures: an app on a real SQLite file per test, clients, and account factories.

With QUIZAPP_TEST_DATABASE_URL set (postgresql+psycopg://...), the ``app`` fixture uses that
PostgreSQL database instead: its schema is built once from the migrations, and every table is
emptied and the test set imported again before each test.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import accounts, question_sets
from quizapp.services.schema import create_schema

DATA = Path(__file__).resolve().parent / "data"
SETS = DATA / "sets"
PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

#: The PostgreSQL database the whole suite runs on instead of SQLite, when set.
TEST_DATABASE_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL", "")
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


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once from the migrations, with the test set imported."""
    folder = tmp_path_factory.mktemp("template")
    database = folder / "template.sqlite3"
    app = create_app(app_settings(database, folder))
    with app.app_context():
        create_schema()
        question_sets.import_shipped_sets(SETS)
        db.engine.dispose()
    return database


def require_postgresql() -> str:
    """The PostgreSQL test URL; skip without it (fail in CI, where PostgreSQL must run)."""
    if not TEST_DATABASE_URL:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {POSTGRESQL_MISSING}")
        pytest.skip(POSTGRESQL_MISSING)
    return TEST_DATABASE_URL


def empty_postgresql_tables() -> None:
    """Empty every table of the models (not alembic_version) and restart their ids."""
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture(scope="session")
def postgresql_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The PostgreSQL test database, dropped and built again from the migrations once."""
    url = require_postgresql()
    app = create_app(app_settings(url, tmp_path_factory.mktemp("postgresql")))
    with app.app_context():
        try:
            with db.engine.begin() as connection:
                existing = sa.MetaData()
                existing.reflect(connection)
                existing.drop_all(connection)
        except sa.exc.OperationalError as error:
            pytest.fail(f"cannot reach the PostgreSQL test database {url}: {error.orig}")
        create_schema()
        db.engine.dispose()
    return url


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app with its own copy of the template database file (or emptied PostgreSQL)."""
    if TEST_DATABASE_URL:
        app = create_app(app_settings(request.getfixturevalue("postgresql_database"), tmp_path))
        with app.app_context():
            empty_postgresql_tables()
            question_sets.import_shipped_sets(SETS)
    else:
        database = tmp_path / "quizapp.sqlite3"
        shutil.copyfile(request.getfixturevalue("template_database"), database)
        app = create_app(app_settings(database, tmp_path))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def sqlite_app(tmp_path: Path, template_database: Path) -> Iterator[Flask]:
    """An app on its own SQLite file whatever QUIZAPP_TEST_DATABASE_URL says (SQLite's own tests)."""
    database = tmp_path / "sqlite-app.sqlite3"
    shutil.copyfile(template_database, database)
    app = create_app(app_settings(database, tmp_path))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def postgresql_url() -> str:
    """The PostgreSQL test database URL, for tests that only make sense on PostgreSQL."""
    return require_postgresql()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like test client (cookies kept, CSRF enforced)."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs flask commands against the test app."""
    return app.test_cli_runner()


@pytest.fixture
def create_user(app: Flask) -> Callable[..., User]:
    """Factory: create_user("ana") makes a student; role="teacher" makes a teacher."""

    def make(
        username: str, password: str = PASSWORD, role: str = "student", display_name: str = ""
    ) -> User:
        with app.app_context():
            user = accounts.register_student(username, password, display_name)
            if role != "student":
                user.role = role
                db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token from a page's form."""
    page = client.get(url)
    match = CSRF_PATTERN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code} {page.headers.get('Location')})"
    return match.group(1)


def post_form(
    client: FlaskClient,
    url: str,
    data: dict[str, object],
    page: str | None = None,
    **kwargs: object,
):
    """POST a form with a CSRF token taken from ``page`` (default: the same URL)."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


@pytest.fixture
def login(client: FlaskClient) -> Callable[[str, str], object]:
    """Sign the client in through the real login form."""

    def do_login(username: str, password: str = PASSWORD) -> object:
        response = post_form(client, "/account/login", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login


@pytest.fixture
def signed_in(app: Flask, create_user: Callable[..., User]) -> Callable[..., FlaskClient]:
    """Factory: signed_in("ms-lee", role="teacher") returns a client signed in as a new user."""

    def make(username: str, role: str = "student", display_name: str = "") -> FlaskClient:
        create_user(username, role=role, display_name=display_name)
        client = app.test_client()
        response = post_form(client, "/account/login", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], AbstractContextManager[list[str]]]:
    """Factory: ``with count_queries() as queries:`` collects the SQL the app runs in the block.

    Transaction control (BEGIN, COMMIT, ...) is left out, so counts agree on every database.
    """
    with app.app_context():
        engine = db.engine

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(connection, cursor, statement, parameters, context, executemany) -> None:
            if not TRANSACTION_CONTROL.match(statement):
                statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counting
