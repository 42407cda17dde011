"""Teachers run classes; students join with a code; teachers see and manage the roster."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import time_machine
from helpers.forms import csrf_token, post_form
from helpers.teacher import assignment_form, join_code, post_join, post_new_class

from quizapp.domain.limits import REPEATED_PRESS
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Enrollment, User
from quizapp.services.classes import JOIN_CODE_ALPHABET


def test_teacher_pages_refuse_students_and_send_visitors_to_sign_in(client, signed_in):
    student = signed_in("sam")
    assert student.get("/teach/").status_code == 403
    assert post_form(student, "/teach/classes", {"name": "Mine"}, page="/").status_code == 403
    response = client.get("/teach/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_class_join_code_roster_and_removal(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    class_id = post_new_class(teacher)
    code = join_code(app, class_id)
    assert len(code) == 8 and set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set(code) & set("0O1IL")

    student = signed_in("sam", display_name="Sam Ortiz")
    response = post_join(student, code.lower()[:4] + "-" + code.lower()[4:])  # typed loosely
    assert response.status_code == 302
    assert "You joined Civics 9B." in student.get("/").get_data(as_text=True)
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "Sam Ortiz" in page and code in page

    post_form(teacher, f"/teach/classes/{class_id}/code", {}, page=f"/teach/classes/{class_id}")
    new_code = join_code(app, class_id)
    assert new_code != code
    other = signed_in("kit")
    refused = post_join(other, code)
    assert refused.status_code == 200
    assert "No class has that code." in refused.get_data(as_text=True)
    assert post_join(other, new_code).status_code == 302

    with app.app_context():
        sam_id = db.session.scalar(sa.select(User.id).where(User.username == "sam"))
    removed = post_form(
        teacher,
        f"/teach/classes/{class_id}/students/{sam_id}/remove",
        {},
        page=f"/teach/classes/{class_id}",
        follow_redirects=True,
    )
    assert "Sam Ortiz was removed from Civics 9B." in removed.get_data(as_text=True)
    class_page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    roster, removed_list = class_page.split("Removed students (1)")
    assert "Students (1)" in roster and "Sam Ortiz" not in roster.split("Students (1)")[1]
    assert "Sam Ortiz" in removed_list
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Enrollment.id)).where(Enrollment.student_id == sam_id)
            )
            == 0
        )
    # Removing a student ends their sessions on the server.
    assert student.get("/history").status_code == 302


def test_class_form_errors_are_shown(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    page = post_form(
        teacher, "/teach/classes", {"name": "", "time_zone": "Mars/Olympus"}, page="/teach/"
    ).get_data(as_text=True)
    assert "Name the class." in page
    assert "Not a valid choice" in page


def test_invitation_link_creates_a_teacher_once(app, signed_in, client):
    teacher = signed_in("ms-lee", role="teacher")
    page = post_form(teacher, "/teach/invitations", {}).get_data(as_text=True)
    link = page.split('id="invite-link" type="text" readonly value="')[1].split('"')[0]
    path = link.split("localhost", 1)[1]
    data = {
        "username": "mr-new",
        "display_name": "Mr New",
        "password": "long enough pw",
        "confirm": "long enough pw",
    }
    response = post_form(client, path, data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/teach/")
    assert client.get("/teach/").status_code == 200
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get("/account/invite/not-a-token").status_code == 404


def test_create_pressed_twice_makes_one_class_then_another_later(app, signed_in):
    # Without the page script a double click sends the form twice, with the same token.
    teacher = signed_in("ms-twice", role="teacher")
    token = csrf_token(teacher, "/teach/")
    form = {"csrf_token": token, "name": "Period 5", "time_zone": "UTC"}
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        first, second = (teacher.post("/teach/classes", data=form) for _ in range(2))
        assert first.headers["Location"] == second.headers["Location"]
        clock.shift(REPEATED_PRESS + timedelta(seconds=1))
        later = teacher.post("/teach/classes", data=form)
    assert later.headers["Location"] != first.headers["Location"]
    with app.app_context():
        names = db.session.scalars(sa.select(Classroom.name).where(Classroom.name == "Period 5"))
        assert list(names) == ["Period 5", "Period 5"]


def test_create_assignment_pressed_twice_makes_one_assignment(app, signed_in):
    teacher = signed_in("ms-twice-a", role="teacher")
    class_id = post_new_class(teacher)
    url = f"/teach/classes/{class_id}/assignments/new"
    form = {"csrf_token": csrf_token(teacher, url), **assignment_form(app, title="Unit 1")}
    first, second = (teacher.post(url, data=form) for _ in range(2))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        titles = db.session.scalars(
            sa.select(Assignment.title).where(Assignment.classroom_id == class_id)
        )
        assert list(titles) == ["Unit 1"]
