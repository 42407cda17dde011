"""Fixtures: an app on a real SQLite file per test, clients, and factories of test data.

One app serves every test that asks for ``app`` (``helpers.apps.SharedApp``): before each test
its database is put back to the template, its settings to the test settings and its state to
empty, so a test sees no other test's data. With QUIZAPP_TEST_DATABASE_URL set
(postgresql+psycopg://...), the app uses that PostgreSQL database instead: its schema is built
once from the migrations, and every table is emptied and the test set imported again before
each test. Tests that need settings of their own at start build their own app (``make_app``).
The suite also runs in parallel (``pytest -n 2``, pytest-xdist): each worker has its own
template and shared app, and on PostgreSQL its own database beside the given one (its name
with ``_gw0``, ``_gw1`` ... added, created when missing; see ``helpers.settings.per_worker``).

The factories (``create_user``, ``create_class``, ``create_assignment`` ...) are fixtures that
return callables building rows through the services (see ``helpers/factories.py``); shared
helpers that are not fixtures live in the ``helpers`` package.
"""

from __future__ import annotations

import os
import sys

# The suite keeps compiled bytecode even where the environment says not to write it
# (PYTHONDONTWRITEBYTECODE): otherwise each xdist worker and each served app a test starts
# (gunicorn, ``python -c``) compiles quizapp and the rewritten test modules again, about 4 s of
# CPU per process. The files go to the __pycache__ folders git ignores.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from helpers import factories
from helpers.apps import SharedApp, copy_sqlite_file, make_app
from helpers.forms import post_form
from helpers.served import free_loopback_port
from helpers.settings import (
    IN_CI,
    PASSWORD,
    SETS,
    TEST_DATABASE_URL,
    TRANSACTION_CONTROL,
    PostgreSQLTestData,
    app_settings,
    empty_postgresql_tables,
    require_postgresql,
)

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Classroom, PendingUpload, User
from quizapp.services import question_sets
from quizapp.services.schema import create_schema

# The suite reads English on any machine: outside a request the app speaks the environment's
# language (the command line's, quizapp/i18n.py), and Chromium takes its Accept-Language from
# it; LANGUAGE outranks LC_ALL, LC_MESSAGES and LANG for both.
os.environ["LANGUAGE"] = "en"


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


@pytest.fixture(scope="session")
def postgresql_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The PostgreSQL test database, dropped and built again from the migrations once."""
    url = require_postgresql()  # under pytest -n, this worker's own database
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


@pytest.fixture(scope="session")
def shared_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> SharedApp:
    """The app most tests lease (see ``SharedApp``), on SQLite or the PostgreSQL test database."""
    folder = tmp_path_factory.mktemp("shared-app")
    if TEST_DATABASE_URL:
        shared = SharedApp(request.getfixturevalue("postgresql_database"), folder, lambda: None)
        with shared.lease() as app, app.app_context():
            empty_postgresql_tables()
            question_sets.import_shipped_sets(SETS)
            shared.reset_database = PostgreSQLTestData().restore
        return shared
    template = request.getfixturevalue("template_database")
    database = folder / "quizapp.sqlite3"
    return SharedApp(database, folder, partial(copy_sqlite_file, template, database))


@pytest.fixture
def app(shared_app: SharedApp) -> Iterator[Flask]:
    """The test app, as newly built, on a fresh copy of the template database (or PostgreSQL)."""
    with shared_app.lease() as app:
        yield app


@pytest.fixture
def sqlite_app(tmp_path: Path, template_database: Path) -> Iterator[Flask]:
    """An app on its own SQLite file whatever QUIZAPP_TEST_DATABASE_URL says (SQLite's own tests)."""
    database = tmp_path / "sqlite-app.sqlite3"
    shutil.copyfile(template_database, database)
    app = make_app(database, tmp_path)
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
    return partial(factories.make_user, app)


@pytest.fixture
def sign_in(app: Flask) -> Callable[[User], FlaskClient]:
    """Factory: sign_in(user) returns a client with the session the login form would start."""
    return partial(factories.sign_in, app)


@pytest.fixture
def create_class(app: Flask) -> Callable[..., Classroom]:
    """Factory: create_class(teacher, name="Civics 9B", time_zone="UTC") makes a class."""
    return partial(factories.make_class, app)


@pytest.fixture
def join_class(app: Flask) -> Callable[[User, Classroom], None]:
    """Factory: join_class(student, classroom) puts a student in a class."""
    return partial(factories.join_class, app)


@pytest.fixture
def create_assignment(app: Flask) -> Callable[..., Assignment]:
    """Factory: create_assignment(classroom, title=..., mode=..., ...) assigns the test set."""
    return partial(factories.make_assignment, app)


@pytest.fixture
def stage_set(app: Flask) -> Callable[..., PendingUpload]:
    """Factory: stage_set(teacher, filename, content, sources={name: bytes}) stages an upload."""
    return partial(factories.stage_set, app)


@pytest.fixture
def publish_set(app: Flask) -> Callable[..., int]:
    """Factory: publish_set(teacher, filename, content, sources=...) returns the version id."""
    return partial(factories.publish_set, app)


@pytest.fixture
def start_assignment(app: Flask) -> Callable[[User, Assignment], Attempt]:
    """Factory: start_assignment(student, assignment) starts an attempt and returns it."""
    return partial(factories.start_assignment, app)


@pytest.fixture
def take_assignment(app: Flask) -> Callable[..., Attempt]:
    """Factory: take_assignment(student, assignment, correct=True) answers all and submits."""
    return partial(factories.take_assignment, app)


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
    """Factory: signed_in("ms-lee", role="teacher") returns a client signed in as a new user.

    The session is made as the login form makes it, without the form: tests of signing in
    post to /account/login themselves (see the ``login`` fixture).
    """

    def make(username: str, role: str = "student", display_name: str = "") -> FlaskClient:
        return factories.sign_in(app, create_user(username, role=role, display_name=display_name))

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


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1, stopped after the test."""
    server = shutil.which("redis-server")
    if server is None:
        if IN_CI:
            pytest.fail("redis-server is missing in CI: .ci/run must install Debian's redis-server")
        pytest.skip(
            "redis-server is not installed (apt-get install redis-server) to test the Redis store"
        )
    port = free_loopback_port()
    process = subprocess.Popen(
        [
            *(server, "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(tmp_path)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("redis-server did not start within 10 seconds")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
