"""Managing classes, assignments and sets: confirm a removal, rename, archive and delete."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from helpers.forms import csrf_token, post_form
from helpers.settings import SETS
from helpers.teacher import join_code, post_join, post_new_assignment, post_new_class

from quizapp.domain.grading import answer_key
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    QuestionSet,
    QuestionSetVersion,
    Response,
    SourceText,
    User,
)
from quizapp.services import assignments, attempts
from quizapp.services.assignments import AssignmentError, AssignmentSettings

MINI = (SETS / "civics-mini.yaml").read_bytes()
SOURCE = (SETS / "sources" / "town-meeting.txt").read_bytes()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def upload_set(client, set_id: str, title: str = "Town meeting") -> None:
    """Upload civics-mini under another id and title, and publish it."""
    text = MINI.replace(b"id: civics-mini", f"id: {set_id}".encode())
    text = re.sub(rb"(?m)^title: .*$", f"title: {title}".encode(), text)
    response = post_form(
        client,
        "/teach/upload",
        {
            "question_file": (io.BytesIO(text), "set.yaml"),
            "source_files": [(io.BytesIO(SOURCE), "town-meeting.txt")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    preview = response.headers["Location"]
    assert post_form(client, preview + "/publish", {}, page=preview).status_code == 302


@pytest.fixture
def course(
    app, create_user, sign_in, create_class, join_class, create_assignment, start_assignment
):
    """A teacher's class with a student who answered one question of an assignment."""
    teacher = create_user("ms-lee", role="teacher")
    classroom = create_class(teacher, name="Civics 9B")
    student = create_user("sam", display_name="Sam Rivera")
    join_class(student, classroom)
    assignment = create_assignment(classroom, title="Curfew quiz", attempts_allowed=1)
    attempt = start_assignment(student, assignment)
    # The attempt's seed decides which question comes first, so the answer is written for
    # whatever type it is.
    with app.app_context():
        begun = db.session.get(Attempt, attempt.id)
        shown = attempts.present_question(begun, 1)
        attempts.save_answer(begun, shown.question, answer_key(shown.question))
    class_id, assignment_id, student_id = classroom.id, assignment.id, student.id
    teacher, student = sign_in(teacher), sign_in(student)
    return teacher, student, class_id, assignment_id, student_id


# Removing a student.


def test_removing_a_student_asks_first_on_a_page_that_needs_no_script(app, course):
    teacher, _student, class_id, _assignment_id, student_id = course
    class_page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    confirm_url = f"/teach/classes/{class_id}/students/{student_id}/confirm-removal"
    remove_url = f"/teach/classes/{class_id}/students/{student_id}/remove"
    # The class page links to the question; it has no button that removes at once.
    assert f'href="{confirm_url}"' in class_page
    assert f'action="{remove_url}"' not in class_page
    page = teacher.get(confirm_url).get_data(as_text=True)
    assert "Remove Sam Rivera from Civics 9B?" in page
    assert f'<form method="post" action="{remove_url}">' in page
    assert count(app, Enrollment) == 1  # asking changed nothing
    post_form(teacher, remove_url, {}, page=confirm_url)
    assert count(app, Enrollment) == 0
    assert count(app, Attempt) == 1  # the attempt stays


# Classes.


def test_a_class_is_renamed_and_moved_to_another_zone_keeping_its_times(app, course):
    teacher, _student, class_id, assignment_id, _ = course
    post_form(
        teacher,
        f"/teach/assignments/{assignment_id}/edit",
        {
            "title": "Curfew quiz",
            "version_id": "1",
            "mode": "test",
            "results_release": "on_submit",
            "counting": "best",
            "closes_at": "2030-01-07T15:00",
        },
    )
    settings = f"/teach/classes/{class_id}/settings"
    saved = post_form(teacher, settings, {"name": "  Civics 9C ", "time_zone": "America/Chicago"})
    assert saved.headers["Location"].endswith(f"/teach/classes/{class_id}")
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        assert (classroom.name, classroom.time_zone) == ("Civics 9C", "America/Chicago")
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "2030-01-07 09:00 (America/Chicago)" in page  # 15:00 UTC, now read in Chicago


