"""Renaming, archiving and deleting: another teacher's class, assignment, set or student is 404
on every route and method, changes nothing, and a forged or missing token changes nothing."""

from __future__ import annotations

import sqlalchemy as sa
from helpers.forms import csrf_token
from helpers.teacher import join_code, post_join, post_new_assignment, post_new_class
from test_access_matrix import routes
from test_classroom_management import upload_set

from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Enrollment, QuestionSet, User

#: Each management route with teacher A's objects in its URL.
OWNED_URLS = {
    "teacher.manage.confirm_remove_student": (
        "/teach/classes/{class}/students/{student}/confirm-removal"
    ),
    "teacher.manage.class_settings": "/teach/classes/{class}/settings",
    "teacher.manage.archive_class": "/teach/classes/{class}/archive",
    "teacher.manage.restore_class": "/teach/classes/{class}/restore",
    "teacher.manage.delete_class": "/teach/classes/{class}/delete",
    "teacher.manage.archive_assignment": "/teach/assignments/{assignment}/archive",
    "teacher.manage.restore_assignment": "/teach/assignments/{assignment}/restore",
    "teacher.manage.delete_assignment": "/teach/assignments/{assignment}/delete",
    "teacher.manage.set_settings": "/teach/sets/{set}/settings",
    "teacher.manage.archive_set": "/teach/sets/{set}/archive",
    "teacher.manage.restore_set": "/teach/sets/{set}/restore",
    "teacher.manage.delete_set": "/teach/sets/{set}/delete",
}


def state(app) -> tuple[object, ...]:
    """Everything these routes could change."""
    with app.app_context():
        return (
            db.session.execute(
                sa.select(Classroom.name, Classroom.time_zone, Classroom.archived_at)
            ).all(),
            db.session.execute(sa.select(Assignment.id, Assignment.archived_at)).all(),
            db.session.execute(
                sa.select(QuestionSet.slug, QuestionSet.name, QuestionSet.archived_at)
            ).all(),
            db.session.scalar(sa.select(sa.func.count(Enrollment.id))),
        )


def teacher_a_world(app, signed_in):
    """Teacher A's class (with a student), assignment and own set; teacher B, a stranger."""
    a = signed_in("teacher-a", role="teacher")
    class_id = post_new_class(a, name="Class A")
    student = signed_in("student-a")
    post_join(student, join_code(app, class_id))
    assignment_id = post_new_assignment(a, app, class_id, title="Quiz A")
    upload_set(a, "private-a")
    with app.app_context():
        student_id = db.session.scalar(sa.select(User.id).where(User.username == "student-a"))
    ids = {
        "class": class_id,
        "assignment": assignment_id,
        "set": "private-a",
        "student": student_id,
    }
    return a, signed_in("teacher-b", role="teacher"), ids


def test_every_management_route_is_in_the_list(app):
    manage = {endpoint for endpoint, _, _ in routes(app) if endpoint.startswith("teacher.manage.")}
    assert manage == set(OWNED_URLS)


def test_another_teacher_gets_404_everywhere_and_changes_nothing(app, signed_in):
    a, b, ids = teacher_a_world(app, signed_in)
    before = state(app)
    token = csrf_token(b, "/teach/")
    methods = {(endpoint, method) for endpoint, method, _ in routes(app)}
    tried = 0
    for endpoint, template in OWNED_URLS.items():
        url = template.format(**ids)
        assert a.get(url).status_code in (200, 405), f"teacher A cannot use {url}"
        if (endpoint, "GET") in methods:
            assert b.get(url).status_code == 404, url
            tried += 1
        if (endpoint, "POST") in methods:
            data = {"csrf_token": token, "confirm": "y", "name": "Mine now", "time_zone": "UTC"}
            assert b.post(url, data=data).status_code == 404, url
            tried += 1
    assert tried == 17  # 1 GET only, 5 GET and POST, 6 POST only
    assert state(app) == before


def test_a_student_of_another_class_cannot_be_removed_through_my_class(app, signed_in):
    a, _b, ids = teacher_a_world(app, signed_in)
    other_class = post_new_class(a, name="Class A2")
    url = f"/teach/classes/{other_class}/students/{ids['student']}/confirm-removal"
    assert a.get(url).status_code == 404


def test_no_management_post_works_without_a_valid_token(app, signed_in):
    a, _b, ids = teacher_a_world(app, signed_in)
    before = state(app)
    for template in OWNED_URLS.values():
        url = template.format(**ids)
        for token in ({}, {"csrf_token": "forged"}):
            data = {**token, "confirm": "y", "name": "Renamed", "time_zone": "UTC"}
            response = a.post(url, data=data)
            assert response.status_code in (400, 405), f"{url} -> {response.status_code}"
    assert state(app) == before
