"""Assignments: modes, windows, time limits, attempt limits and which attempt counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from helpers.factories import answer_attempt
from helpers.forms import post_form
from helpers.quiz import correct_form_data, form_data, presented, wrong_answer
from helpers.teacher import assignment_form, post_new_assignment
from markupsafe import escape

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Response, User

START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    """A controllable clock starting at START; sessions are made under it too.

    (Session cookies carry a signed timestamp, so moving the clock back past their creation
    would sign everyone out: the whole test runs on this clock.)
    """
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def classroom(app, create_user, sign_in, create_class, join_class, clock):
    """A teacher with a class, and a student in it: (teacher, student, class_id)."""
    # These tests move the clock by days; sessions must outlast that.
    app.config.update(SESSION_IDLE_MINUTES=7 * 24 * 60, SESSION_MAX_HOURS=7 * 24)
    teacher = create_user("ms-lee", role="teacher")
    student = create_user("sam")
    classroom = create_class(teacher, time_zone="America/New_York")
    join_class(student, classroom)
    return sign_in(teacher), sign_in(student), classroom.id


def start(student, assignment_id):
    return post_form(student, f"/assignments/{assignment_id}/start", {}, page="/")


def attempts_of(app, username="sam"):
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Attempt)
            .join(User, User.id == Attempt.user_id)
            .where(User.username == username)
            .order_by(Attempt.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def take(app, attempt_id, correct=True):
    """Answer every question (right or wrong) and submit."""
    return answer_attempt(app, attempt_id, correct)


def attempts_by_id(app, attempt_id):
    with app.app_context():
        found = db.session.get(Attempt, attempt_id)
        db.session.expunge(found)
        return found


def test_student_sees_open_assignment_with_due_date_in_class_time_zone(app, classroom):
    teacher, student, class_id = classroom
    post_new_assignment(teacher, app, class_id, title="Curfew test", closes_at="2026-03-09T17:00")
    page = student.get("/").get_data(as_text=True)
    assert "Curfew test" in page
    assert "Monday, March 9 5:00 PM EDT" in page  # in the class's zone, after the clocks change
    assert "Free practice" in page


def test_window_refuses_attempts_before_opening_and_after_closing(app, classroom, clock):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(
        teacher,
        app,
        class_id,
        opens_at="2026-03-03T08:00",
        closes_at="2026-03-04T08:00",
        attempts_allowed="",
    )
    early = start(student, assignment_id)
    assert early.headers["Location"].endswith("/")
    assert "This assignment has not opened yet." in student.get("/").get_data(as_text=True)
    clock.move_to(datetime(2026, 3, 3, 13, 5, tzinfo=UTC))  # 08:05 in New York
    assert "/questions/1" in start(student, assignment_id).headers["Location"]
    clock.move_to(datetime(2026, 3, 4, 13, 5, tzinfo=UTC))
    start(student, assignment_id)
    assert "This assignment is closed" in student.get("/").get_data(as_text=True)
    assert len(attempts_of(app)) == 1


def test_time_limit_refuses_late_answers_and_submits(app, classroom, clock):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(teacher, app, class_id, time_limit_minutes="10")
    start(student, assignment_id)
    attempt = attempts_of(app)[0]
    assert attempt.deadline_at == START + timedelta(minutes=10)
    assert "Time left: <strong>10 minutes</strong>" in student.get(
        f"/attempts/{attempt.id}/questions/1"
    ).get_data(as_text=True)
    shown = presented(app, attempt.id, 1)
    clock.shift(timedelta(minutes=10, seconds=25))  # within the 30-second grace
    ok = post_form(
        student, f"/attempts/{attempt.id}/questions/1", {**correct_form_data(shown), "nav": "next"}
    )
    assert ok.headers["Location"].endswith("/questions/2")
    shown2 = presented(app, attempt.id, 2)
    page = f"/attempts/{attempt.id}/questions/2"
    token_page = student.get(page).get_data(as_text=True)
    clock.shift(timedelta(seconds=10))  # now past deadline + grace
    from helpers.forms import CSRF_PATTERN

    token = CSRF_PATTERN.search(token_page).group(1)
    late = student.post(
        page, data={"csrf_token": token, **correct_form_data(shown2), "nav": "next"}
    )
    assert late.headers["Location"].endswith(f"/attempts/{attempt.id}/results")
    with app.app_context():
        stored = db.session.get(Attempt, attempt.id)
        assert stored.submitted_at is not None
        answered = db.session.scalars(
            sa.select(Response).where(
                Response.attempt_id == attempt.id, Response.answer.is_not(None)
            )
        ).all()
        assert [r.question_id for r in answered] == [shown.question.id]


def test_expired_attempt_is_submitted_on_the_next_page_load(app, classroom, clock):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(teacher, app, class_id, time_limit_minutes="5")
    start(student, assignment_id)
    clock.shift(timedelta(minutes=6))
    page = student.get("/history").get_data(as_text=True)
    assert "Time ran out on a timed quiz" in page
    assert attempts_of(app)[0].submitted_at is not None


def test_attempt_limit_and_counting_rules(app, classroom):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(
        teacher, app, class_id, attempts_allowed="2", counting="last"
    )
    start(student, assignment_id)
    take(app, attempts_of(app)[0].id, correct=True)
    start(student, assignment_id)
    take(app, attempts_of(app)[1].id, correct=False)
    refused = start(student, assignment_id)
    assert refused.headers["Location"].endswith("/")
    assert "You have used all the attempts" in student.get("/").get_data(as_text=True)
    assert len(attempts_of(app)) == 2
    page = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert '<td data-label="Counted score">0%</td>' in page  # the last attempt counts
    for counting, shown in (("best", "100%"), ("average", "50%")):
        post_form(
            teacher,
            f"/teach/assignments/{assignment_id}/edit",
            assignment_form(app, attempts_allowed="2", counting=counting),
        )
        page = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
        assert f'<td data-label="Counted score">{shown}</td>' in page, counting


def test_practice_mode_shows_feedback_after_each_answer_and_locks_it(app, classroom):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(teacher, app, class_id, mode="practice")
    start(student, assignment_id)
    attempt = attempts_of(app)[0]
    shown = presented(app, attempt.id, 1)
    url = f"/attempts/{attempt.id}/questions/1"
    assert "Check my answer" in student.get(url).get_data(as_text=True)
    response = post_form(student, url, {**form_data(shown, wrong_answer(shown)), "nav": "next"})
    assert response.headers["Location"].endswith(url)
    page = student.get(url).get_data(as_text=True)
    assert "Incorrect" in page and str(escape(shown.question.explanation)) in page
    assert "Next question" in page
    # A second answer is not taken: the first one was checked.
    from helpers.forms import CSRF_PATTERN

    token = CSRF_PATTERN.search(student.get("/").get_data(as_text=True)).group(1)
    with app.app_context():
        checked = db.session.scalar(
            sa.select(Response.answer).where(Response.attempt_id == attempt.id)
        )
    again = student.post(url, data={"csrf_token": token, **correct_form_data(shown), "nav": "next"})
    assert again.headers["Location"].endswith(url)
    assert "That answer can no longer change." in student.get(url).get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(sa.select(Response).where(Response.attempt_id == attempt.id))
        assert row.earned == 0
        assert row.answer == checked


def test_test_results_can_wait_for_the_close_date(app, classroom, clock):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(
        teacher, app, class_id, results_release="after_close", closes_at="2026-03-05T09:00"
    )
    start(student, assignment_id)
    attempt = attempts_of(app)[0]
    take(app, attempt.id)
    page = student.get(f"/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "Your answers are submitted" in page and "2026-03-05 09:00 (America/New_York)" in page
    assert presented(app, attempt.id, 1).question.explanation not in page
    assert "<mark" not in student.get(
        f"/attempts/{attempt.id}/sources/report?question={attempt.question_ids[0]}"
    ).get_data(as_text=True)
    # Nor does the score show anywhere else: not in the history, not as a practice best.
    history = student.get("/history").get_data(as_text=True)
    assert "your teacher releases the results after the assignment closes" in history
    assert f"/ {attempt.max_score:g} (" not in history
    assert "Not taken yet" in student.get("/").get_data(as_text=True)
    clock.move_to(datetime(2026, 3, 5, 14, 1, tzinfo=UTC))
    assert "Your results" in student.get(f"/attempts/{attempt.id}/results").get_data(as_text=True)
    assert f"/ {attempt.max_score:g} (" in student.get("/history").get_data(as_text=True)


def test_attempts_allowed_left_empty_means_unlimited(app, classroom):
    teacher, _student, class_id = classroom
    assignment_id = post_new_assignment(teacher, app, class_id, attempts_allowed="")
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).attempts_allowed is None


def test_after_close_release_needs_a_close_date(app, classroom):
    teacher, _student, class_id = classroom
    page = post_form(
        teacher,
        f"/teach/classes/{class_id}/assignments/new",
        assignment_form(app, title="T", results_release="after_close", attempts_allowed=None),
    ).get_data(as_text=True)
    assert "Set a close date to release the results after it." in page


def test_a_draw_larger_than_the_set_is_refused_beside_its_field(app, classroom):
    teacher, _student, class_id = classroom
    response = post_form(
        teacher,
        f"/teach/classes/{class_id}/assignments/new",
        assignment_form(app, title="All of it", question_count="50"),
    )
    page = response.get_data(as_text=True)
    # The message is the field's own, which its input names as its description.
    assert re.search(r'id="question_count-error"[^>]*>.{0,80}This set has 6 questions\.', page)
    assert 'aria-describedby="question_count-hint question_count-error"' in page
    assert 'value="50"' in page, "the number typed stays to be changed"


def test_the_assignment_page_says_its_settings(app, classroom):
    teacher, _student, class_id = classroom
    limited = post_new_assignment(
        teacher, app, class_id, question_count="3", attempts_allowed="2", time_limit_minutes="10"
    )
    page = teacher.get(f"/teach/assignments/{limited}").get_data(as_text=True)
    meta = " ".join(page[page.index('<p class="meta">') :].split("</p>", 1)[0].split())
    assert "· 3 questions per attempt · 2 attempts allowed · time limit: 10 minutes" in meta
    every = post_new_assignment(teacher, app, class_id, title="Open", attempts_allowed="")
    page = teacher.get(f"/teach/assignments/{every}").get_data(as_text=True)
    meta = " ".join(page[page.index('<p class="meta">') :].split("</p>", 1)[0].split())
    assert "· 6 questions per attempt · attempts unlimited" in meta


def test_random_subset_per_attempt(app, classroom):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(
        teacher, app, class_id, question_count="3", balance_categories="y", attempts_allowed=""
    )
    start(student, assignment_id)
    first = attempts_of(app)[0]
    assert len(first.question_ids) == 3
    assert first.max_score == sum(presented(app, first.id, n).question.points for n in range(1, 4))
    page = student.get(f"/attempts/{first.id}/questions/1").get_data(as_text=True)
    assert "Question 1 of 3" in page
