"""Build test data through the services, without HTTP: users, classes, assignments, attempts.

Tests about a page still request that page; these build what the page needs around it, in
one or two statements each instead of a GET and a POST per form. Every function returns its
rows detached from the session, with their columns loaded.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, session
from flask.testing import FlaskClient
from flask_login import login_user

from quizapp.database import write_transaction
from quizapp.domain.grading import answer_key
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Classroom, LtiToolKey, PendingUpload, User
from quizapp.security import mark_signed_in
from quizapp.services import accounts, assignments, attempts, classes, lti_platforms, uploads

from .quiz import wrong_answer
from .settings import PASSWORD
from .teacher import version_id

#: argon2 hashes by (password, time cost, memory, parallelism): one hash per session, not one
#: per user. The accounts service's own rules are tested through the register and login forms.
_HASHES: dict[tuple[str, int, int, int], str] = {}

#: The app's LTI signing key as the first test that needed one had the app generate it. Every
#: test's database starts without a key, and a 2048-bit RSA key takes tens of milliseconds to
#: generate and check; the tests of generating and rotating keys still make their own.
_TOOL_KEY: dict[str, Any] = {}

Row = TypeVar("Row")


def _row(model: type[Row], row_id: int) -> Row:
    """The row of ``model`` with this id in the current session; it must exist."""
    found = db.session.get(model, row_id)
    assert found is not None, f"no {model.__name__} {row_id}"
    return found


def _detached(row: Row) -> Row:
    db.session.refresh(row)
    db.session.expunge(row)
    return row


def password_hash(app: Flask, password: str = PASSWORD) -> str:
    """The argon2id hash of ``password`` with the app's hash settings (computed once)."""
    config = app.config
    key = (
        password,
        config["PASSWORD_HASH_TIME_COST"],
        config["PASSWORD_HASH_MEMORY_KIB"],
        config["PASSWORD_HASH_PARALLELISM"],
    )
    if key not in _HASHES:
        with app.app_context():
            _HASHES[key] = accounts.hash_password(password)
    return _HASHES[key]


def make_user(
    app: Flask,
    username: str,
    password: str = PASSWORD,
    role: str = "student",
    display_name: str = "",
) -> User:
    """A user who can sign in with ``password``."""
    hashed = password_hash(app, password)
    with app.app_context():
        user = User(
            username=accounts.normalize_username(username),
            display_name=display_name,
            password_hash=hashed,
            role=role,
        )
        with write_transaction():
            db.session.add(user)
        return _detached(user)


def sign_in(app: Flask, user: User) -> FlaskClient:
    """A client whose session is the one the login form would have started for ``user``."""
    client = app.test_client()
    with app.test_request_context(environ_base=client.environ_base):
        login_user(user)
        mark_signed_in()
        values = dict(session)
    with client.session_transaction() as cookie_session:
        cookie_session.update(values)
    return client


def make_class(
    app: Flask, teacher: User, name: str = "Civics 9B", time_zone: str = "UTC"
) -> Classroom:
    """A class of ``teacher``."""
    with app.app_context():
        created = classes.create_class(_row(User, teacher.id), name, time_zone)
        return _detached(_row(Classroom, created.id))


def join_class(app: Flask, student: User, classroom: Classroom) -> None:
    """Put ``student`` in ``classroom``, as its join code does."""
    with app.app_context():
        classes.join_class(_row(User, student.id), classroom.join_code)


def make_assignment(
    app: Flask,
    classroom: Classroom,
    title: str = "Curfew quiz",
    set_slug: str = "civics-mini",
    **settings: Any,
) -> Assignment:
    """An assignment by the class's teacher of version 1 of ``set_slug`` (AssignmentSettings)."""
    chosen = assignments.AssignmentSettings(
        title=title, version_id=version_id(app, set_slug, owner_id=classroom.teacher_id), **settings
    )
    with app.app_context():
        target = _row(Classroom, classroom.id)
        owner = _row(User, target.teacher_id)
        created = assignments.create_assignment(owner, target, chosen)
        return _detached(_row(Assignment, created.id))


def start_assignment(app: Flask, student: User, assignment: Assignment) -> Attempt:
    """Start (or resume) the student's attempt at an assignment, as its Start button does."""
    with app.app_context():
        started = attempts.start_assignment_attempt(
            _row(User, student.id), _row(Assignment, assignment.id)
        )
        return _detached(_row(Attempt, started.id))


def answer_attempt(app: Flask, attempt_id: int, correct: bool = True) -> Attempt:
    """Answer every question of an open attempt right (or all wrong), and submit it."""
    with app.app_context():
        attempt = _row(Attempt, attempt_id)
        for number in range(1, len(attempt.question_ids) + 1):
            shown = attempts.present_question(attempt, number)
            assert shown is not None
            answer = answer_key(shown.question) if correct else wrong_answer(shown)
            attempts.save_answer(attempt, shown.question, answer)
        attempts.submit_attempt(attempt)
        return _detached(_row(Attempt, attempt_id))


def take_assignment(
    app: Flask, student: User, assignment: Assignment, correct: bool = True
) -> Attempt:
    """Start an attempt, answer every question right (or all wrong), and submit it."""
    return answer_attempt(app, start_assignment(app, student, assignment).id, correct)


def stage_set(
    app: Flask,
    teacher: User,
    filename: str,
    content: bytes,
    sources: dict[str, bytes] | None = None,
) -> PendingUpload:
    """An upload of ``teacher`` waiting on its preview page, as the upload form leaves it."""
    with app.app_context():
        staged = uploads.stage_upload(
            _row(User, teacher.id),
            uploads.UploadedFile(filename, content),
            [uploads.UploadedFile(name, text) for name, text in (sources or {}).items()],
        )
        return _detached(_row(PendingUpload, staged.id))


def publish_set(
    app: Flask,
    teacher: User,
    filename: str,
    content: bytes,
    sources: dict[str, bytes] | None = None,
) -> int:
    """Upload and publish a set of ``teacher``; return the id of the version published."""
    staged = stage_set(app, teacher, filename, content, sources)
    with app.app_context():
        result = uploads.publish_upload(_row(User, teacher.id), _row(PendingUpload, staged.id))
        published: int = result.version.id
        return published


def lti_tool_key(app: Flask) -> None:
    """Give the app its LTI signing key: the app generates it the first time in a run, and
    later tests get that same key, stored as ``ensure_tool_key`` would have stored a new one."""
    with app.app_context():
        if not _TOOL_KEY:
            key = lti_platforms.ensure_tool_key()
            _TOOL_KEY.update(
                kid=key.kid, private_key_pem=key.private_key_pem, public_jwk=dict(key.public_jwk)
            )
        elif lti_platforms.active_key() is None:
            with write_transaction():
                db.session.add(LtiToolKey(**_TOOL_KEY))
