"""The SQLite engine set-up for several workers, and write transactions that take the lock first."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from helpers.forms import csrf_token, post_form
from helpers.quiz import correct_form_data, latest_attempt, presented
from helpers.settings import PASSWORD, TEST_DATABASE_URL, app_settings

from quizapp import create_app
from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Response, User
from quizapp.services import accounts
from quizapp.services.schema import create_schema


def database_file(app: Flask) -> Path:
    """The SQLite file behind an app."""
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


@contextmanager
def statements_run(app: Flask) -> Iterator[list[str]]:
    """Every statement SQLite runs for the app in the block, transaction control included, as
    the driver's trace sees them (the deferred BEGIN is sent past SQLAlchemy's events)."""
    seen: list[str] = []
    traced: list[sqlite3.Connection] = []
    with app.app_context():
        engine = db.engine

    def record(statement: str) -> None:
        seen.append(" ".join(statement.split()[:2]).upper())

    def trace(dbapi_connection, connection_record, connection_proxy) -> None:
        dbapi_connection.set_trace_callback(record)
        traced.append(dbapi_connection)

    sa.event.listen(engine, "checkout", trace)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "checkout", trace)
        for connection in traced:
            connection.set_trace_callback(None)


@contextmanager
def write_lock_held_elsewhere(app: Flask) -> Iterator[sqlite3.Connection]:
    """Another process's connection holding SQLite's write lock until the block ends."""
    connection = sqlite3.connect(database_file(app), isolation_level=None, check_same_thread=False)
    with closing(connection) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield other
        finally:
            if other.in_transaction:
                other.rollback()


def student_in_a_quiz(app: Flask) -> tuple[FlaskClient, int]:
    """A signed-in student's client and the id of their attempt in progress."""
    with app.app_context():
        accounts.register_student("ana", PASSWORD)
    client = app.test_client()
    post_form(client, "/account/login", {"username": "ana", "password": PASSWORD})
    post_form(client, "/quizzes/civics-mini/start", {}, page="/")
    return client, latest_attempt(app, "ana").id


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(sqlite_app):
    with sqlite_app.app_context():
        pragmas = {
            name: db.session.execute(sa.text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys")
        }
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 15000, "foreign_keys": 1}


def test_foreign_keys_are_enforced_on_sqlite(sqlite_app):
    with sqlite_app.app_context():
        db.session.add(Response(attempt_id=4242, question_id="q", answer=None))
        with pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY"):
            db.session.commit()


def test_migrating_leaves_foreign_keys_on_for_pooled_connections(tmp_path):
    """The migrations turn foreign keys off for table rebuilds; they must come back on."""
    app = create_app(app_settings(tmp_path / "fresh.sqlite3", tmp_path))
    with app.app_context():
        create_schema()
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_reads_begin_deferred_and_writes_begin_immediate(sqlite_app):
    client, attempt_id = student_in_a_quiz(sqlite_app)
    url = f"/attempts/{attempt_id}/questions/1"
    data = correct_form_data(presented(sqlite_app, attempt_id, 1))
    token = csrf_token(client, url)
    with statements_run(sqlite_app) as reading:
        assert client.get(url).status_code == 200
    with statements_run(sqlite_app) as writing:
        response = client.post(url, data={"csrf_token": token, **data, "nav": "next"})
        assert response.status_code == 302
    assert "BEGIN" in reading
    assert "BEGIN IMMEDIATE" not in reading
    assert not any(s.startswith(("INSERT", "UPDATE", "DELETE")) for s in reading)
    # The save writes only after taking the write lock.
    first_write = next(i for i, s in enumerate(writing) if s.startswith(("INSERT", "UPDATE")))
    assert "BEGIN IMMEDIATE" in writing[:first_write]


