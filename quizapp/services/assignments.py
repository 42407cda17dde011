"""Assignments: setting them, and what students see of them. The rules of attempting them
live with the attempts (services.attempts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.i18n import gettext, ngettext
from ..domain.limits import REPEATED_PRESS
from ..extensions import db
from ..models import (
    Assignment,
    Attempt,
    Classroom,
    Counting,
    Enrollment,
    Mode,
    QuestionSetVersion,
    ResultsRelease,
    User,
)
from ..models.types import utcnow
from . import access


@dataclass(frozen=True)
class AssignmentSettings:
    """What a teacher chooses when assigning a set to a class (None: no limit)."""

    title: str
    version_id: int
    mode: Mode = Mode.TEST
    results_release: ResultsRelease = ResultsRelease.ON_SUBMIT
    question_count: int | None = None
    balance_categories: bool = False
    time_limit_minutes: int | None = None
    attempts_allowed: int | None = None
    counting: Counting = Counting.BEST
    opens_at: datetime | None = None
    closes_at: datetime | None = None


@dataclass(frozen=True)
class SettingsProblem:
    """A setting that breaks a rule: which one (the AssignmentSettings field) and why."""

    setting: str
    message: str


class AssignmentError(ValueError):
    """Settings that cannot be saved; ``problems`` says which and why."""

    def __init__(self, problems: list[SettingsProblem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def settings_problems(settings: AssignmentSettings) -> list[SettingsProblem]:
    """The rules that tie the dates and the release together, broken by ``settings``."""
    problems = []
    opens, closes = settings.opens_at, settings.closes_at
    if opens and closes and closes <= opens:
        problems.append(
            SettingsProblem("closes_at", gettext("The close date must be after the open date."))
        )
    if (
        not closes
        and settings.mode == Mode.TEST
        and settings.results_release == ResultsRelease.AFTER_CLOSE
    ):
        problems.append(
            SettingsProblem(
                "closes_at", gettext("Set a close date to release the results after it.")
            )
        )
    return problems


def _not_assignable() -> SettingsProblem:
    return SettingsProblem("version_id", gettext("Choose one of the question sets listed."))


def _draw_problems(
    version: QuestionSetVersion, settings: AssignmentSettings
) -> list[SettingsProblem]:
    """A draw of more questions than the version has, which no attempt could show."""
    count, every = settings.question_count, version.item_total
    if count is None or count <= every:
        return []
    message = ngettext(
        "This set has %(num)s question. Leave the number empty to give it.",
        "This set has %(num)s questions. Leave the number empty to give all of them, or choose"
        " %(num)s or fewer.",
        every,
    )
    return [SettingsProblem("question_count", message)]


@dataclass(frozen=True)
class StudentAssignment:
    """An assignment as it appears on a student's quiz list."""

    assignment: Assignment
    attempts_used: int
    unfinished_attempt_id: int | None
    is_open: bool

    @property
    def attempts_left(self) -> int | None:
        """How many more attempts may start (None: unlimited)."""
        allowed = self.assignment.attempts_allowed
        return None if allowed is None else max(0, allowed - self.attempts_used)


@dataclass(frozen=True)
class CreatedAssignment:
    """An assignment just created, as its creator's next step needs it (no live row)."""

    id: int
    title: str
    classroom_id: int
    version_id: int


def create_assignment(
    teacher: User, classroom: Classroom, settings: AssignmentSettings, *, pressed: bool = False
) -> CreatedAssignment:
    """Assign a version the teacher may use to one of their classes; AssignmentError if not.
    ``pressed``: the teacher's Create button, which a double click sends twice; the same
    assignment pressed again within REPEATED_PRESS is the one the first press made."""
    if access.own_class(teacher, classroom.id) is None:
        raise AssignmentError([SettingsProblem("classroom", gettext("That class is not yours."))])
    problems = settings_problems(settings)
    # An archived set goes on in its assignments, but is given in no new one.
    version = access.assignable_version(teacher, settings.version_id)
    if version is None:
        problems.insert(0, _not_assignable())
    else:
        problems += _draw_problems(version, settings)
    if problems:
        raise AssignmentError(problems)
    with write_transaction():
        assignment = _made_by_the_same_press(classroom, settings) if pressed else None
        if assignment is None:
            assignment = Assignment(classroom_id=classroom.id, **_columns(settings))
            db.session.add(assignment)
    return CreatedAssignment(
        assignment.id, assignment.title, assignment.classroom_id, assignment.version_id
    )


