"""A save and a submission of the same attempt at the same moment: whichever takes the attempt
first, the other sees what it did, on SQLite (one writer at a time) and on PostgreSQL (the
attempt's row lock)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from quizapp.database import WRITE_OPTION
from quizapp.domain.grading import answer_key
from quizapp.extensions import db
from quizapp.models import Attempt, Response
from quizapp.models.types import utcnow
from quizapp.services import access, attempts


def started_attempt(app: Flask, student) -> int:
    with app.app_context():
        attempt = attempts.start_attempt(db.session.merge(student), "civics-mini")
        assert attempt is not None
        return attempt.id


@contextmanager
def other_writer(app: Flask):
    """A connection of another request, its write transaction open until the block ends (it
    holds SQLite's write lock from the start, and PostgreSQL's row locks once it writes)."""
    with app.app_context():
        engine = db.engine
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        connection.begin()
        yield connection


def in_a_request(app: Flask, student, work) -> Any:
    """Run ``work(student)`` in an app context of its own, as another request would."""

    def run():
        with app.app_context():
            return work(db.session.merge(student))

    return run


def waits(future, seconds: float = 0.5) -> None:
    """The work has not finished after ``seconds``: it is waiting for the other writer."""
    time.sleep(seconds)
    assert not future.done(), future.result()


def test_a_save_that_waits_for_a_submission_is_refused_and_saves_nothing(app, create_user):
    student = create_user("ana")
    attempt_id = started_attempt(app, student)

    def save(user):
        # Read before the submission began, as a save already under way has read it.
        row = access.own_attempt_row(user, attempt_id)
        assert row is not None and not row.is_submitted
        question = attempts.attempt_questions(row)[row.question_ids[0]]
        with other_writer(app) as submission:
            submission.execute(
                sa.update(Attempt).where(Attempt.id == attempt_id).values(submitted_at=utcnow())
            )
            with ThreadPoolExecutor(1) as pool:
                saving = pool.submit(
                    in_a_request(
                        app,
                        user,
                        lambda u: attempts.save_answers(row, [(question, answer_key(question))]),
                    )
                )
                waits(saving)
                submission.commit()
                with pytest.raises(attempts.AttemptClosed):
                    saving.result(timeout=10)

    in_a_request(app, student, save)()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_a_submission_that_waits_for_a_save_grades_the_saved_answer(app, create_user):
    student = create_user("ben")
    attempt_id = started_attempt(app, student)
    with app.app_context():
        row = access.own_attempt_row(db.session.merge(student), attempt_id)
        assert row is not None
        first = row.question_ids[0]
        right = answer_key(attempts.attempt_questions(row)[first])
    with other_writer(app) as saving:
        # A save under way: it has locked the attempt (PostgreSQL) and written the answer.
        saving.execute(sa.select(Attempt.id).where(Attempt.id == attempt_id).with_for_update())
        saving.execute(
            sa.insert(Response).values(attempt_id=attempt_id, question_id=first, answer=right)
        )
        with ThreadPoolExecutor(1) as pool:
            submitting = pool.submit(
                in_a_request(
                    app,
                    student,
                    lambda user: attempts.submit_attempt(access.own_attempt_row(user, attempt_id)),
                )
            )
            waits(submitting)
            saving.commit()
            submitting.result(timeout=10)
    with app.app_context():
        attempt = db.session.get_one(Attempt, attempt_id)
        graded = db.session.scalar(
            sa.select(Response).where(
                Response.attempt_id == attempt_id, Response.question_id == first
            )
        )
        assert attempt.submitted_at is not None
        assert graded is not None and graded.earned == graded.possible > 0
        assert attempt.score == graded.earned
