"""Serving a school: health check, 503 while the database is away, proxies, settings, gunicorn."""

from __future__ import annotations

import multiprocessing
import runpy
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, request
from flask_migrate import upgrade
from helpers.forms import post_form
from helpers.settings import PASSWORD, PROJECT, app_settings

from quizapp import create_app
from quizapp.config import ConfigurationError, settings_from_environment
from quizapp.database import SCHEMA_REVISIONS
from quizapp.extensions import db
from quizapp.services import accounts


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/quizapp.sqlite3",
        # Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
        "postgresql+psycopg://quizapp:quizapp@127.0.0.1:9/quizapp",
    ],
    ids=["sqlite", "postgresql"],
)
def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path, url):
    app = create_app(app_settings(url, tmp_path))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "database unavailable"}
    assert response.headers["Retry-After"] == "5"


def test_healthz_answers_503_for_a_database_without_the_schema_this_release_needs(tmp_path):
    """A server started before ``flask db upgrade`` ran must not go back behind the load
    balancer: every form would fail. A schema a newer release upgraded is fine."""
    database = tmp_path / "empty.sqlite3"
    app = create_app(app_settings(database, tmp_path))
    client = app.test_client()
    empty = client.get("/healthz")
    assert empty.status_code == 503
    assert empty.get_json() == {
        "status": "database not ready",
        "detail": "no schema: run flask --app quizapp db upgrade",
    }
    with app.app_context():
        upgrade(revision=SCHEMA_REVISIONS[-2])
        db.engine.dispose()
    behind = client.get("/healthz").get_json()
    assert behind["detail"] == "schema older than this release: run flask --app quizapp db upgrade"
    with app.app_context():
        upgrade()
        db.engine.dispose()
    assert client.get("/healthz").status_code == 200
    with app.app_context():  # a release ahead of this one upgraded it (a rolling deploy)
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'f00dfeed0001'"))
        db.session.commit()
        db.engine.dispose()
    assert client.get("/healthz").status_code == 200


def test_pages_answer_503_while_the_database_is_away_and_recover_by_themselves(sqlite_app):
    with sqlite_app.app_context():
        accounts.register_student("ana", PASSWORD, "Ana P.")
    client = sqlite_app.test_client()
    post_form(client, "/account/login", {"username": "ana", "password": PASSWORD})
    database = Path(sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    moved = database.with_name("moved-away.sqlite3")
    with sqlite_app.app_context():
        db.engine.dispose()
    database.rename(moved)
    database.mkdir()  # a folder where the file was: SQLite cannot open it
    try:
        page = client.get("/")
        api = client.get("/history", headers={"Accept": "application/json"})
    finally:
        database.rmdir()
        moved.rename(database)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    text = page.get_data(as_text=True)
    assert "The service is briefly unavailable" in text
    assert "Traceback" not in text and "sqlite" not in text.lower()
    # The account menu needs the database; it is left out rather than showing "Sign in".
    assert "Sign in" not in text and "Signed in as" not in text
    assert api.status_code == 503
    assert api.get_json()["error"] == 503
    back = client.get("/")
    assert back.status_code == 200
    assert "Signed in as Ana P." in back.get_data(as_text=True)


def echo_app(tmp_path: Path, template_database: Path, **settings: object) -> Flask:
    """An app with a route that shows the scheme and client address it sees."""
    database = tmp_path / "echo.sqlite3"
    database.write_bytes(template_database.read_bytes())
    app = create_app({**app_settings(database, tmp_path), **settings})

    @app.get("/echo")
    def echo() -> str:
        return f"{request.scheme} {request.remote_addr} {request.host}"

    return app


FORWARDED = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "quiz.school.example",
}


def test_forwarded_headers_are_ignored_without_a_proxy_setting(tmp_path, template_database):
    app = echo_app(tmp_path, template_database)
    seen = app.test_client().get("/echo", headers=FORWARDED).get_data(as_text=True)
    assert seen == "http 127.0.0.1 localhost"


def test_proxy_fix_trusts_the_forwarded_headers_of_one_proxy(tmp_path, template_database):
    app = echo_app(
        tmp_path, template_database, PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1, PROXY_FIX_X_HOST=1
    )
    seen = app.test_client().get("/echo", headers=FORWARDED).get_data(as_text=True)
    assert seen == "https 203.0.113.9 quiz.school.example"


