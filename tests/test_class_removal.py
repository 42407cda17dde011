"""A student removed from a class cannot rejoin with its code nor finish an attempt they had
started there; the teacher can let them back in."""

from __future__ import annotations

import sqlalchemy as sa
from helpers.forms import csrf_token, post_form
from helpers.quiz import correct_form_data, presented
from helpers.settings import PASSWORD
from helpers.teacher import (
    class_of,
    enrol,
    join_code,
    post_join,
    post_new_assignment,
)

from quizapp.extensions import db
from quizapp.models import Response, User


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def sign_in_again(app, username: str):
    """A new client signed in as ``username`` (removal ended the old sessions)."""
    client = app.test_client()
    post_form(client, "/account/login", {"username": username, "password": PASSWORD})
    return client


def test_a_removed_student_cannot_rejoin_or_finish_until_let_back_in(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    class_id = class_of(app, "ms-lee")
    code = join_code(app, class_id)
    student = signed_in("sam", display_name="Sam Ortiz")
    post_join(student, code)
    assignment_id = post_new_assignment(teacher, app, class_id, attempts_allowed="")
    # A finished attempt, then one under way.
    for finish in (True, False):
        location = post_form(student, f"/assignments/{assignment_id}/start", {}, page="/")
        attempt_id = int(location.headers["Location"].split("/")[2])
        shown = presented(app, attempt_id, 1)
        url = f"/attempts/{attempt_id}/questions/1"
        post_form(student, url, {**correct_form_data(shown), "nav": "next"})
        if finish:
            review = f"/attempts/{attempt_id}/review"
            post_form(student, f"/attempts/{attempt_id}/submit", {}, page=review)
            finished = attempt_id
    unfinished = attempt_id
    sam = user_id(app, "sam")
    class_page = f"/teach/classes/{class_id}"
    post_form(teacher, f"{class_page}/students/{sam}/remove", {}, page=class_page)

    student = sign_in_again(app, "sam")
    refused = post_join(student, code)
    assert refused.status_code == 200
    assert "Your teacher removed you from this class" in refused.get_data(as_text=True)
    # A new code does not let them in either: the class remembers them.
    post_form(teacher, f"{class_page}/code", {}, page=class_page)
    assert post_join(student, join_code(app, class_id)).status_code == 200
    # The unfinished attempt cannot go on, by any route; the finished one's results stay.
    question = f"/attempts/{unfinished}/questions/2"
    assert student.get(question).status_code == 404
    assert student.get(f"/attempts/{unfinished}/resume").status_code == 404
    token = csrf_token(student, "/")
    shown = presented(app, unfinished, 2)
    data = {"csrf_token": token, **correct_form_data(shown), "nav": "next"}
    assert student.post(question, data=data).status_code == 404
    assert (
        student.post(f"/attempts/{unfinished}/submit", data={"csrf_token": token}).status_code
        == 404
    )
    assert (
        post_form(student, f"/assignments/{assignment_id}/start", {}, page="/").status_code == 404
    )
    assert student.get(f"/attempts/{finished}/results").status_code == 200
    with app.app_context():
        saved = db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(Response.attempt_id == unfinished)
        )
    assert saved == 1

    page = teacher.get(class_page).get_data(as_text=True)
    assert "Removed students (1)" in page and "Let back in" in page
    back = post_form(teacher, f"{class_page}/students/{sam}/let-back-in", {}, page=class_page)
    assert back.status_code == 302
    assert "Sam Ortiz is back in Civics 9B." in teacher.get(class_page).get_data(as_text=True)
    assert "Removed students" not in teacher.get(class_page).get_data(as_text=True)
    # Back in the class: the attempt goes on where it was left.
    assert (
        student.get(f"/attempts/{unfinished}/resume")
        .headers["Location"]
        .endswith(f"/attempts/{unfinished}/questions/2")
    )
    assert student.post(question, data=data).status_code == 302
    # Removed again later, the code still refuses; letting back in twice is harmless.
    assert post_join(student, join_code(app, class_id)).status_code == 302


def test_only_a_removed_student_of_my_class_can_be_let_back_in(app, signed_in, create_user):
    teacher = signed_in("ms-lee", role="teacher")
    class_id = class_of(app, "ms-lee")
    create_user("sam")
    enrol(app, "sam", class_id)
    sam = user_id(app, "sam")
    class_page = f"/teach/classes/{class_id}"
    url = f"{class_page}/students/{sam}/let-back-in"
    assert post_form(teacher, url, {}, page=class_page).status_code == 404, "not removed"
    post_form(teacher, f"{class_page}/students/{sam}/remove", {}, page=class_page)
    other = signed_in("mr-ray", role="teacher")
    assert post_form(other, url, {}, page="/teach/").status_code == 404


def test_a_class_with_removed_students_can_be_deleted(app, signed_in, create_user):
    from quizapp.models import ClassRemoval, Classroom
    from quizapp.services import management

    teacher = signed_in("ms-lee", role="teacher")
    class_id = class_of(app, "ms-lee")
    create_user("sam")
    enrol(app, "sam", class_id)
    class_page = f"/teach/classes/{class_id}"
    post_form(teacher, f"{class_page}/students/{user_id(app, 'sam')}/remove", {}, page=class_page)
    with app.app_context():
        management.delete_class(db.session.get(Classroom, class_id))
        assert db.session.scalar(sa.select(sa.func.count(ClassRemoval.id))) == 0
