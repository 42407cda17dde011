"""A page's cost must not grow with the data: a fixed number of SQL queries at two data sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Classroom, Enrollment, Response, User
from quizapp.models.types import utcnow
from quizapp.services.question_sets import latest_version_of, version_questions

#: Queries per page once warm: the user (with the earliest deadline of their open attempts, so
#: that timed attempts that ran out need no query of their own), the attempt with its version and
#: assignment, then the page's own. Raise a number only for a query that does not repeat per row.
QUESTION_PAGE_QUERIES = 3
#: The results of free practice (these tests' attempts) also read the time zone of the
#: student's newest class, which its times are shown in.
RESULTS_PAGE_QUERIES = 4

#: Other students, their attempts each, and how many questions Ana answered, per data size.
SIZES = {"small": (0, 0, 1), "large": (30, 10, 6)}


def add_attempts(
    user_id: int, count: int, answered: int, submitted: bool, timed: bool = False
) -> list[int]:
    """``count`` attempts of the test set with ``answered`` answers saved; their ids.

    Timed attempts belong to a timed assignment (in test mode) of a class of their own, with a
    deadline an hour away; the others are free practice.
    """
    version = latest_version_of("civics-mini")
    assert version is not None
    question_ids = list(version_questions(version))
    now = utcnow()
    assignment_id = timed_assignment(version.id, user_id) if timed else None
    attempts = [
        Attempt(
            user_id=user_id,
            version_id=version.id,
            assignment_id=assignment_id,
            deadline_at=now + timedelta(hours=1) if timed else None,
            seed=n,
            question_ids=question_ids,
            max_score=float(version.total_points),
            submitted_at=now if submitted else None,
            score=0.0 if submitted else None,
        )
        for n in range(count)
    ]
    db.session.add_all(attempts)
    db.session.flush()
    db.session.add_all(
        Response(
            attempt_id=attempt.id,
            question_id=question_id,
            answer=None,
            earned=0.0 if submitted else None,
            possible=1 if submitted else None,
        )
        for attempt in attempts
        for question_id in question_ids[:answered]
    )
    db.session.commit()
    return [attempt.id for attempt in attempts]


def timed_assignment(version_id: int, student_id: int) -> int:
    """A timed assignment of the test set, in a class of its own with the student in it; its
    id."""
    teacher = User(username="mr-timed", password_hash="x", role="teacher", session_token="timed")
    db.session.add(teacher)
    db.session.flush()
    classroom = Classroom(teacher_id=teacher.id, name="Timed", join_code="TIMEDQ01")
    db.session.add(classroom)
    db.session.flush()
    db.session.add(Enrollment(classroom_id=classroom.id, student_id=student_id))
    assignment = Assignment(
        classroom_id=classroom.id, version_id=version_id, title="Timed quiz", time_limit_minutes=60
    )
    db.session.add(assignment)
    db.session.flush()
    return int(assignment.id)


def build_data(app: Flask, size: str, timed: bool = False) -> tuple[int, int]:
    """Ana's attempt in progress and a submitted one, among other data of the given size."""
    others, attempts_each, answered = SIZES[size]
    with app.app_context():
        ana = db.session.scalar(sa.select(User.id).where(User.username == "ana"))
        for n in range(others):
            student = User(username=f"student{n}", password_hash="x", session_token=f"t{n}")
            db.session.add(student)
            db.session.flush()
            add_attempts(student.id, attempts_each, 6, submitted=True)
        add_attempts(ana, attempts_each, 6, submitted=True)
        (in_progress,) = add_attempts(ana, 1, answered, submitted=False, timed=timed)
        (submitted,) = add_attempts(ana, 1, answered, submitted=True)
    return in_progress, submitted


def queries_for(client, count_queries, url: str) -> list[str]:
    """The queries of one GET of ``url``, after a first one warmed the caches."""
    assert client.get(url).status_code == 200
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries


@pytest.mark.parametrize("timed", [False, True], ids=["free-practice", "timed-assignment"])
@pytest.mark.parametrize("size", SIZES)
def test_the_question_page_runs_a_fixed_number_of_queries(
    app, signed_in, count_queries, size, timed
):
    client = signed_in("ana")
    in_progress, _ = build_data(app, size, timed)
    for number in (1, 6):
        queries = queries_for(client, count_queries, f"/attempts/{in_progress}/questions/{number}")
        assert len(queries) == QUESTION_PAGE_QUERIES, "\n\n".join(queries)


@pytest.mark.parametrize("size", SIZES)
def test_the_results_page_runs_a_fixed_number_of_queries(app, signed_in, count_queries, size):
    client = signed_in("ana")
    _, submitted = build_data(app, size)
    queries = queries_for(client, count_queries, f"/attempts/{submitted}/results")
    assert len(queries) == RESULTS_PAGE_QUERIES, "\n\n".join(queries)


def test_the_counter_sees_every_query_and_leaves_out_transaction_control(app, count_queries):
    with app.app_context(), count_queries() as queries:
        db.session.execute(sa.text("SELECT 1"))
        db.session.execute(sa.text("SELECT 2"))
        db.session.commit()
    assert queries == ["SELECT 1", "SELECT 2"]
