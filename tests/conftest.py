"""Fixtures: an app on a real SQLite file per test, clients, and account factories."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
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


def app_settings(database: Path, instance: Path) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
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


@pytest.fixture
def app(tmp_path: Path, template_database: Path) -> Iterator[Flask]:
    """A fresh app with its own copy of the template database file."""
    database = tmp_path / "quizapp.sqlite3"
    shutil.copyfile(template_database, database)
    app = create_app(app_settings(database, tmp_path))
    yield app
    with app.app_context():
        db.engine.dispose()


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
    assert match, f"no CSRF token on {url}"
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
