"""Assignments: setting them, the rules of attempting them, and what students see."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.selection import draw_questions
from ..extensions import db
from ..models import (
    AFTER_CLOSE,
    PRACTICE,
    TEST,
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
from .question_sets import version_questions

#: Answers that arrive this long after a timed attempt's deadline are still accepted, so a
#: student who pressed Save at the last second is not punished for network latency.
GRACE = timedelta(seconds=30)


class AttemptRefused(Exception):
    """A student may not start (or continue) an attempt now; the message says why."""


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
        problems.append(SettingsProblem("closes_at", "The close date must be after the open date."))
    if (
        not closes
        and settings.mode == Mode.TEST
        and settings.results_release == ResultsRelease.AFTER_CLOSE
    ):
        problems.append(
            SettingsProblem("closes_at", "Set a close date to release the results after it.")
        )
    return problems


_NOT_ASSIGNABLE = SettingsProblem("version_id", "Choose one of the question sets listed.")


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


def create_assignment(
    teacher: User, classroom: Classroom, settings: AssignmentSettings
) -> Assignment:
    """Assign a version the teacher may use to one of their classes; AssignmentError if not."""
    if classroom.teacher_id != teacher.id:
        raise AssignmentError([SettingsProblem("classroom", "That class is not yours.")])
    problems = settings_problems(settings)
    # An archived set goes on in its assignments, but is given in no new one.
    if access.assignable_version(teacher, settings.version_id) is None:
        problems.insert(0, _NOT_ASSIGNABLE)
    if problems:
        raise AssignmentError(problems)
    with write_transaction():
        assignment = Assignment(classroom_id=classroom.id, **_columns(settings))
        db.session.add(assignment)
    return assignment


def update_assignment(teacher: User, assignment: Assignment, settings: AssignmentSettings) -> None:
    """Change an assignment's settings, or switch it to another version of its set.

    AssignmentError when the rules are broken or the version is not one of the same set.
    """
    if assignment.classroom.teacher_id != teacher.id:
        raise AssignmentError([SettingsProblem("classroom", "That assignment is not yours.")])
    problems = settings_problems(settings)
    version = access.visible_version(teacher, settings.version_id)
    if version is None or version.question_set_id != assignment.version.question_set_id:
        problems.insert(0, _NOT_ASSIGNABLE)
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


def start_assignment_attempt(
    student: User, assignment: Assignment, now: datetime | None = None
) -> Attempt:
    """Resume the student's unfinished attempt, or start a new one if the rules allow it."""
    now = now or utcnow()
    if assignment.archived_at is not None or assignment.classroom.archived_at is not None:
        raise AttemptRefused("Your teacher has archived this assignment; it can no longer start.")
    with write_transaction():
        # Two starts at once (a double click) must not make two attempts or overrun the
        # attempt limit: the student's row lock orders them (SQLite's write lock does too).
        db.session.execute(sa.select(User.id).where(User.id == student.id).with_for_update())
        unfinished: Attempt | None = db.session.scalar(
            sa.select(Attempt)
            .where(
                Attempt.user_id == student.id,
                Attempt.assignment_id == assignment.id,
                Attempt.submitted_at.is_(None),
            )
            .order_by(Attempt.id.desc())
            .limit(1)
        )
        if unfinished is not None and not is_expired(unfinished, now):
            return unfinished
        _check_may_start(student, assignment, now)
        return _new_attempt(student, assignment, now)


def _check_may_start(student: User, assignment: Assignment, now: datetime) -> None:
    if assignment.opens_at is not None and now < assignment.opens_at:
        raise AttemptRefused("This assignment has not opened yet.")
    if assignment.closes_at is not None and now >= assignment.closes_at:
        raise AttemptRefused("This assignment is closed; attempts can no longer start.")
    if assignment.attempts_allowed is not None:
        used = db.session.scalar(
            sa.select(sa.func.count(Attempt.id)).where(
                Attempt.user_id == student.id, Attempt.assignment_id == assignment.id
            )
        )
        if (used or 0) >= assignment.attempts_allowed:
            raise AttemptRefused("You have used all the attempts this assignment allows.")


def _new_attempt(student: User, assignment: Assignment, now: datetime) -> Attempt:
    version: QuestionSetVersion = assignment.version
    questions = version_questions(version)
    seed = secrets.randbelow(2**31)
    chosen = draw_questions(
        list(questions.values()), seed, assignment.question_count, assignment.balance_categories
    )
    deadlines = [d for d in (assignment.closes_at,) if d is not None]
    if assignment.time_limit_minutes:
        deadlines.append(now + timedelta(minutes=assignment.time_limit_minutes))
    attempt = Attempt(
        user_id=student.id,
        version_id=version.id,
        assignment_id=assignment.id,
        seed=seed,
        question_ids=chosen,
        max_score=float(sum(questions[qid].points for qid in chosen)),
        started_at=now,
        deadline_at=min(deadlines) if deadlines else None,
    )
    db.session.add(attempt)
    return attempt


def is_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether an open attempt is past its deadline and grace period."""
    if attempt.deadline_at is None or attempt.is_submitted:
        return False
    return (now or utcnow()) > attempt.deadline_at + GRACE


# Built once: the check runs before every student page (when the deadline loaded with the
# signed-in user says it may find something).
_EXPIRED_ATTEMPTS = sa.select(Attempt).where(
    Attempt.user_id == sa.bindparam("user_id"),
    Attempt.submitted_at.is_(None),
    Attempt.deadline_at.is_not(None),
    Attempt.deadline_at < sa.bindparam("expired_before", type_=Attempt.deadline_at.type),
)
#: The earliest deadline of the open attempts of the user in the enclosing query.
EARLIEST_OPEN_DEADLINE = (
    sa.select(sa.func.min(Attempt.deadline_at))
    .where(Attempt.user_id == User.id, Attempt.submitted_at.is_(None))
    .scalar_subquery()
)


def expired_attempts(student: User, now: datetime | None = None) -> list[Attempt]:
    """The student's open attempts whose time ran out."""
    now = now or utcnow()
    if student.deadline_loaded and (
        student.open_deadline is None or now <= student.open_deadline + GRACE
    ):
        return []  # known from the query that loaded the signed-in user
    parameters = {"user_id": student.id, "expired_before": now - GRACE}
    return list(db.session.scalars(_EXPIRED_ATTEMPTS, parameters))


def is_practice(attempt: Attempt) -> bool:
    """Whether the attempt shows right or wrong after each answer."""
    return attempt.assignment is not None and attempt.assignment.mode == PRACTICE


def results_available_at(attempt: Attempt) -> datetime | None:
    """When a submitted attempt's results may be shown (None: now)."""
    assignment = attempt.assignment
    if (
        assignment is not None
        and assignment.mode == TEST
        and assignment.results_release == AFTER_CLOSE
    ):
        return assignment.closes_at
    return None


def results_visible(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the student may see the graded answers now."""
    available = results_available_at(attempt)
    return attempt.is_submitted and (available is None or (now or utcnow()) >= available)