def test_a_failed_deferred_begin_is_raised_as_sqlalchemys_error(sqlite_app):
    # The deferred BEGIN goes straight to the driver; its errors must still be SQLAlchemy's,
    # which the error pages turn into a 503. A transaction already open makes BEGIN fail.
    with sqlite_app.app_context(), db.engine.connect() as connection:
        connection.connection.driver_connection.execute("BEGIN")
        with pytest.raises(sa.exc.OperationalError, match="within a transaction"):
            connection.begin()
        connection.connection.driver_connection.execute("ROLLBACK")


def test_a_page_that_only_reads_does_not_wait_for_a_writer(sqlite_app):
    client, attempt_id = student_in_a_quiz(sqlite_app)
    with write_lock_held_elsewhere(sqlite_app):
        started = time.monotonic()
        response = client.get(f"/attempts/{attempt_id}/questions/1")
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 1.0


def test_a_save_waits_for_the_writer_then_succeeds(sqlite_app):
    client, attempt_id = student_in_a_quiz(sqlite_app)
    url = f"/attempts/{attempt_id}/questions/1"
    data = correct_form_data(presented(sqlite_app, attempt_id, 1))
    token = csrf_token(client, url)
    with write_lock_held_elsewhere(sqlite_app) as other:
        release = threading.Timer(0.5, other.commit)
        release.start()
        started = time.monotonic()
        response = client.post(url, data={"csrf_token": token, **data, "nav": "next"})
        elapsed = time.monotonic() - started
        release.join()
    assert response.status_code == 302, response.get_data(as_text=True)
    assert 0.4 < elapsed < 5
    with sqlite_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_a_write_lock_held_past_the_busy_timeout_gives_503_not_500(tmp_path, template_database):
    database = tmp_path / "short-timeout.sqlite3"
    database.write_bytes(template_database.read_bytes())
    app = create_app({**app_settings(database, tmp_path), "SQLITE_BUSY_TIMEOUT_MS": 200})
    client, attempt_id = student_in_a_quiz(app)
    url = f"/attempts/{attempt_id}/questions/1"
    data = correct_form_data(presented(app, attempt_id, 1))
    token = csrf_token(client, url)
    with write_lock_held_elsewhere(app):
        response = client.post(url, data={"csrf_token": token, **data, "nav": "next"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    with app.app_context():
        db.engine.dispose()


def test_writers_take_turns_through_a_lock_file_that_other_workers_share(
    tmp_path, template_database
):
    """A worker process holding the write turn makes this one wait, and 503 after the timeout."""
    database = tmp_path / "turns.sqlite3"
    database.write_bytes(template_database.read_bytes())
    app = create_app({**app_settings(database, tmp_path), "SQLITE_BUSY_TIMEOUT_MS": 300})
    client, attempt_id = student_in_a_quiz(app)
    url = f"/attempts/{attempt_id}/questions/1"
    data = {**correct_form_data(presented(app, attempt_id, 1)), "nav": "next"}
    token = csrf_token(client, url)
    other_worker = os.open(f"{database}.write-lock", os.O_RDWR)
    try:
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        started = time.monotonic()
        refused = client.post(url, data={"csrf_token": token, **data})
        waited = time.monotonic() - started
        fcntl.flock(other_worker, fcntl.LOCK_UN)
        saved = client.post(url, data={"csrf_token": token, **data})
    finally:
        os.close(other_worker)
    assert refused.status_code == 503
    assert 0.25 < waited < 5
    assert saved.status_code == 302
    with app.app_context():
        db.engine.dispose()


def test_threads_of_one_worker_write_one_at_a_time(sqlite_app):
    """Many threads writing at once: none fails, and each holds the lock from its start."""
    with sqlite_app.app_context():
        accounts.register_student("ana", PASSWORD)
    inside, overlaps, failures = [0], [0], []
    lock = threading.Lock()

    def rename(n: int) -> None:
        try:
            with sqlite_app.app_context(), write_transaction():
                with lock:
                    inside[0] += 1
                    overlaps[0] += inside[0] > 1
                user = db.session.scalar(sa.select(User).where(User.username == "ana"))
                user.display_name = f"Ana {n}"
                time.sleep(0.005)
                with lock:
                    inside[0] -= 1
        except Exception as error:  # collected, so the test reports every failure
            failures.append(repr(error))

    threads = [threading.Thread(target=rename, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert overlaps == [0]


def test_a_deferred_transaction_cannot_write_after_another_writer_committed(sqlite_app):
    """Why writes begin IMMEDIATE: SQLite refuses the lock upgrade at once, whatever the timeout."""
    with sqlite_app.app_context():
        accounts.register_student("ana", PASSWORD)
    with (
        closing(sqlite3.connect(database_file(sqlite_app), isolation_level=None)) as reader,
        closing(sqlite3.connect(database_file(sqlite_app), isolation_level=None)) as writer,
    ):
        reader.execute("PRAGMA busy_timeout=5000")
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM user").fetchone()
        writer.execute("UPDATE user SET display_name = 'Ana'")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            reader.execute("UPDATE user SET display_name = 'Ana P.'")


def test_write_transaction_first_ends_a_read_begun_before_another_writer_committed(sqlite_app):
    with sqlite_app.app_context():
        accounts.register_student("ana", PASSWORD)
    with sqlite_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "ana"))
        with closing(sqlite3.connect(database_file(sqlite_app), isolation_level=None)) as writer:
            writer.execute("UPDATE user SET display_name = 'Ana'")
        with write_transaction():
            user.display_name = "Ana P."
    with sqlite_app.app_context():
        assert db.session.scalar(sa.select(User.display_name)) == "Ana P."


def test_write_transaction_rolls_back_when_the_block_fails(app):
    with app.app_context(), pytest.raises(RuntimeError, match="stop"), write_transaction():
        db.session.add(User(username="ghost", password_hash="x"))
        raise RuntimeError("stop")
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.username == "ghost")) is None


