"""Object-level access: two teachers, two classes, two students; every foreign id gives 404."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from helpers.forms import csrf_token, post_form
from helpers.settings import SETS
from helpers.teacher import assignment_form

from quizapp.extensions import db
from quizapp.models import Attempt, PendingUpload, QuestionSetVersion, User

MINI = (SETS / "civics-mini.yaml").read_bytes()
SOURCE = (SETS / "sources" / "town-meeting.txt").read_bytes()


def user_id(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def mini_set(set_id):
    """The test set under another id, with its source: what a teacher uploads."""
    content = MINI.replace(b"id: civics-mini", f"id: {set_id}".encode())
    return "s.yaml", content, {"town-meeting.txt": SOURCE}


@pytest.fixture
def world(
    create_user,
    sign_in,
    create_class,
    join_class,
    create_assignment,
    stage_set,
    publish_set,
    start_assignment,
):
    """Teacher A with class A, student A and a private set; the same for B."""
    ids = {}
    clients = {}
    for side in ("a", "b"):
        teacher = create_user(f"teacher-{side}", role="teacher")
        student = create_user(f"student-{side}")
        classroom = create_class(teacher, name=f"Class {side}")
        join_class(student, classroom)
        assignment = create_assignment(classroom, title=f"Quiz {side}", attempts_allowed=None)
        publish_set(teacher, *mini_set(f"private-{side}"))
        pending = stage_set(teacher, *mini_set(f"pending-{side}"))
        attempt = start_assignment(student, assignment)
        clients[side] = {"teacher": sign_in(teacher), "student": sign_in(student)}
        ids[side] = {
            "class": classroom.id,
            "assignment": assignment.id,
            "student": student.id,
            "attempt": attempt.id,
            "pending": f"/teach/uploads/{pending.id}",
        }
    return clients, ids


def test_teacher_b_gets_404_for_everything_of_teacher_a(app, world):
    clients, ids = world
    b, a = clients["b"]["teacher"], ids["a"]
    for url in (
        f"/teach/classes/{a['class']}",
        f"/teach/classes/{a['class']}/gradebook.csv",
        f"/teach/classes/{a['class']}/assignments/new",
        f"/teach/classes/{a['class']}/students/new",
        f"/teach/classes/{a['class']}/projector",
        f"/teach/assignments/{a['assignment']}",
        f"/teach/assignments/{a['assignment']}/edit",
        f"/teach/assignments/{a['assignment']}/analysis",
        f"/teach/assignments/{a['assignment']}/results.csv",
        f"/teach/assignments/{a['assignment']}/students/{a['student']}",
        a["pending"],
        "/teach/sets/private-a",
        "/teach/sets/private-a/versions/1.yaml",
    ):
        assert b.get(url).status_code == 404, url
    token = csrf_token(b, "/teach/")
    for url in (
        f"/teach/classes/{a['class']}/code",
        f"/teach/classes/{a['class']}/students/{a['student']}/remove",
        f"/teach/classes/{a['class']}/students/{a['student']}/reset",
        f"/teach/classes/{a['class']}/students/{a['student']}/unlock",
        f"/teach/classes/{a['class']}/students/new",
        f"/teach/classes/{a['class']}/students/{a['student']}/let-back-in",
        f"/teach/classes/{a['class']}/assignments/new",
        f"/teach/assignments/{a['assignment']}/edit",
        a["pending"] + "/publish",
        a["pending"] + "/discard",
    ):
        assert b.post(url, data={"csrf_token": token}).status_code == 404, url
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PendingUpload.id))) == 2


def test_a_student_of_another_class_is_not_found_in_my_assignment(world):
    clients, ids = world
    a = clients["a"]["teacher"]
    url = f"/teach/assignments/{ids['a']['assignment']}/students/{ids['b']['student']}"
    assert a.get(url).status_code == 404
    token = csrf_token(a, "/teach/")
    for action in ("remove", "reset", "unlock"):
        url = f"/teach/classes/{ids['a']['class']}/students/{ids['b']['student']}/{action}"
        assert a.post(url, data={"csrf_token": token}).status_code == 404, action


def test_teachers_cannot_assign_another_teachers_set(app, world):
    clients, ids = world
    with app.app_context():
        private_b = db.session.scalar(
            sa.select(QuestionSetVersion.id)
            .where(QuestionSetVersion.title.is_not(None))
            .order_by(QuestionSetVersion.id.desc())
        )
    a = clients["a"]["teacher"]
    page = post_form(
        a,
        f"/teach/classes/{ids['a']['class']}/assignments/new",
        assignment_form(app, title="Sneaky", version_id=str(private_b)),
    ).get_data(as_text=True)
    assert "Not a valid choice" in page


def test_shipped_sets_are_visible_to_every_teacher(world):
    clients, _ids = world
    assert clients["b"]["teacher"].get("/teach/sets/civics-mini").status_code == 200
    assert "Shipped with the app (read-only)" in clients["b"]["teacher"].get("/teach/").get_data(
        as_text=True
    )


def test_students_see_only_their_own_classes_and_attempts(app, world):
    clients, ids = world
    student_b = clients["b"]["student"]
    token = csrf_token(student_b, "/")
    assert (
        student_b.post(
            f"/assignments/{ids['a']['assignment']}/start", data={"csrf_token": token}
        ).status_code
        == 404
    )
    home = student_b.get("/").get_data(as_text=True)
    assert "Quiz b" in home and "Quiz a" not in home
    for url in (
        f"/attempts/{ids['a']['attempt']}/questions/1",
        f"/attempts/{ids['a']['attempt']}/results",
    ):
        assert student_b.get(url).status_code == 404
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Attempt.id)).where(Attempt.user_id == ids["b"]["student"])
            )
            == 1
        )


def test_students_get_403_on_every_teacher_page(world):
    clients, ids = world
    student = clients["a"]["student"]
    for url in (
        "/teach/",
        f"/teach/classes/{ids['a']['class']}",
        "/teach/upload",
        "/teach/sets/civics-mini",
    ):
        assert student.get(url).status_code == 403, url