def _made_by_the_same_press(
    classroom: Classroom, settings: AssignmentSettings
) -> Assignment | None:
    # Two presses at once are ordered by the class's row lock (SQLite's write lock too), so the
    # second finds the assignment the first made.
    db.session.execute(
        sa.select(Classroom.id).where(Classroom.id == classroom.id).with_for_update()
    )
    return db.session.scalar(
        sa.select(Assignment)
        .where(
            Assignment.classroom_id == classroom.id,
            Assignment.version_id == settings.version_id,
            Assignment.title == settings.title.strip(),
            Assignment.archived_at.is_(None),
            Assignment.created_at >= utcnow() - REPEATED_PRESS,
        )
        .order_by(Assignment.id.desc())
        .limit(1)
    )


def update_assignment(teacher: User, assignment: Assignment, settings: AssignmentSettings) -> None:
    """Change an assignment's settings, or switch it to another version of its set.

    AssignmentError when the rules are broken or the version is not one of the same set.
    """
    if access.own_class(teacher, assignment.classroom_id) is None:
        raise AssignmentError(
            [SettingsProblem("classroom", gettext("That assignment is not yours."))]
        )
    problems = settings_problems(settings)
    version = access.visible_version(teacher, settings.version_id)
    if version is None or version.question_set_id != assignment.version.question_set_id:
        problems.insert(0, _not_assignable())
    elif (settings.question_count, settings.version_id) != (
        assignment.question_count,
        assignment.version_id,
    ):
        # A draw saved before the rule stays as it was (its card says what attempts show):
        # a teacher moving a due date must not be refused over a field they did not touch.
        problems += _draw_problems(version, settings)
    if problems:
        raise AssignmentError(problems)
    with write_transaction():
        for name, value in _columns(settings).items():
            setattr(assignment, name, value)


def _columns(settings: AssignmentSettings) -> dict[str, object]:
    return {
        "title": settings.title.strip(),
        "version_id": settings.version_id,
        "mode": settings.mode,
        "results_release": settings.results_release,
        "question_count": settings.question_count,
        "balance_categories": settings.balance_categories,
        "time_limit_minutes": settings.time_limit_minutes,
        "attempts_allowed": settings.attempts_allowed,
        "counting": settings.counting,
        "opens_at": settings.opens_at,
        "closes_at": settings.closes_at,
    }


def class_assignments(classroom: Classroom) -> list[Assignment]:
    """A class's assignments, newest first."""
    return list(
        db.session.scalars(
            sa.select(Assignment)
            .where(Assignment.classroom_id == classroom.id)
            # The set too: the class page names it as its owner renamed it.
            .options(
                sa.orm.joinedload(Assignment.version).joinedload(QuestionSetVersion.question_set)
            )
            .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        )
    )


def student_assignments(student: User, now: datetime | None = None) -> list[StudentAssignment]:
    """The assignments of the student's classes that are open or were ever started."""
    now = now or utcnow()
    assignments = list(
        db.session.scalars(
            sa.select(Assignment)
            .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
            .join(Classroom, Classroom.id == Assignment.classroom_id)
            .where(
                Enrollment.student_id == student.id,
                # Archived by the teacher: gone from the list (the history keeps the attempts).
                Assignment.archived_at.is_(None),
                Classroom.archived_at.is_(None),
            )
            .options(sa.orm.joinedload(Assignment.classroom), sa.orm.joinedload(Assignment.version))
            .order_by(sa.func.coalesce(Assignment.closes_at, Assignment.created_at), Assignment.id)
        )
    )
    usage = db.session.execute(
        sa.select(
            Attempt.assignment_id,
            sa.func.count(Attempt.id),
            sa.func.max(sa.case((Attempt.submitted_at.is_(None), Attempt.id))),
        )
        .where(Attempt.user_id == student.id, Attempt.assignment_id.is_not(None))
        .group_by(Attempt.assignment_id)
    ).all()
    used = {assignment_id: (count, unfinished) for assignment_id, count, unfinished in usage}
    cards = []
    for assignment in assignments:
        count, unfinished = used.get(assignment.id, (0, None))
        card = StudentAssignment(assignment, count, unfinished, assignment.is_open(now))
        if card.is_open or count:
            cards.append(card)
    return cards