def test_a_class_cannot_lose_its_name(app, course):
    teacher, _student, class_id, _assignment_id, _ = course
    page = post_form(
        teacher, f"/teach/classes/{class_id}/settings", {"name": " ", "time_zone": "UTC"}
    )
    assert page.status_code == 200 and "Name the class." in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Classroom, class_id).name == "Civics 9B"


def test_an_archived_class_leaves_the_students_list_and_keeps_its_results(app, course, signed_in):
    teacher, student, class_id, assignment_id, _ = course
    post_form(teacher, f"/teach/classes/{class_id}/archive", {}, page="/teach/")
    assert "Curfew quiz" not in student.get("/").get_data(as_text=True)
    assert "Town curfew: a practice set" in student.get("/history").get_data(as_text=True)
    refused = post_form(student, f"/assignments/{assignment_id}/start", {}, page="/")
    assert refused.headers["Location"].endswith("/")
    assert "archived" in student.get("/").get_data(as_text=True)
    newcomer = signed_in("ana")
    joined = post_join(newcomer, join_code(app, class_id))
    assert "archived by its teacher" in joined.get_data(as_text=True)
    dashboard = teacher.get("/teach/").get_data(as_text=True)
    classes_section = dashboard.split('id="classes-heading"')[1]  # after the flash message
    active, archived = classes_section.split("<h3>Archived classes</h3>")
    assert "Civics 9B" in archived and "Civics 9B" not in active
    results = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert "Sam Rivera" in results and "In progress" in results
    post_form(teacher, f"/teach/classes/{class_id}/restore", {}, page="/teach/")
    assert "Curfew quiz" in student.get("/").get_data(as_text=True)


def test_deleting_a_class_says_what_goes_and_asks_for_a_tick(app, course):
    teacher, student, class_id, _assignment_id, _ = course
    url = f"/teach/classes/{class_id}/delete"
    page = teacher.get(url).get_data(as_text=True)
    assert "Delete the class “Civics 9B”?" in page
    for line in ("1 student enrolment", "1 assignment", "1 attempt (and its results)"):
        assert f"<li>{line}</li>" in page
    assert re.search(r"<li>1 saved answer</li>", page)
    unticked = post_form(teacher, url, {})
    assert unticked.status_code == 422
    assert "Tick the box to confirm" in unticked.get_data(as_text=True)
    assert count(app, Classroom) == 1 and count(app, Response) == 1
    deleted = post_form(teacher, url, {"confirm": "y"})
    assert deleted.headers["Location"].endswith("/teach/")
    assert [count(app, m) for m in (Classroom, Enrollment, Assignment, Attempt, Response)] == [
        0,
        0,
        0,
        0,
        0,
    ]
    assert count(app, User) == 2  # the accounts stay
    assert student.get("/history").status_code == 200


# Assignments.


def test_an_archived_assignment_leaves_the_students_list_and_keeps_its_results(app, course):
    teacher, student, class_id, assignment_id, _ = course
    page = f"/teach/assignments/{assignment_id}"
    post_form(teacher, f"{page}/archive", {}, page=page)
    assert "Curfew quiz" not in student.get("/").get_data(as_text=True)
    refused = post_form(student, f"/assignments/{assignment_id}/start", {}, page="/")
    assert refused.headers["Location"].endswith("/")
    class_page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "Archived assignments" in class_page
    assert "Sam Rivera" in teacher.get(page).get_data(as_text=True)
    assert count(app, Attempt) == 1
    post_form(teacher, f"{page}/restore", {}, page=page)
    assert "Curfew quiz" in student.get("/").get_data(as_text=True)


