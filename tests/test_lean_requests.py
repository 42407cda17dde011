"""What a request does not pay for: static files without the user, headers built once per app,
and libraries that only some requests need left out of a worker's start-up."""

from __future__ import annotations

import gc
import os
import re
import runpy
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from helpers.settings import app_settings

from quizapp import create_app
from quizapp.extensions import db
from quizapp.security import CONTENT_SECURITY_POLICY, fixed_headers
from quizapp.services.accounts import end_all_sessions
from quizapp.serving import TEMPLATE_CACHE, prepare_for_serving

ROOT = Path(__file__).resolve().parent.parent


def test_a_signed_in_static_request_runs_no_query(app, signed_in, count_queries):
    student = signed_in("sta")
    with count_queries() as queries, student.get("/static/css/app.css") as static:
        assert static.status_code == 200
    assert queries == []
    assert static.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert static.headers["X-Content-Type-Options"] == "nosniff"


def test_a_revoked_session_still_ends_on_the_next_page(app, signed_in, create_user):
    student = signed_in("rev")
    assert student.get("/history").status_code == 200
    with app.app_context():
        from quizapp.models import User

        user = db.session.scalar(db.select(User).filter_by(username="rev"))
        end_all_sessions(user)
    assert student.get("/history").status_code == 302
    # A static file still loads for the signed-out browser, with the same headers.
    with student.get("/static/css/app.css") as static:
        assert static.status_code == 200
        assert static.headers["Referrer-Policy"] == "same-origin"


def test_fixed_headers_follow_the_settings():
    plain = dict(fixed_headers({}))
    secure = dict(fixed_headers({"SESSION_COOKIE_SECURE": True}))
    assert "Strict-Transport-Security" not in plain
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert plain["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_view_that_sets_a_header_keeps_it(app, client):
    # /healthz sets its own Cache-Control; the fixed headers are added beside it, never twice.
    response = client.get("/healthz")
    assert response.headers.getlist("Content-Security-Policy") == [CONTENT_SECURITY_POLICY]
    assert response.headers["Cache-Control"] == "no-store"


#: What a worker loads only when a request needs it, and which request that is.
LAZY_MODULES = {
    "openpyxl": "a workbook upload or download",
    "alembic": "the commands that migrate",
    "pylti1p3": "an LTI launch, score or roster",
    "requests": "an LTI score or roster (through PyLTI1p3)",
    "jwcrypto": "an LTI launch",
    "lxml": "a Moodle XML upload or export, or an article pasted as HTML",
    "segno": "the class page's QR code",
    "yaml": "a question file upload, import or YAML download",
    "docx": "an article uploaded as a Word file",
    "pypdf": "an article uploaded as a PDF",
    "quizapp.domain.formats.upload": "a question file upload, or the import commands",
    "quizapp.domain.formats.moodle_xml_export": "a Moodle XML export",
    "sqlalchemy.dialects.postgresql": "a PostgreSQL database (this worker's is SQLite)",
}


@dataclass(frozen=True)
class WorkerModules:
    """The LAZY_MODULES a served app's process holds at start, and after using the features."""

    at_start: list[str]
    after_use: list[str]


@pytest.fixture(scope="module")
def served_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One instance folder for this module's served processes: the first fills its compiled
    templates (about a second), the next load them."""
    return tmp_path_factory.mktemp("served-instance")


@pytest.fixture(scope="module")
def worker_modules(served_instance: Path) -> WorkerModules:
    """One new Python that imports wsgi (as a gunicorn worker does), lists the LAZY_MODULES it
    holds, uses the features that need some of them, and lists them again."""
    script = textwrap.dedent(
        f"""
        import sys
        import wsgi

        def loaded():
            names = {sorted(LAZY_MODULES)!r}
            print(" ".join(sorted(name for name in names if name in sys.modules)))

        loaded()
        from quizapp.domain.formats import parse_upload
        from quizapp.domain.join_code_qr import join_link_svg
        join_link_svg("https://example.org/join", "QR")
        from quizapp.services.exports import export_moodle_xml
        loaded()
        """
    )
    at_start, after_use = run_served(script, served_instance, "start").split("\n")[:2]
    return WorkerModules(at_start.split(), after_use.split())


def run_served(script: str, instance: Path, database: str) -> str:
    """The output of ``script`` run by a new Python in the repository, with a served app's
    settings (a secret key, the instance folder, and the SQLite file ``database`` in it)."""
    environment = {
        **os.environ,
        "QUIZAPP_SECRET_KEY": "k" * 64,
        "QUIZAPP_DATABASE_URL": f"sqlite:///{instance / f'{database}.sqlite3'}",
        "QUIZAPP_INSTANCE_PATH": str(instance),
    }
    finished = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return finished.stdout


def test_a_worker_starts_without_what_only_some_requests_need(worker_modules):
    """A served app (wsgi.py, as gunicorn loads it) starts without any of LAZY_MODULES."""
    assert worker_modules.at_start == []


def test_the_lazy_parsers_and_writers_load_when_used(worker_modules):
    # The check above cannot pass by a module missing under another name: using the features
    # loads them.
    assert worker_modules.after_use == ["lxml", "quizapp.domain.formats.upload", "segno", "yaml"]


def test_wsgi_serves_without_migrations_and_init_db_still_migrates(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "k" * 64)
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'served.sqlite3'}")
    monkeypatch.setenv("QUIZAPP_INSTANCE_PATH", str(tmp_path))
    command_line_app = create_app()  # as ``flask --app quizapp`` builds it, from the settings
    prepared = command_line_app.test_cli_runner().invoke(args=["init-db"])
    assert prepared.exit_code == 0, prepared.output
    with command_line_app.app_context():
        db.engine.dispose()
    import wsgi  # the served app, as gunicorn loads it

    assert "migrate" not in wsgi.app.extensions
    assert wsgi.app.test_client().get("/healthz").status_code == 200
    with wsgi.app.app_context():
        db.engine.dispose()


def test_gunicorn_preloads_the_app_unless_told_not_to(monkeypatch):
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["preload_app"] is True
    monkeypatch.setenv("QUIZAPP_PRELOAD", "0")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["preload_app"] is False


def test_a_forked_worker_never_shares_the_masters_connections(served_instance):
    """With preload_app the workers are forks of a process that may hold open connections."""
    script = textwrap.dedent(
        """
        import os, sys
        import sqlalchemy as sa
        import wsgi
        from quizapp.extensions import db

        with wsgi.app.app_context():
            db.session.execute(sa.text("SELECT 1"))
            db.session.close()
            engine = db.engine
        assert engine.pool.checkedin() == 1  # the master's connection, back in its pool
        child = os.fork()
        if child == 0:
            with wsgi.app.app_context():
                kept = engine.pool.checkedin()
                db.session.execute(sa.text("SELECT 1"))
            os._exit(10 + kept)
        _, status = os.waitpid(child, 0)
        print(os.waitstatus_to_exitcode(status) - 10)
        """
    )
    assert (
        run_served(script, served_instance, "forked").strip() == "0"
    )  # the worker started with an empty pool of its own


def test_gunicorn_freezes_the_preloaded_app_before_forking(monkeypatch):
    """gc.freeze in the master keeps a worker's collections off the pages it shares with it."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        settings["when_ready"](None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    monkeypatch.setenv("QUIZAPP_PRELOAD", "0")
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))["when_ready"](None)
    assert gc.get_freeze_count() == 0  # each worker builds its own app: nothing to share