def test_an_inner_write_transaction_joins_the_outer_one(app):
    """An inner block does not commit on its own: the outer one's failure undoes both."""
    with app.app_context(), pytest.raises(RuntimeError, match="stop"), write_transaction():
        accounts.register_student("inner", PASSWORD)
        raise RuntimeError("stop")
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.username == "inner")) is None


def test_a_submission_inside_a_larger_write_reads_as_submitted(app, create_user):
    """submit_attempt's UPDATE bypasses the session; the attempt it returns must not be stale,
    even when an outer write transaction commits later."""
    from quizapp.services.attempts import start_attempt, submit_attempt

    student = create_user("nested")
    with app.app_context():
        attempt = start_attempt(db.session.merge(student), "civics-mini")
        with write_transaction():
            submitted = submit_attempt(attempt)
            assert submitted.submitted_at is not None
            assert submitted.score is not None


def test_the_app_fixture_runs_on_the_database_the_run_asked_for(app):
    with app.app_context():
        name = db.engine.dialect.name
    assert name == ("postgresql" if TEST_DATABASE_URL else "sqlite")


def test_connections_are_tested_before_use_on_postgresql_only(app):
    """A PostgreSQL restart leaves dead pooled connections, so each is pinged when taken out;
    a SQLite file cannot drop its connection, and skips the extra statement."""
    with app.app_context():
        engine = db.engine
    assert engine.pool._pre_ping is (engine.dialect.name == "postgresql")


def test_sqlite_runs_no_ping_statement_per_request(sqlite_app):
    traced: list[str] = []
    with sqlite_app.app_context():
        db.session.execute(sa.text("SELECT 41"))
        db.session.connection().connection.driver_connection.set_trace_callback(traced.append)
        db.session.remove()  # back to the pool; the next request takes the same connection out
        db.session.execute(sa.text("SELECT 42"))
        db.session.remove()
    assert [s for s in traced if s.startswith("SELECT")] == ["SELECT 42"]
