"""A set that is a test in a student's class does not leak through free practice: no new
practice on it, and the answers of earlier practice stay hidden, until the test closes."""

from __future__ import annotations

from datetime import timedelta

from helpers.forms import post_form
from helpers.teacher import (
    class_of,
    enrol,
    post_new_assignment,
)

from quizapp.extensions import db
from quizapp.models import Assignment
from quizapp.models.types import utcnow

PRACTICE_CARD = "Free practice"
HELD = "This set is a test in your class: free practice on it opens again when the test closes."


def practise_and_submit(student) -> int:
    """Free practice on the test set, submitted empty; the attempt id."""
    location = post_form(student, "/quizzes/civics-mini/start", {}, page="/").headers["Location"]
    attempt_id = int(location.split("/")[2])
    post_form(student, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/review")
    return attempt_id


def close(app, assignment_id: int, when) -> None:
    with app.app_context():
        db.session.get(Assignment, assignment_id).closes_at = when
        db.session.commit()


def test_an_open_test_holds_back_free_practice_on_its_set(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    class_id = class_of(app, "ms-lee")
    student = signed_in("ana")
    enrol(app, "ana", class_id)
    earlier = practise_and_submit(student)
    results = f"/attempts/{earlier}/results"
    explanation = "the vote is next month"  # an explanation, shown with the results
    assert explanation in student.get(results).get_data(as_text=True).lower()

    assignment_id = post_new_assignment(teacher, app, class_id, mode="test")
    home = student.get("/").get_data(as_text=True)
    assert HELD in home
    refused = post_form(student, "/quizzes/civics-mini/start", {}, page="/", follow_redirects=True)
    assert "free practice on it is closed until the test closes" in refused.get_data(as_text=True)
    # The earlier practice's answers, explanations and evidence are hidden too.
    hidden = student.get(results).get_data(as_text=True)
    assert "stay hidden until the test closes" in hidden
    assert explanation not in hidden.lower()
    source = student.get(f"/attempts/{earlier}/sources/report?question=vote-held")
    assert "<mark" not in source.get_data(as_text=True)
    assert "Hidden while this set is a test in your class" in student.get("/history").get_data(
        as_text=True
    )

    # Once the test closes, practice and its answers come back.
    close(app, assignment_id, utcnow() - timedelta(minutes=1))
    assert HELD not in student.get("/").get_data(as_text=True)
    assert explanation in student.get(results).get_data(as_text=True).lower()
    assert post_form(student, "/quizzes/civics-mini/start", {}, page="/").status_code == 302


def test_a_practice_assignment_or_another_class_s_test_holds_nothing(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    mine = class_of(app, "ms-lee", name="Mine")
    other = class_of(app, "ms-lee", name="Other")
    student = signed_in("ana")
    enrol(app, "ana", mine)
    post_new_assignment(teacher, app, mine, mode="practice")
    post_new_assignment(teacher, app, other, mode="test")
    assert HELD not in student.get("/").get_data(as_text=True)
    assert post_form(student, "/quizzes/civics-mini/start", {}, page="/").status_code == 302


def test_the_assignment_form_tells_the_teacher(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    class_id = class_of(app, "ms-lee")
    page = teacher.get(f"/teach/classes/{class_id}/assignments/new").get_data(as_text=True)
    assert "cannot start free practice on the same set" in page
