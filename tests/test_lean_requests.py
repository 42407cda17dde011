"""What a request does not pay for: static files without the user, headers built once per app,
and libraries that only some requests need left out of a worker's start-up."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

from quizapp.extensions import db
from quizapp.security import CONTENT_SECURITY_POLICY, fixed_headers
from quizapp.services.accounts import end_all_sessions

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


def test_a_worker_starts_without_openpyxl_alembic_or_the_lti_libraries(tmp_path):
    """openpyxl is read only for a workbook upload or download, Alembic only by the commands
    that migrate, and PyLTI1p3 with requests (17 MB) only by an LTI launch, score or roster:
    a served app (wsgi.py's settings) starts without any of them."""
    script = textwrap.dedent(
        f"""
        import sys
        from quizapp import create_app
        create_app({{
            "SECRET_KEY": "x" * 64,
            "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path / "start.sqlite3"}",
            "INSTANCE_PATH": "{tmp_path}",
            "MIGRATIONS": False,
        }})
        lazy = ("openpyxl", "alembic", "pylti1p3", "requests", "jwcrypto")
        print(sorted(name for name in lazy if name in sys.modules))
        """
    )
    started = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert started.stdout.strip() == "[]"


def test_wsgi_serves_without_migrations_and_init_db_still_migrates(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "k" * 64)
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'served.sqlite3'}")
    monkeypatch.setenv("QUIZAPP_INSTANCE_PATH", str(tmp_path))
    prepared = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "quizapp", "init-db"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stderr
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


def test_a_forked_worker_never_shares_the_masters_connections(tmp_path):
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
    environment = {
        **os.environ,
        "QUIZAPP_SECRET_KEY": "k" * 64,
        "QUIZAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'forked.sqlite3'}",
        "QUIZAPP_INSTANCE_PATH": str(tmp_path),
    }
    forked = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert forked.stdout.strip() == "0"  # the worker started with an empty pool of its own
