"""The one place that decides who may see what: every lookup by id goes through here.

Each function returns the object only when the user may use it, and None otherwise, so that a
view answers 404 whether the object is missing or belongs to someone else.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from ..domain.limits import PENDING_UPLOAD_LIFETIME
from ..extensions import db
from ..models import (
    PRACTICE,
    Assignment,
    Attempt,
    ClassRemoval,
    Classroom,
    Enrollment,
    LtiCoTeacher,
    LtiCourse,
    PendingUpload,
    QuestionSet,
    QuestionSetVersion,
    User,
)
from ..models.types import utcnow
from .attempts.queries import HELD_BY_TEST
from .attempts.rules import AttemptRow


def teaches(teacher: User) -> sa.ColumnElement[bool]:
    """Classes the teacher runs, or teaches with its owner as an instructor of its LMS course."""
    co_taught = (
        sa.select(LtiCourse.classroom_id)
        .join(LtiCoTeacher, LtiCoTeacher.course_id == LtiCourse.id)
        .where(LtiCoTeacher.user_id == teacher.id)
    )
    return sa.or_(Classroom.teacher_id == teacher.id, Classroom.id.in_(co_taught))


def own_class(teacher: User, class_id: int) -> Classroom | None:
    """A class the teacher runs (or co-teaches)."""
    found: Classroom | None = db.session.scalar(
        sa.select(Classroom).where(Classroom.id == class_id, teaches(teacher))
    )
    return found


def own_assignment(teacher: User, assignment_id: int) -> Assignment | None:
    """An assignment in one of the teacher's classes, with its class and version loaded (every
    page of an assignment shows both)."""
    found: Assignment | None = db.session.scalar(
        sa.select(Assignment)
        .join(Assignment.classroom)
        .where(Assignment.id == assignment_id, teaches(teacher))
        .options(
            contains_eager(Assignment.classroom), joinedload(Assignment.version, innerjoin=True)
        )
    )
    return found


def own_upload(teacher: User, upload_id: int) -> PendingUpload | None:
    """An upload the teacher made, has not published or discarded, and that has not expired."""
    found: PendingUpload | None = db.session.scalar(
        sa.select(PendingUpload).where(
            PendingUpload.id == upload_id,
            PendingUpload.teacher_id == teacher.id,
            PendingUpload.created_at > utcnow() - PENDING_UPLOAD_LIFETIME,
        )
    )
    return found


def visible_set_filter(teacher: User) -> sa.ColumnElement[bool]:
    """Sets a teacher may read and assign: those shipped with the app and their own uploads."""
    return sa.or_(QuestionSet.owner_id.is_(None), QuestionSet.owner_id == teacher.id)


def assignable_set_filter(teacher: User) -> sa.ColumnElement[bool]:
    """Sets a teacher may offer in a new assignment: the visible ones they have not archived."""
    return sa.and_(visible_set_filter(teacher), QuestionSet.archived_at.is_(None))


def own_set(teacher: User, slug: str) -> QuestionSet | None:
    """A set the teacher uploaded (never a shipped one: those are read-only)."""
    found: QuestionSet | None = db.session.scalar(
        sa.select(QuestionSet).where(QuestionSet.slug == slug, QuestionSet.owner_id == teacher.id)
    )
    return found


def visible_set(teacher: User, slug: str) -> QuestionSet | None:
    """A set the teacher may read."""
    found: QuestionSet | None = db.session.scalar(
        sa.select(QuestionSet)
        .where(QuestionSet.slug == slug, visible_set_filter(teacher))
        # The teacher's own first, should a later release ship a set of an id they hold.
        .order_by(QuestionSet.owner_id.is_(None))
        .limit(1)
    )
    return found


def visible_version(teacher: User, version_id: int) -> QuestionSetVersion | None:
    """A version of a set the teacher may read and assign."""
    found: QuestionSetVersion | None = db.session.scalar(
        sa.select(QuestionSetVersion)
        .join(QuestionSetVersion.question_set)
        .where(QuestionSetVersion.id == version_id, visible_set_filter(teacher))
    )
    return found


def assignable_version(teacher: User, version_id: int) -> QuestionSetVersion | None:
    """A version the teacher may give in a new assignment: of a visible set not archived."""
    found: QuestionSetVersion | None = db.session.scalar(
        sa.select(QuestionSetVersion)
        .join(QuestionSetVersion.question_set)
        .where(QuestionSetVersion.id == version_id, assignable_set_filter(teacher))
    )
    return found


def student_assignment(student: User, assignment_id: int) -> Assignment | None:
    """An assignment of one of the student's classes."""
    found: Assignment | None = db.session.scalar(
        sa.select(Assignment)
        .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
        .where(Assignment.id == assignment_id, Enrollment.student_id == student.id)
    )
    return found