def test_a_served_app_compiles_every_template_before_its_first_page(tmp_path):
    first = served_app(tmp_path)
    templates = first.jinja_env.list_templates()
    assert len(first.jinja_env.cache) == len(templates)
    cache = tmp_path / TEMPLATE_CACHE
    assert len(list(cache.glob("*.cache"))) == len(templates)
    # The next start loads them from the cache, and serves the same pages.
    second = served_app(tmp_path)
    assert second.jinja_env.bytecode_cache is not None
    with first.test_client() as one, second.test_client() as other:
        assert without_tokens(one.get("/login").text) == without_tokens(other.get("/login").text)


def without_tokens(page: str) -> str:
    """A page without its CSRF tokens, which differ from session to session."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def served_app(instance: Path) -> Flask:
    """An app prepared as wsgi.py prepares the served one, with its instance folder."""
    app = create_app(
        {
            "SECRET_KEY": "k" * 64,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'served.sqlite3'}",
            "INSTANCE_PATH": str(instance),
            "MIGRATIONS": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    prepare_for_serving(app)
    return app


def test_the_signed_in_health_check_runs_the_user_and_the_ping_only(app, signed_in, count_queries):
    # The floor under every signed-in page: one read of the user (and their session token),
    # then the health check's own query (the schema revision); the cookie and the hooks add no
    # query.
    student = signed_in("flo")
    student.get("/healthz")
    with count_queries() as queries, student.get("/healthz") as health:
        assert health.status_code == 200
    assert len(queries) == 2
    assert "session_token" in queries[0]
    assert health.headers["Cache-Control"] == "no-store"


def test_the_shipped_slug_index_is_partial_on_both_databases(tmp_path):
    """Its PostgreSQL WHERE is set when an app runs on PostgreSQL (use_postgresql), not named in
    the model, which would load the PostgreSQL dialect on SQLite too."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    from quizapp.models import QuestionSet

    (index,) = (
        i for i in QuestionSet.__table__.indexes if i.name == "uq_question_set_shipped_slug"
    )
    create_app(app_settings(tmp_path / "a.sqlite3", tmp_path))
    assert "WHERE owner_id IS NULL" in str(CreateIndex(index).compile(dialect=sqlite.dialect()))
    create_app(app_settings("postgresql+psycopg://quizapp@127.0.0.1/unused", tmp_path))
    ddl = str(CreateIndex(index).compile(dialect=postgresql.dialect()))
    assert "UNIQUE INDEX uq_question_set_shipped_slug" in ddl and "WHERE owner_id IS NULL" in ddl