def test_layout_links_follow_the_prefix_the_proxy_mounts_the_app_under(tmp_path, template_database):
    """The layout's fixed links are built once per mount point, not once for the first one."""
    app = echo_app(tmp_path, template_database, PROXY_FIX_X_PREFIX=1)
    client = app.test_client()
    for prefix in ("/civics", "", "/quiz", "/civics"):
        page = client.get("/", headers={"X-Forwarded-Prefix": prefix}).get_data(as_text=True)
        assert f'href="{prefix}/static/css/app.css"' in page
        assert f'href="{prefix}/account/login"' in page
        assert f'class="brand" href="{prefix}/"' in page


def test_secure_cookies_setting_marks_the_session_cookie_secure(tmp_path, template_database):
    database = tmp_path / "secure.sqlite3"
    database.write_bytes(template_database.read_bytes())
    settings = {
        **app_settings(database, tmp_path),
        **settings_from_environment({"QUIZAPP_SECURE_COOKIES": "1"}),
    }
    app = create_app(settings)
    response = app.test_client().get("/account/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_integer_settings_come_from_the_environment():
    settings = settings_from_environment(
        {
            "QUIZAPP_PROXY_FIX_X_FOR": "2",
            "QUIZAPP_PASSWORD_HASH_MEMORY_KIB": "19456",
            "QUIZAPP_PASSWORD_HASH_TIME_COST": "2",
            "QUIZAPP_PASSWORD_HASH_PARALLELISM": "1",
        }
    )
    assert settings == {
        "PROXY_FIX_X_FOR": 2,
        "PASSWORD_HASH_MEMORY_KIB": 19456,
        "PASSWORD_HASH_TIME_COST": 2,
        "PASSWORD_HASH_PARALLELISM": 1,
    }
    with pytest.raises(ConfigurationError, match="QUIZAPP_PROXY_FIX_X_FOR must be a whole number"):
        settings_from_environment({"QUIZAPP_PROXY_FIX_X_FOR": "one"})


@pytest.mark.parametrize(
    "cost",
    [
        {"PASSWORD_HASH_MEMORY_KIB": 19 * 1024 - 1},
        {"PASSWORD_HASH_TIME_COST": 1},
        {"PASSWORD_HASH_PARALLELISM": 0},
    ],
    ids=["memory", "passes", "parallelism"],
)
def test_a_password_hash_cost_below_the_asvs_minimum_is_refused(tmp_path, cost):
    with pytest.raises(ConfigurationError, match="below the minimum"):
        create_app({**app_settings(tmp_path / "x.sqlite3", tmp_path), **cost})


def gunicorn_settings(monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict[str, object]:
    """The settings gunicorn.conf.py defines under the given environment."""
    for name in ("BIND", "WORKERS", "THREADS", "WORKER_TIMEOUT", "ACCESS_LOG", "ERROR_LOG"):
        monkeypatch.delenv(f"QUIZAPP_{name}", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(PROJECT / "gunicorn.conf.py"))


def test_gunicorn_defaults_to_loopback_and_workers_from_the_cpu_count(monkeypatch):
    settings = gunicorn_settings(monkeypatch)
    assert settings["bind"] == "127.0.0.1:8000"
    assert settings["workers"] == multiprocessing.cpu_count() + 1
    assert settings["timeout"] == 30
    assert settings["accesslog"] == "-"
    # Threaded workers keep browsers' connections alive; idle ones do not hold a worker.
    assert settings["worker_class"] == "gthread"
    assert settings["threads"] == 1


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    settings = gunicorn_settings(
        monkeypatch,
        QUIZAPP_BIND="127.0.0.2:9000",
        QUIZAPP_WORKERS="4",
        QUIZAPP_WORKER_TIMEOUT="60",
        QUIZAPP_ACCESS_LOG="/var/log/quizapp/access.log",
    )
    assert settings["bind"] == "127.0.0.2:9000"
    assert settings["workers"] == 4
    assert settings["timeout"] == 60
    assert settings["accesslog"] == "/var/log/quizapp/access.log"
