"""flask backup: SQLite's online backup while the app serves; PostgreSQL is pointed to pg_dump."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

from helpers.settings import PASSWORD, app_settings

from quizapp import create_app
from quizapp.services import accounts


def test_backup_copies_what_is_committed_while_a_writer_is_busy(sqlite_app, tmp_path):
    with sqlite_app.app_context():
        accounts.register_student("ana", PASSWORD)
    database = Path(sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    target = tmp_path / "backups" / "quizapp-copy.sqlite3"
    with closing(sqlite3.connect(database, isolation_level=None)) as writer:
        # A request in the middle of a write: it holds the write lock and has not committed.
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO user (username, display_name, password_hash, role, session_token, "
            "must_change_password, created_at) "
            "VALUES ('half-done', '', 'x', 'student', 'token', 0, '2026-01-01 00:00:00')"
        )
        result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
        writer.execute("COMMIT")
    assert result.exit_code == 0, result.output
    assert f"Database copied to {target}." in result.output
    # It holds every password hash: the app's user alone may read it, whatever the umask.
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        usernames = {name for (name,) in copy.execute("SELECT username FROM user")}
        assert usernames == {"ana"}
        assert copy.execute("SELECT count(*) FROM question_set_version").fetchone() == (1,)
        assert copy.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)


def test_backup_refuses_to_overwrite_a_file(sqlite_app, tmp_path):
    target = tmp_path / "existing.sqlite3"
    target.write_text("keep me", encoding="utf-8")
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"


def test_backup_on_postgresql_explains_pg_dump_without_showing_the_password(tmp_path):
    url = "postgresql+psycopg://quizapp:s3cret-pw@127.0.0.1:5432/quizapp"
    app = create_app(app_settings(url, tmp_path))
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy")])
    assert result.exit_code != 0
    assert "pg_dump --format=custom" in result.output
    assert "postgresql://quizapp:***@127.0.0.1:5432/quizapp" in result.output
    assert "s3cret-pw" not in result.output
    assert not (tmp_path / "copy").exists()
