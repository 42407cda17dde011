"""One write boundary per use case: one transaction each, and what it returns stays loaded."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
import sqlalchemy as sa
from helpers.settings import SETS
from test_cli import versions

from quizapp.database import WRITE_OPTION
from quizapp.domain.loader import load_question_set_file
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Enrollment, PendingUpload, User
from quizapp.services import assignments, classes, invitations, lti_platforms, uploads
from quizapp.services.assignments import AssignmentSettings
from quizapp.services.question_sets import import_question_set, latest_version_of
from quizapp.services.uploads import UploadedFile


def renamed_copy(folder, set_id: str):
    """civics-mini.yaml under another set id, with its sources beside it."""
    path = folder / f"{set_id}.yaml"
    text = (SETS / "civics-mini.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("id: civics-mini", f"id: {set_id}", 1), encoding="utf-8")
    return path


def test_import_questions_imports_nothing_when_the_last_file_clashes(
    app, runner, create_user, tmp_path
):
    """A set id taken by a teacher's set, in the last file, leaves the first two unimported."""
    folder = tmp_path / "sets"
    shutil.copytree(SETS / "sources", folder / "sources")
    first, second, clash = (renamed_copy(folder, name) for name in ("first", "second", "taken"))
    teacher = create_user("ms-ortiz", role="teacher")
    with app.app_context():
        import_question_set(load_question_set_file(clash), owner_id=teacher.id)
    before = versions(app)
    result = runner.invoke(args=["import-questions", str(first), str(second), str(clash)])
    assert result.exit_code != 0
    assert "belongs to another set" in result.output
    assert "nothing was imported" in result.output
    assert versions(app) == before