def test_the_gradebook_keeps_an_archived_assignments_column_marked_archived(app, course):
    """Archiving puts an assignment away from the students; its results stay, and so does its
    column in the class gradebook (a term's export keeps every grade earned), marked."""
    teacher, _student, class_id, assignment_id, _ = course
    gradebook = f"/teach/classes/{class_id}/gradebook.csv"
    page = f"/teach/assignments/{assignment_id}"
    post_form(teacher, f"{page}/archive", {}, page=page)
    header, *rows = csv.reader(io.StringIO(teacher.get(gradebook).get_data(as_text=True)))
    assert header[-1] == "Curfew quiz (%, archived)"
    assert [row[:2] for row in rows] == [["Sam Rivera", "sam"]]
    post_form(teacher, f"{page}/restore", {}, page=page)
    header = next(csv.reader(io.StringIO(teacher.get(gradebook).get_data(as_text=True))))
    assert header[-1] == "Curfew quiz (%)"


def test_an_unfinished_attempt_at_an_archived_assignment_cannot_go_on(app, course):
    """Archiving stops new work: the unfinished attempt's pages answer 404 until a restore."""
    teacher, student, class_id, assignment_id, _ = course
    with app.app_context():
        attempt_id = db.session.scalar(sa.select(Attempt.id))
    question = f"/attempts/{attempt_id}/questions/1"
    assert student.get(question).status_code == 200
    for archive, restore in (
        (
            f"/teach/assignments/{assignment_id}/archive",
            f"/teach/assignments/{assignment_id}/restore",
        ),
        (f"/teach/classes/{class_id}/archive", f"/teach/classes/{class_id}/restore"),
    ):
        post_form(teacher, archive, {}, page="/teach/")
        assert student.get(question).status_code == 404
        history = student.get("/history").get_data(as_text=True)
        assert "your teacher archived this assignment" in history
        assert f"/attempts/{attempt_id}/resume" not in history
        assert student.get(f"/attempts/{attempt_id}/resume").status_code == 404
        post_form(teacher, restore, {}, page="/teach/")
        assert student.get(question).status_code == 200


def test_deleting_an_assignment_says_what_goes_and_keeps_the_class(app, course):
    teacher, _student, class_id, assignment_id, _ = course
    url = f"/teach/assignments/{assignment_id}/delete"
    page = teacher.get(url).get_data(as_text=True)
    assert "<li>1 attempt (and its results)</li>" in page
    assert count(app, Assignment) == 1
    deleted = post_form(teacher, url, {"confirm": "y"})
    assert deleted.headers["Location"].endswith(f"/teach/classes/{class_id}")
    assert [count(app, m) for m in (Assignment, Attempt, Response)] == [0, 0, 0]
    assert count(app, Classroom) == 1 and count(app, Enrollment) == 1


# The teacher's own sets.


