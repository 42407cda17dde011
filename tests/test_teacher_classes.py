"""Teachers run classes; students join with a code; teachers see and manage the roster."""

from __future__ import annotations

import sqlalchemy as sa
from helpers.forms import post_form
from helpers.teacher import join_code, post_join, post_new_class

from quizapp.extensions import db
from quizapp.models import Enrollment, User
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
