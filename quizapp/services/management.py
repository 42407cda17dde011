"""A teacher tidying up: renaming, archiving and deleting classes, assignments and own sets.

Archiving is undone at any time and loses nothing. Deleting is for good: it takes everything
that hangs off the object with it, so the pages first show what goes (``*_contents``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.i18n import ngettext
from ..extensions import db
from ..models import (
    AcceptedAnswer,
    Assignment,
    Attempt,
    ClassRemoval,
    Classroom,
    DraftSet,
    Enrollment,
    QuestionSet,
    QuestionSetVersion,
    Regrade,
    Response,
    SourceText,
)
from ..models.types import utcnow
from .classes import check_time_zone

#: A query of ids (of attempts, versions...), or of one count.
IdQuery = sa.Select[Any]


@dataclass(frozen=True)
class Contents:
    """What a delete takes with it, counted, for the confirmation page."""

    students: int = 0
    assignments: int = 0
    attempts: int = 0
    answers: int = 0
    versions: int = 0

    @property
    def lines(self) -> list[str]:
        """The counts as phrases ('3 assignments'), leaving out what there is none of."""
        n = self
        phrases = (
            (
                n.students,
                ngettext("%(num)s student enrolment", "%(num)s student enrolments", n.students),
            ),
            (n.assignments, ngettext("%(num)s assignment", "%(num)s assignments", n.assignments)),
            (
                n.attempts,
                ngettext(
                    "%(num)s attempt (and its results)",
                    "%(num)s attempts (and their results)",
                    n.attempts,
                ),
            ),
            (n.answers, ngettext("%(num)s saved answer", "%(num)s saved answers", n.answers)),
            (n.versions, ngettext("%(num)s version", "%(num)s versions", n.versions)),
        )
        return [phrase for count, phrase in phrases if count]


def _count(query: IdQuery) -> int:
    return int(db.session.scalar(query) or 0)


def _attempt_contents(attempts: IdQuery) -> tuple[int, int]:
    """How many attempts the id query finds, and how many answers they hold."""
    ids = attempts.scalar_subquery()
    return (
        _count(sa.select(sa.func.count()).select_from(attempts.subquery())),
        _count(sa.select(sa.func.count(Response.id)).where(Response.attempt_id.in_(ids))),
    )


def _delete_accepted_answers(assignments: IdQuery) -> None:
    ids = list(db.session.scalars(assignments))
    if ids:
        db.session.execute(sa.delete(AcceptedAnswer).where(AcceptedAnswer.assignment_id.in_(ids)))


def _delete_attempts(attempts: IdQuery) -> None:
    # Ids first: SQLite and PostgreSQL alike delete from a list, whatever the query joins.
    ids = list(db.session.scalars(attempts))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.session.execute(sa.delete(Response).where(Response.attempt_id.in_(chunk)))
        db.session.execute(sa.delete(Regrade).where(Regrade.attempt_id.in_(chunk)))
        db.session.execute(sa.delete(Attempt).where(Attempt.id.in_(chunk)))


# Classes.


def change_class(classroom: Classroom, name: str, time_zone: str) -> None:
    """Rename a class or move it to another time zone (stored times stay the same instants)."""
    zone = check_time_zone(time_zone)
    with write_transaction():
        classroom.name = name.strip()
        classroom.time_zone = zone


def archive_class(classroom: Classroom, archived: bool) -> None:
    """Put a class away (its students no longer see it, nobody can join it) or bring it back."""
    with write_transaction():
        classroom.archived_at = utcnow() if archived else None


def _class_attempts(classroom: Classroom) -> IdQuery:
    return (
        sa.select(Attempt.id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(Assignment.classroom_id == classroom.id)
    )


def class_contents(classroom: Classroom) -> Contents:
    """What deleting the class would delete."""
    attempts, answers = _attempt_contents(_class_attempts(classroom))
    return Contents(
        students=_count(
            sa.select(sa.func.count(Enrollment.id)).where(Enrollment.classroom_id == classroom.id)
        ),
        assignments=_count(
            sa.select(sa.func.count(Assignment.id)).where(Assignment.classroom_id == classroom.id)
        ),
        attempts=attempts,
        answers=answers,
    )


def delete_class(classroom: Classroom) -> None:
    """Delete a class with its enrolments, assignments, attempts and answers (the students'
    accounts stay)."""
    with write_transaction():
        _delete_attempts(_class_attempts(classroom))
        _delete_accepted_answers(
            sa.select(Assignment.id).where(Assignment.classroom_id == classroom.id)
        )
        db.session.execute(sa.delete(Assignment).where(Assignment.classroom_id == classroom.id))
        db.session.execute(sa.delete(Enrollment).where(Enrollment.classroom_id == classroom.id))
        db.session.execute(sa.delete(ClassRemoval).where(ClassRemoval.classroom_id == classroom.id))
        db.session.delete(classroom)


# Assignments.


def archive_assignment(assignment: Assignment, archived: bool) -> None:
    """Put an assignment away (students no longer see or start it) or bring it back."""
    with write_transaction():
        assignment.archived_at = utcnow() if archived else None


def _assignment_attempts(assignment: Assignment) -> IdQuery:
    return sa.select(Attempt.id).where(Attempt.assignment_id == assignment.id)


def assignment_contents(assignment: Assignment) -> Contents:
    """What deleting the assignment would delete."""
    attempts, answers = _attempt_contents(_assignment_attempts(assignment))
    return Contents(attempts=attempts, answers=answers)


def delete_assignment(assignment: Assignment) -> None:
    """Delete an assignment with its attempts and answers."""
    with write_transaction():
        _delete_attempts(_assignment_attempts(assignment))
        db.session.execute(
            sa.delete(AcceptedAnswer).where(AcceptedAnswer.assignment_id == assignment.id)
        )
        db.session.delete(assignment)


# The teacher's own question sets (shipped sets are read-only: access never hands them out here).


def rename_set(question_set: QuestionSet, name: str) -> None:
    """Give a set the teacher's own name; an empty name goes back to the newest version's title."""
    with write_transaction():
        question_set.name = name.strip() or None


def archive_set(question_set: QuestionSet, archived: bool) -> None:
    """Stop offering a set for new assignments (its assignments go on), or offer it again."""
    with write_transaction():
        question_set.archived_at = utcnow() if archived else None


def _set_versions(question_set: QuestionSet) -> IdQuery:
    return sa.select(QuestionSetVersion.id).where(
        QuestionSetVersion.question_set_id == question_set.id
    )


def _set_assignments(question_set: QuestionSet) -> IdQuery:
    return sa.select(Assignment.id).where(
        Assignment.version_id.in_(_set_versions(question_set).scalar_subquery())
    )


def _set_attempts(question_set: QuestionSet) -> IdQuery:
    return sa.select(Attempt.id).where(
        Attempt.version_id.in_(_set_versions(question_set).scalar_subquery())
    )


def set_contents(question_set: QuestionSet) -> Contents:
    """What deleting the set would delete."""
    attempts, answers = _attempt_contents(_set_attempts(question_set))
    return Contents(
        versions=_count(
            sa.select(sa.func.count()).select_from(_set_versions(question_set).subquery())
        ),
        assignments=_count(
            sa.select(sa.func.count()).select_from(_set_assignments(question_set).subquery())
        ),
        attempts=attempts,
        answers=answers,
    )


def delete_set(question_set: QuestionSet) -> None:
    """Delete a set with every version, source text, assignment of it, attempt and answer."""
    versions = list(db.session.scalars(_set_versions(question_set)))
    with write_transaction():
        _delete_attempts(_set_attempts(question_set))
        _delete_accepted_answers(
            sa.select(Assignment.id).where(Assignment.version_id.in_(versions))
        )
        db.session.execute(sa.delete(Assignment).where(Assignment.version_id.in_(versions)))
        db.session.execute(sa.delete(SourceText).where(SourceText.version_id.in_(versions)))
        # A draft of the set's next version keeps what was typed: it becomes a new set's draft.
        db.session.execute(
            sa.update(DraftSet)
            .where(DraftSet.based_on_version_id.in_(versions))
            .values(based_on_version_id=None)
        )
        db.session.execute(sa.delete(QuestionSetVersion).where(QuestionSetVersion.id.in_(versions)))
        db.session.delete(question_set)
