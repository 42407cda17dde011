"""Saving an answer and submitting run a fixed number of statements at two data sizes, and the
write transaction (which holds SQLite's only write lock) holds as few of them as it can."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask
from helpers.forms import csrf_token
from helpers.quiz import correct_form_data, presented
from test_query_counts import SIZES, build_data
from test_reading_pages import page_number, start_reading

from quizapp.extensions import db
from quizapp.models import Attempt, Response

#: A save: the user, the attempt (one row), and the answer written by one statement that also
#: checks the attempt is still open. Lower a number when a statement goes; never raise one for
#: a statement that repeats per row.
SAVE_STATEMENTS = 3
#: A submission of an attempt with every question answered: the user, the attempt, its saved
#: answers (with whether it is still open: on PostgreSQL a lock on the attempt first), the
#: grades (one executemany) and closing the attempt.
SUBMIT_STATEMENTS = {"sqlite": 5, "postgresql": 6}


@contextmanager
def statements_run(app: Flask) -> Iterator[list[str]]:
    """The first two words of every statement the app sends in the block, transaction control
    and the driver's own commits included (SQLite only: PostgreSQL's driver begins unseen), and
    CHECKOUT where a connection is taken out of the pool."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        seen.append(" ".join(statement.split()[:2]).upper())

    def committed(connection) -> None:
        seen.append("COMMIT")

    def checked_out(dbapi_connection, record, proxy) -> None:
        seen.append("CHECKOUT")

    events = {"before_cursor_execute": record, "commit": committed}
    pool_events = {"checkout": checked_out}
    for name, listener in events.items():
        sa.event.listen(engine, name, listener)
    for name, listener in pool_events.items():
        sa.event.listen(engine.pool, name, listener)
    try:
        yield seen
    finally:
        for name, listener in events.items():
            sa.event.remove(engine, name, listener)
        for name, listener in pool_events.items():
            sa.event.remove(engine.pool, name, listener)


def write_transactions(statements: list[str]) -> list[list[str]]:
    """The statements inside each BEGIN IMMEDIATE ... COMMIT."""
    blocks: list[list[str]] = []
    inside = False
    for statement in statements:
        if statement == "BEGIN IMMEDIATE":
            blocks.append([])
            inside = True
        elif statement == "COMMIT":
            inside = False
        elif inside and statement != "CHECKOUT":
            blocks[-1].append(statement)
    return blocks


def on_sqlite(app: Flask) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "sqlite"


@pytest.mark.parametrize("timed", [False, True], ids=["free-practice", "timed-assignment"])
@pytest.mark.parametrize("size", SIZES)
def test_a_save_runs_a_fixed_number_of_statements_and_writes_in_one(
    app, signed_in, count_queries, size, timed
):
    client = signed_in("ana")
    in_progress, _ = build_data(app, size, timed)
    url = f"/attempts/{in_progress}/questions/2"
    form = {
        "csrf_token": csrf_token(client, url),
        **correct_form_data(presented(app, in_progress, 2)),
        "nav": "next",
    }
    assert client.post(url, data=form).status_code == 302  # warm, and the answer exists now
    with count_queries() as queries, statements_run(app) as statements:
        response = client.post(url, data=form)
    assert response.status_code == 302
    assert len(queries) == SAVE_STATEMENTS, "\n\n".join(queries)
    if on_sqlite(app):
        assert write_transactions(statements) == [["INSERT INTO"]], statements
        # The read transaction's connection goes on as the writer's, not back to the pool.
        assert statements.count("CHECKOUT") == 1, statements


@pytest.mark.parametrize("size", SIZES)
def test_a_submission_runs_a_fixed_number_of_statements(app, signed_in, count_queries, size):
    client = signed_in("ana")
    in_progress, _ = build_data(app, size)
    with app.app_context():  # every question answered (the small size has answered one)
        attempt = db.session.get_one(Attempt, in_progress)
        answered = set(
            db.session.scalars(
                sa.select(Response.question_id).where(Response.attempt_id == in_progress)
            )
        )
        db.session.add_all(
            Response(attempt_id=in_progress, question_id=qid, answer=None)
            for qid in attempt.question_ids
            if qid not in answered
        )
        db.session.commit()
    token = csrf_token(client, f"/attempts/{in_progress}/review")
    with count_queries() as queries, statements_run(app) as statements:
        response = client.post(f"/attempts/{in_progress}/submit", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{in_progress}/results")
    sqlite = on_sqlite(app)
    assert len(queries) == SUBMIT_STATEMENTS["sqlite" if sqlite else "postgresql"], "\n\n".join(
        queries
    )
    if sqlite:
        assert write_transactions(statements) == [
            ["SELECT ATTEMPT.SUBMITTED_AT,", "UPDATE RESPONSE", "UPDATE ATTEMPT"]
        ], statements
    with app.app_context():
        assert db.session.get_one(Attempt, in_progress).submitted_at is not None


def test_a_part_a_and_its_part_b_are_saved_in_one_write_transaction(app):
    student, base, _ = start_reading(app, mode="practice")
    url = f"{base}/{page_number(app, 'who-a')}"
    form = {"csrf_token": csrf_token(student, url), "answer": "Mr. Smith", "part_b-answer": "3"}
    with statements_run(app) as statements:
        response = student.post(url, data={**form, "nav": "next"})
    assert response.status_code == 302
    if on_sqlite(app):
        assert write_transactions(statements) == [["INSERT INTO", "INSERT INTO"]], statements
    with app.app_context():
        rows = {r.question_id: r.earned for r in db.session.scalars(sa.select(Response))}
    assert rows == {"who-a": 0, "who-b": 0}
