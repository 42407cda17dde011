"""One write boundary per use case: one transaction each, and what it returns stays loaded."""

from __future__ import annotations

import shutil

import sqlalchemy as sa
from helpers.settings import SETS
from test_cli import versions

from quizapp.database import WRITE_OPTION
from quizapp.domain.loader import load_question_set_file
from quizapp.extensions import db
from quizapp.models import PendingUpload
from quizapp.services import assignments, classes, invitations, uploads
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
        commits = count_commits(db.engine)
        published = uploads.publish_upload(teacher, staged)
        assert len(commits) == 1
        assert published.created
        assert db.session.scalar(sa.select(sa.func.count(PendingUpload.id))) == 0


def renamed_copy_bytes(set_id: str) -> bytes:
    text = (SETS / "civics-mini.yaml").read_text(encoding="utf-8")
    return text.replace("id: civics-mini", f"id: {set_id}", 1).encode()


def test_what_a_service_returns_is_read_without_a_new_query(app, create_user, count_queries):
    teacher = create_user("ms-ortiz", role="teacher")
    with app.app_context():
        classroom = classes.create_class(teacher, "Civics 9B", "UTC")
        with count_queries() as queries:
            assert classroom.id > 0
            assert len(classroom.join_code) == classes.JOIN_CODE_LENGTH
        assert queries == []
        version = latest_version_of("civics-mini")
        assert version is not None
        settings = AssignmentSettings(title="Curfew quiz", version_id=version.id)
        created = assignments.create_assignment(teacher, classroom, settings)
        with count_queries() as queries:
            assert created.id > 0
            assert created.title == "Curfew quiz"
        assert queries == []


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
