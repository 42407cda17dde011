"""One attempt model: one way to start, one set of rules, one way to mark results."""

from __future__ import annotations

import sqlalchemy as sa
from helpers.forms import post_form
from helpers.quiz import correct_form_data, form_data, presented
from helpers.teacher import (
    class_of,
    enrol,
    post_new_assignment,
)

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, User
from quizapp.services import attempts, results


def start_assignment(client, assignment_id: int) -> int:
    """Start the assignment through its button; the attempt's id."""
    response = post_form(client, f"/assignments/{assignment_id}/start", {}, page="/")
    return int(response.headers["Location"].split("/")[2])


def test_student_and_teacher_see_the_same_marks_for_the_same_attempt(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    class_id = class_of(app, "ms-lee")
    student = signed_in("ana")
    enrol(app, "ana", class_id)
    assignment_id = post_new_assignment(teacher, app, class_id)
    attempt_id = start_assignment(student, assignment_id)
    for number in range(1, 7):
        shown = presented(app, attempt_id, number)
        if shown.question.type == "multiple_choice":
            # One right pick of the two: half the points under partial scoring.
            data = form_data(shown, [shown.question.answer[0]])
        elif shown.question.type == "short_answer":
            continue  # left unanswered
        else:
            data = correct_form_data(shown)
        url = f"/attempts/{attempt_id}/questions/{number}"
        post_form(student, url, {**data, "nav": "next"})
    post_form(student, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/review")

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assignment = db.session.get(Assignment, assignment_id)
        ana = db.session.scalar(sa.select(User).where(User.username == "ana"))
        (detail,) = results.student_detail(assignment, ana)

        def marks(items):
            return [(i.number, i.grade.outcome, i.grade.earned, i.grade.possible) for i in items]

        seen_by_student = marks(attempts.attempt_results(attempt))
        seen_by_teacher = marks(detail.items)
    assert seen_by_student == seen_by_teacher
    outcomes = {outcome for _, outcome, _, _ in seen_by_student}
    assert {"partial", "unanswered", "correct"} <= outcomes
    assert any(m[1:] == ("partial", 1.0, 2) for m in seen_by_student)

    student_page = student.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "1 of 2 points" in student_page
    teacher_page = teacher.get(f"/teach/assignments/{assignment_id}/students/{attempt.user_id}")
    assert teacher_page.status_code == 200
    assert "1/2" in teacher_page.get_data(as_text=True)


def test_only_student_pages_load_the_timer_deadline_with_the_user(signed_in, count_queries):
    teacher = signed_in("ms-lee", role="teacher")
    student = signed_in("ana")
    for client in (teacher, student):
        client.get("/teach/" if client is teacher else "/")  # warm the caches
    with count_queries() as teacher_queries:
        assert teacher.get("/teach/").status_code == 200
    with count_queries() as student_queries:
        assert student.get("/").status_code == 200
    assert not any("deadline_at" in statement for statement in teacher_queries)
    # The student's first query is the user, with the earliest deadline of open attempts.
    assert "deadline_at" in student_queries[0]


def test_a_two_item_ordering_is_shown_in_either_order_with_equal_chance():
    from quizapp.domain.model import ORDERING, Question
    from quizapp.domain.question_types import question_type

    question = Question("two", ORDERING, "Which came first?", "Why.", items=("Earlier", "Later"))
    shown = [tuple(question_type(ORDERING).shown(question, seed)[1]) for seed in range(400)]
    solved = shown.count(("Earlier", "Later"))
    # A fair coin: the order shown says nothing about the answer (it used to be always reversed).
    assert 140 < solved < 260
    assert set(shown) == {("Earlier", "Later"), ("Later", "Earlier")}


def test_resume_opens_the_first_unanswered_question_then_the_review(app, signed_in):
    student = signed_in("ana")
    location = post_form(student, "/quizzes/civics-mini/start", {}, page="/").headers["Location"]
    attempt_id = int(location.split("/")[2])
    for number in (1, 2, 4):  # question 3 skipped
        shown = presented(app, attempt_id, number)
        url = f"/attempts/{attempt_id}/questions/{number}"
        post_form(student, url, {**correct_form_data(shown), "nav": "next"})
    resumed = student.get(f"/attempts/{attempt_id}/resume")
    assert resumed.headers["Location"].endswith(f"/attempts/{attempt_id}/questions/3")
    for number in (3, 5, 6):
        shown = presented(app, attempt_id, number)
        url = f"/attempts/{attempt_id}/questions/{number}"
        post_form(student, url, {**correct_form_data(shown), "nav": "next"})
    resumed = student.get(f"/attempts/{attempt_id}/resume")
    assert resumed.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    other = signed_in("bob")
    assert other.get(f"/attempts/{attempt_id}/resume").status_code == 404