def count_commits(engine):
    """A list that grows by one for each writing transaction committed on ``engine`` (the read
    transaction that write_transaction ends first wrote nothing, and is left out)."""
    commits: list[int] = []

    def record(connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            commits.append(1)

    sa.event.listen(engine, "commit", record)
    return commits


def test_publishing_an_upload_is_one_transaction(app, create_user):
    teacher = create_user("ms-ortiz", role="teacher")
    content = renamed_copy_bytes("one-commit")
    source = (SETS / "sources" / "town-meeting.txt").read_bytes()
    with app.app_context():
        staged = uploads.stage_upload(
            teacher,
            UploadedFile("one-commit.yaml", content),
            [UploadedFile("town-meeting.txt", source)],
        )
        pending = db.session.get(PendingUpload, staged.id)
        commits = count_commits(db.engine)
        published = uploads.publish_upload(teacher, pending)
        assert len(commits) == 1
        assert published.created
        assert db.session.scalar(sa.select(sa.func.count(PendingUpload.id))) == 0


def renamed_copy_bytes(set_id: str) -> bytes:
    text = (SETS / "civics-mini.yaml").read_text(encoding="utf-8")
    return text.replace("id: civics-mini", f"id: {set_id}", 1).encode()


def plain_value(returned) -> dict[str, object]:
    """The fields of a frozen dataclass (a live ORM row is none); reading them runs no SQL."""
    assert dataclasses.is_dataclass(returned) and not isinstance(returned, type)
    assert not isinstance(returned, db.Model)
    with pytest.raises(dataclasses.FrozenInstanceError):
        returned.id = 0
    return dataclasses.asdict(returned)


def test_what_a_service_returns_is_a_plain_value_read_without_sql(app, create_user, count_queries):
    """create_class, create_assignment, join_class and stage_upload hand back frozen dataclasses:
    reading them after the commit never reloads a row, and nothing depends on the session."""
    teacher = create_user("ms-ortiz", role="teacher")
    student = create_user("sam")
    with app.app_context():
        created_class = classes.create_class(teacher, " Civics 9B ", "America/Chicago")
        db.session.expunge_all()
        with count_queries() as queries:
            fields = plain_value(created_class)
        assert queries == []
        assert fields["id"] > 0
        assert fields["name"] == "Civics 9B"
        assert fields["time_zone"] == "America/Chicago"
        assert len(fields["join_code"]) == classes.JOIN_CODE_LENGTH
        stored_class = db.session.get(Classroom, created_class.id)
        assert stored_class is not None and stored_class.join_code == created_class.join_code

        version = latest_version_of("civics-mini")
        assert version is not None
        settings = AssignmentSettings(title=" Curfew quiz ", version_id=version.id)
        created = assignments.create_assignment(teacher, stored_class, settings)
        db.session.expunge_all()
        with count_queries() as queries:
            fields = plain_value(created)
        assert queries == []
        assert fields == {
            "id": created.id,
            "title": "Curfew quiz",
            "classroom_id": created_class.id,
            "version_id": version.id,
        }
        assert db.session.get(Assignment, created.id) is not None

        joined = classes.join_class(db.session.merge(student), created_class.join_code.lower())
        db.session.expunge_all()
        with count_queries() as queries:
            fields = plain_value(joined)
        assert queries == []
        assert fields == {"id": created_class.id, "name": "Civics 9B"}

        staged = uploads.stage_upload(
            teacher,
            UploadedFile("plain-value.yaml", renamed_copy_bytes("plain-value")),
            [
                UploadedFile(
                    "town-meeting.txt", (SETS / "sources" / "town-meeting.txt").read_bytes()
                )
            ],
        )
        db.session.expunge_all()
        with count_queries() as queries:
            fields = plain_value(staged)
        assert queries == []
        assert fields["filename"] == "plain-value.yaml"
        assert fields["file_format"] == "yaml"
        assert fields["skipped_count"] == 0
        assert db.session.get(PendingUpload, staged.id) is not None


def test_accepting_an_invitation_is_one_transaction(app, create_user):
    """The new account and the used-up invitation are committed together."""
    inviter = create_user("ms-ortiz", role="teacher")
    with app.app_context():
        token = invitations.create_invitation(inviter)
        commits = count_commits(db.engine)
        invited = invitations.accept_invitation(token, "mr-lund", "a long enough password")
        assert len(commits) == 1
        assert invited.id is not None and invited.is_teacher
        assert invitations.open_invitation(token) is None


def test_enrolling_twice_keeps_one_enrolment_and_commits_once(app, create_user, create_class):
    """add_once, behind enrolling and LTI co-teachers: a second add finds the row and writes
    nothing."""
    classroom = create_class(create_user("ms-ortiz", role="teacher"))
    student = create_user("sam")
    with app.app_context():
        commits = count_commits(db.engine)
        for _ in range(2):
            classes.enrol(db.session.get(Classroom, classroom.id), db.session.get(User, student.id))
        assert len(commits) == 1
        enrolments = sa.select(sa.func.count(Enrollment.id)).where(
            Enrollment.classroom_id == classroom.id, Enrollment.student_id == student.id
        )
        assert db.session.scalar(enrolments) == 1


def test_registering_a_platform_with_the_first_key_is_one_transaction(app, count_queries):
    """The platform and the app's first signing key are committed together, and the caller
    gets a plain value to name the platform by."""
    settings = lti_platforms.PlatformSettings(
        name=" District LMS ",
        issuer="https://lms.example.edu",
        client_id="civics-quiz",
        auth_login_url="https://lms.example.edu/auth",
        auth_token_url="https://lms.example.edu/token",
        key_set_url="https://lms.example.edu/jwks",
        deployment_ids=["1"],
    )
    with app.app_context():
        commits = count_commits(db.engine)
        registered = lti_platforms.register_platform(settings)
        assert len(commits) == 1
        db.session.expunge_all()
        with count_queries() as queries:
            fields = plain_value(registered)
        assert queries == []
        assert fields == {
            "id": registered.id,
            "name": "District LMS",
            "issuer": "https://lms.example.edu",
            "client_id": "civics-quiz",
        }
        assert lti_platforms.platform_by_id(registered.id) is not None
        assert lti_platforms.active_key() is not None