# Table columns, so that the statements below also run as Core statements.
_ATTEMPTS = Attempt.__table__
_ASSIGNMENTS = Assignment.__table__
_CLASSROOMS = Classroom.__table__
_ENROLMENTS = Enrollment.__table__
_VERSIONS = QuestionSetVersion.__table__

#: Whether the attempt's student is still in the class of its assignment, and neither the
#: assignment nor the class is archived (archiving stops new work; finished results stay).
_STILL_IN_THE_CLASS = (
    sa.select(_ENROLMENTS.c.id)
    .select_from(
        _ENROLMENTS.join(
            _ASSIGNMENTS, _ASSIGNMENTS.c.classroom_id == _ENROLMENTS.c.classroom_id
        ).join(_CLASSROOMS, _CLASSROOMS.c.id == _ASSIGNMENTS.c.classroom_id)
    )
    .where(
        _ASSIGNMENTS.c.id == _ATTEMPTS.c.assignment_id,
        _ENROLMENTS.c.student_id == _ATTEMPTS.c.user_id,
        _ASSIGNMENTS.c.archived_at.is_(None),
        _CLASSROOMS.c.archived_at.is_(None),
    )
    .exists()
)
#: The attempt ``attempt_id`` of the student ``user_id``. A student removed from a class keeps
#: their submitted attempts at its assignments, but cannot go on with an unfinished one.
_STUDENTS_OWN_ATTEMPT = sa.and_(
    _ATTEMPTS.c.id == sa.bindparam("attempt_id"),
    _ATTEMPTS.c.user_id == sa.bindparam("user_id"),
    sa.or_(
        _ATTEMPTS.c.assignment_id.is_(None),
        _ATTEMPTS.c.submitted_at.is_not(None),
        _STILL_IN_THE_CLASS,
    ),
)
# Built once (the question page's statement). Every attempt page shows the version's title and
# checks the assignment's mode, so both come in the same query.
_OWN_ATTEMPT = (
    sa.select(Attempt)
    .where(_STUDENTS_OWN_ATTEMPT)
    .options(
        sa.orm.joinedload(Attempt.version, innerjoin=True),
        sa.orm.joinedload(Attempt.assignment),
        sa.orm.with_expression(Attempt.held_by_test, HELD_BY_TEST),
    )
)


def own_attempt(student: User, attempt_id: int) -> Attempt | None:
    """An attempt the student made, with its version and assignment (not an unfinished one at
    the assignment of a class they were removed from)."""
    found: Attempt | None = db.session.scalar(
        _OWN_ATTEMPT, {"attempt_id": attempt_id, "user_id": student.id, "now": utcnow()}
    )
    return found


# The same attempt as plain values, for saving and submitting (a Core statement).
_OWN_ATTEMPT_ROW = (
    sa.select(
        _ATTEMPTS.c.id,
        _ATTEMPTS.c.user_id,
        _ATTEMPTS.c.version_id,
        _VERSIONS.c.content_hash,
        _ATTEMPTS.c.assignment_id,
        _ATTEMPTS.c.seed,
        _ATTEMPTS.c.question_ids,
        _ATTEMPTS.c.deadline_at,
        _ATTEMPTS.c.submitted_at,
        _ASSIGNMENTS.c.mode,
    )
    .select_from(
        _ATTEMPTS.join(_VERSIONS, _VERSIONS.c.id == _ATTEMPTS.c.version_id).outerjoin(
            _ASSIGNMENTS, _ASSIGNMENTS.c.id == _ATTEMPTS.c.assignment_id
        )
    )
    .where(_STUDENTS_OWN_ATTEMPT)
)


def own_attempt_row(student: User, attempt_id: int) -> AttemptRow | None:
    """The attempt of ``own_attempt`` as a plain row: what saving and submitting need."""
    found = db.session.execute(
        _OWN_ATTEMPT_ROW, {"attempt_id": attempt_id, "user_id": student.id}
    ).first()
    if found is None:
        return None
    columns = dict(found._mapping)
    practice = columns.pop("mode") == PRACTICE
    return AttemptRow(**columns, practice=practice)


def enrolled_student(classroom: Classroom, student_id: int) -> User | None:
    """A student enrolled in the class."""
    found: User | None = db.session.scalar(
        sa.select(User)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id == classroom.id, User.id == student_id)
    )
    return found


def removed_student(classroom: Classroom, student_id: int) -> User | None:
    """A student removed from the class and not let back in."""
    found: User | None = db.session.scalar(
        sa.select(User)
        .join(ClassRemoval, ClassRemoval.student_id == User.id)
        .where(ClassRemoval.classroom_id == classroom.id, User.id == student_id)
    )
    return found
