"""What a request does not pay for: static files without the user, headers built once per app,
and libraries that only some requests need left out of a worker's start-up."""

from __future__ import annotations

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


def test_a_worker_starts_without_openpyxl_or_alembic(tmp_path):
    """openpyxl is read only for a workbook upload or download, and Alembic only by the
    commands that migrate: a served app (wsgi.py's settings) starts without either."""
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
        print(sorted(name for name in ("openpyxl", "alembic") if name in sys.modules))
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