def test_a_set_is_renamed_on_the_teachers_pages(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    upload_set(teacher, "town-meeting")
    class_id = post_new_class(teacher)
    post_form(teacher, "/teach/sets/town-meeting/settings", {"name": "Unit 3: local government"})
    assert "Unit 3: local government" in teacher.get("/teach/").get_data(as_text=True)
    set_page = teacher.get("/teach/sets/town-meeting").get_data(as_text=True)
    assert "<h1>Unit 3: local government</h1>" in set_page
    form = teacher.get(f"/teach/classes/{class_id}/assignments/new").get_data(as_text=True)
    assert "Unit 3: local government (version 1)" in form
    version = re.search(r'<option value="(\d+)">Unit 3', form).group(1)
    post_new_assignment(teacher, app, class_id, version_id=version)
    class_page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "Unit 3: local government (version 1)" in class_page
    post_form(teacher, "/teach/sets/town-meeting/settings", {"name": ""})
    assert "<h1>Town meeting</h1>" in teacher.get("/teach/sets/town-meeting").get_data(as_text=True)


def test_an_archived_set_is_not_offered_for_new_assignments(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    upload_set(teacher, "town-meeting")
    class_id = post_new_class(teacher)
    form_url = f"/teach/classes/{class_id}/assignments/new"
    assert "Town meeting (version 1)" in teacher.get(form_url).get_data(as_text=True)
    post_form(teacher, "/teach/sets/town-meeting/archive", {}, page="/teach/sets/town-meeting")
    assert "Town meeting (version 1)" not in teacher.get(form_url).get_data(as_text=True)
    dashboard = teacher.get("/teach/").get_data(as_text=True)
    assert "Town meeting" in dashboard.split("<h3>Archived question sets</h3>")[1]
    post_form(teacher, "/teach/sets/town-meeting/restore", {}, page="/teach/sets/town-meeting")
    assert "Town meeting (version 1)" in teacher.get(form_url).get_data(as_text=True)


def test_deleting_a_set_takes_its_versions_assignments_and_attempts(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    upload_set(teacher, "town-meeting")
    class_id = post_new_class(teacher)
    student = signed_in("sam")
    post_join(student, join_code(app, class_id))
    with app.app_context():
        version = db.session.scalar(
            sa.select(QuestionSetVersion.id)
            .join(QuestionSetVersion.question_set)
            .where(QuestionSet.slug == "town-meeting")
        )
    assignment_id = post_new_assignment(teacher, app, class_id, version_id=version)
    post_form(student, f"/assignments/{assignment_id}/start", {}, page="/")
    before = (count(app, QuestionSetVersion), count(app, SourceText))
    page = teacher.get("/teach/sets/town-meeting/delete").get_data(as_text=True)
    for line in ("1 version", "1 assignment", "1 attempt (and its results)"):
        assert f"<li>{line}</li>" in page
    post_form(teacher, "/teach/sets/town-meeting/delete", {"confirm": "y"})
    assert teacher.get("/teach/sets/town-meeting").status_code == 404
    assert count(app, QuestionSetVersion) == before[0] - 1
    assert count(app, SourceText) < before[1]
    assert [count(app, m) for m in (Assignment, Attempt)] == [0, 0]
    assert count(app, Classroom) == 1
    # The shipped set is untouched and still assignable.
    assert teacher.get("/teach/sets/civics-mini").status_code == 200


@pytest.mark.parametrize("action", ["settings", "delete"])
def test_shipped_sets_cannot_be_renamed_archived_or_deleted(app, signed_in, action):
    teacher = signed_in("ms-lee", role="teacher")
    assert teacher.get(f"/teach/sets/civics-mini/{action}").status_code == 404
    token = csrf_token(teacher, "/teach/")
    for url in ("archive", "restore", action):
        response = teacher.post(
            f"/teach/sets/civics-mini/{url}", data={"csrf_token": token, "confirm": "y"}
        )
        assert response.status_code == 404, url
    assert count(app, QuestionSet) == 1
    page = teacher.get("/teach/sets/civics-mini").get_data(as_text=True)
    assert "Set settings" not in page


def test_the_service_gives_an_archived_set_in_no_new_assignment(app, signed_in):
    """Not only the form's menu: create_assignment itself refuses an archived set's version."""
    teacher = signed_in("ms-lee", role="teacher")
    upload_set(teacher, "town-meeting")
    class_id = post_new_class(teacher)
    post_form(teacher, "/teach/sets/town-meeting/archive", {}, page="/teach/sets/town-meeting")
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.username == "ms-lee"))
        version = db.session.scalar(
            sa.select(QuestionSetVersion.id)
            .join(QuestionSetVersion.question_set)
            .where(QuestionSet.slug == "town-meeting")
        )
        settings = AssignmentSettings(title="Late", version_id=version)
        with pytest.raises(AssignmentError):
            assignments.create_assignment(owner, db.session.get(Classroom, class_id), settings)
    assert count(app, Assignment) == 0
