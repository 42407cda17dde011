"""Changing attempts: starting (free practice or an assignment), saving answers, and
submitting once."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ...database import insert_or_update, returning_written_rows, write_transaction, wrote_a_row
from ...domain.grading import (
    Grade,
    InvalidResponse,
    clean_response,
    grade_attempt,
    grade_response,
    pair_grade,
)
from ...domain.i18n import gettext
from ...domain.limits import QUICK_ROUND_ITEMS
from ...domain.model import Question
from ...domain.model import Response as Answer
from ...domain.question_types import type_of
from ...domain.selection import draw_questions
from ...extensions import db
from ...models import Assignment, Attempt, QuestionSetVersion, Response, User
from ...models.types import utcnow
from .. import lti_scores
from ..question_sets import latest_version_of, version_questions
from ..regrades import with_accepted_answers
from .queries import attempt_questions, expired_attempts, held_set_ids
from .rules import AttemptRefused, AttemptRow, is_expired, is_practice


class AttemptClosed(Exception):
    """The attempt was already submitted, so its answers can no longer change."""


class TimeUp(AttemptClosed):
    """The attempt's time ran out; it has been submitted with the answers saved in time."""


class AnswerRefused(InvalidResponse):
    """One answer of a page was refused; ``question_id`` says which (nothing was saved)."""

    def __init__(self, question_id: str, message: str) -> None:
        super().__init__(message)
        self.question_id = question_id


class AnswerLocked(Exception):
    """In practice mode an answer is final once its feedback has been shown."""


def start_attempt(user: User, slug: str, quick: bool = False) -> Attempt | None:
    """Resume the user's unfinished practice at a shipped set, or start it on its newest version:
    the full set, or with ``quick`` a round of QUICK_ROUND_ITEMS items balanced by category.

    Raises AttemptRefused while the set is a test in one of the student's classes.
    """
    version = latest_version_of(slug, shipped_only=True)
    if version is None:
        return None
    if version.question_set_id in held_set_ids(user):
        raise AttemptRefused(
            gettext(
                "This set is a test in your class, so free practice on it is closed until the "
                "test closes."
            )
        )
    return _start(user, version, None, utcnow(), QUICK_ROUND_ITEMS if quick else None)


def start_assignment_attempt(
    student: User, assignment: Assignment, now: datetime | None = None
) -> Attempt:
    """Resume the student's unfinished attempt, or start a new one if the rules allow it.

    Raises AttemptRefused when the assignment is not open, archived, or its attempts are used
    up.
    """
    if assignment.archived_at is not None or assignment.classroom.archived_at is not None:
        raise AttemptRefused(
            gettext("Your teacher has archived this assignment; it can no longer start.")
        )
    return _start(student, assignment.version, assignment, now or utcnow())


def _start(
    user: User,
    version: QuestionSetVersion,
    assignment: Assignment | None,
    now: datetime,
    quick_round: int | None = None,
) -> Attempt:
    """Resume the unfinished attempt at the same thing, or start one: the one way both begin."""
    questions = version_questions(version)
    with write_transaction():
        # Two starts at once (a double click) must not make two attempts or overrun the
        # attempt limit: the student's row lock orders them (SQLite's write lock does too).
        db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
        unfinished = _unfinished(user, version, assignment)
        if unfinished is not None and not is_expired(unfinished, now):
            return unfinished
        if assignment is not None:
            _check_may_start(user, assignment, now)
        seed = secrets.randbelow(2**31)
        count = assignment.question_count if assignment else quick_round
        balanced = assignment.balance_categories if assignment else quick_round is not None
        chosen = draw_questions(list(questions.values()), seed, count, balanced)
        attempt = Attempt(
            user_id=user.id,
            version_id=version.id,
            assignment_id=assignment.id if assignment else None,
            seed=seed,
            question_ids=chosen,
            max_score=float(sum(questions[qid].points for qid in chosen)),
            started_at=now,
            deadline_at=_deadline(assignment, now),
        )
        db.session.add(attempt)
    return attempt


def _unfinished(
    user: User, version: QuestionSetVersion, assignment: Assignment | None
) -> Attempt | None:
    """The newest open attempt at the assignment, or at free practice of the version's set."""
    statement = sa.select(Attempt).where(Attempt.user_id == user.id, Attempt.submitted_at.is_(None))
    if assignment is not None:
        statement = statement.where(Attempt.assignment_id == assignment.id)
    else:
        statement = statement.join(Attempt.version).where(
            Attempt.assignment_id.is_(None),
            QuestionSetVersion.question_set_id == version.question_set_id,
        )
    found: Attempt | None = db.session.scalar(statement.order_by(Attempt.id.desc()).limit(1))
    return found


def _check_may_start(student: User, assignment: Assignment, now: datetime) -> None:
    if assignment.opens_at is not None and now < assignment.opens_at:
        raise AttemptRefused(gettext("This assignment has not opened yet."))
    if assignment.closes_at is not None and now >= assignment.closes_at:
        raise AttemptRefused(gettext("This assignment is closed; attempts can no longer start."))
    if assignment.attempts_allowed is not None:
        used = db.session.scalar(
            sa.select(sa.func.count(Attempt.id)).where(
                Attempt.user_id == student.id, Attempt.assignment_id == assignment.id
            )
        )
        if (used or 0) >= assignment.attempts_allowed:
            raise AttemptRefused(gettext("You have used all the attempts this assignment allows."))


def _deadline(assignment: Assignment | None, now: datetime) -> datetime | None:
    """The earlier of the close date and the end of the time limit (None: untimed)."""
    if assignment is None:
        return None
    deadlines = [d for d in (assignment.closes_at,) if d is not None]
    if assignment.time_limit_minutes:
        deadlines.append(now + timedelta(minutes=assignment.time_limit_minutes))
    return min(deadlines) if deadlines else None


def save_answers(
    attempt: Attempt | AttemptRow, answers: list[tuple[Question, Any]], now: datetime | None = None
) -> Grade | None:
    """Check every answer of one page (a Part A and its Part B), then save them in one
    transaction; an invalid one saves none. In practice mode the grade of the last is returned,
    a Part B's under its Part A's rule.

    Raises AnswerRefused before anything is saved, AttemptClosed (or TimeUp, after submitting
    the attempt), or AnswerLocked (the answers before the locked one stay saved).
    """
    cleaned: list[tuple[Question, Answer]] = []
    for question, raw in answers:
        if raw is None and type_of(question).form in ("one", "truth"):
            # A group of radio buttons sends nothing when none is chosen (they cannot be cleared
            # once one is): whatever was saved stays.
            continue
        try:
            cleaned.append((question, clean_response(question, raw)))
        except InvalidResponse as error:  # before anything is saved
            raise AnswerRefused(question.id, str(error)) from error
    if attempt.is_submitted:
        raise AttemptClosed
    if is_expired(attempt, now):
        submit_attempt(attempt)
        raise TimeUp
    practice = is_practice(attempt)
    grades: dict[str, Grade | None] = {}
    rows = []
    saved_at = utcnow()
    for question, answer in cleaned:
        grade = grade_response(question, answer) if practice and answer is not None else None
        part_a = grades.get(question.part_of) if question.part_of else None
        if grade is not None and part_a is not None:
            grade = pair_grade(question, grade, part_a)
        grades[question.id] = grade
        rows.append(
            {
                "attempt_id": attempt.id,
                "question_id": question.id,
                "answer": answer,
                "saved_at": saved_at,
                "earned": grade.earned if grade else None,
                "possible": grade.possible if grade else None,
            }
        )
    if rows:
        _write_answers(rows, practice)
    return grades.get(answers[-1][0].id)


def save_answer(
    attempt: Attempt | AttemptRow, question: Question, raw: Any, now: datetime | None = None
) -> Grade | None:
    """Check and store the answer to one question.

    Raises AttemptClosed (or TimeUp, after submitting the attempt), AnswerLocked, or
    InvalidResponse. In practice mode the answer is graded at once and the grade returned.
    """
    return save_answers(attempt, [(question, raw)], now)


def _write_answers(rows: list[dict[str, Any]], practice: bool) -> None:
    """Store each answer with one statement that also checks the attempt is still open.

    Raises AttemptClosed or AnswerLocked for the first answer not written; those before it
    are committed, as each answer was saved on its own before.
    """
    refused: Exception | None = None
    with write_transaction():
        # One statement whether or not the question was answered before, so two saves of the
        # same question at once (a double click) cannot both insert.
        statement = _save_response_statement(practice, db.engine.dialect.name)
        for row in rows:
            if not wrote_a_row(db.session.execute(statement, row)):
                # Rare: find out why nothing was written.
                closed = _lock_attempt(row["attempt_id"]) is not None
                refused = AttemptClosed() if closed else AnswerLocked()
                break
    if refused is not None:
        raise refused


@functools.cache
def _save_response_statement(practice: bool, dialect: str) -> Any:
    """INSERT ... SELECT ... ON CONFLICT DO UPDATE of one answer, built once per mode and
    dialect. The SELECT gives the row only while the attempt is open, its row locked until
    commit (a save waits for a submission under way, then sees it; on SQLite the write
    transaction holds the database's only write lock). In practice mode the update leaves a
    graded answer alone. Either way nothing written means the answer was not saved."""
    table = Response.__table__
    attempt_id = sa.bindparam("attempt_id", type_=table.c.attempt_id.type)
    names = ("question_id", "answer", "saved_at", "earned", "possible")
    answer = sa.select(
        attempt_id, *(sa.bindparam(name, type_=table.c[name].type) for name in names)
    ).where(_ATTEMPTS.id == attempt_id, _ATTEMPTS.submitted_at.is_(None))
    if dialect == "postgresql":
        answer = answer.with_for_update(of=Attempt.__table__)
    statement = insert_or_update(table, dialect).from_select(["attempt_id", *names], answer)
    return statement.on_conflict_do_update(
        index_elements=[table.c.attempt_id, table.c.question_id],
        set_={
            name: statement.excluded[name] for name in ("answer", "saved_at", "earned", "possible")
        },
        where=table.c.earned.is_(None) if practice else None,
    ).returning(*returning_written_rows(table, dialect))


# Built once: every save and submission runs it.
_ATTEMPTS = Attempt.__table__.c
_RESPONSES = Response.__table__.c
_LOCK_ATTEMPT = (
    sa.select(_ATTEMPTS.submitted_at)
    .where(_ATTEMPTS.id == sa.bindparam("attempt_id"))
    .with_for_update()
)


def _lock_attempt(attempt_id: int) -> datetime | None:
    """When the attempt was submitted (None: still open), its row locked until commit.

    The lock makes a second submission wait for a submission under way, then see it; on
    SQLite the write transaction already holds the database's only write lock.
    """
    submitted_at: datetime | None = db.session.scalar(_LOCK_ATTEMPT, {"attempt_id": attempt_id})
    return submitted_at


def submit_expired(user: User, now: datetime | None = None) -> int:
    """Submit the user's attempts whose time ran out; return how many."""
    expired = expired_attempts(user, now)
    for attempt in expired:
        submit_attempt(attempt)
    return len(expired)


_ATTEMPT_RESPONSES = sa.select(_RESPONSES.id, _RESPONSES.question_id, _RESPONSES.answer).where(
    _RESPONSES.attempt_id == sa.bindparam("attempt_id")
)
_GRADE_RESPONSE = (
    sa.update(Response.__table__)
    .where(_RESPONSES.id == sa.bindparam("row_id"))
    .values(
        earned=sa.bindparam("earned"),
        possible=sa.bindparam("possible"),
        pending=sa.bindparam("pending"),
    )
)
_INSERT_RESPONSE = sa.insert(Response.__table__)
_CLOSE_ATTEMPT = (
    sa.update(Attempt.__table__)
    .where(_ATTEMPTS.id == sa.bindparam("attempt_id"), _ATTEMPTS.submitted_at.is_(None))
    .values(
        submitted_at=sa.bindparam("closed_at"),
        score=sa.bindparam("total"),
        pending_points=sa.bindparam("pending_points"),
    )
)


def submit_attempt(attempt: Attempt | AttemptRow) -> Attempt | AttemptRow:
    """Grade and close the attempt. Submitting again changes nothing and returns it as it is.

    An attempt object comes back expired: its next use reloads it, submitted. A row comes back
    as it was read.
    """
    if attempt.is_submitted:
        return attempt
    # Answers the teacher accepted for the assignment are right for later attempts too.
    questions = with_accepted_answers(attempt_questions(attempt), attempt.assignment_id)
    # Read before the write transaction, which starts by ending the read one (expiring them).
    attempt_id, question_ids = attempt.id, list(attempt.question_ids)
    assignment_id, user_id = attempt.assignment_id, attempt.user_id
    with write_transaction():
        saved = _open_attempt_answers(attempt_id)
        # Only the first of two simultaneous submissions finds the attempt still open.
        if saved is not None:
            graded, unanswered, total, pending = [], [], 0.0, 0.0
            grades = grade_attempt(
                questions, {qid: answer for qid, (_, answer) in saved.items()}, question_ids
            )
            for question_id in question_ids:
                row_id = saved.get(question_id, (None, None))[0]
                grade = grades[question_id]
                total += grade.earned
                pending += grade.possible if grade.pending else 0.0
                if row_id is None:
                    unanswered.append(
                        {
                            "attempt_id": attempt_id,
                            "question_id": question_id,
                            "answer": None,
                            "earned": grade.earned,
                            "possible": grade.possible,
                        }
                    )
                else:
                    graded.append(
                        {
                            "row_id": row_id,
                            "earned": grade.earned,
                            "possible": grade.possible,
                            "pending": grade.pending,
                        }
                    )
            # Each in one round trip (executemany), whatever the number of questions.
            if graded:
                db.session.execute(_GRADE_RESPONSE, graded)
            if unanswered:
                db.session.execute(_INSERT_RESPONSE, unanswered)
            db.session.execute(
                _CLOSE_ATTEMPT,
                {
                    "attempt_id": attempt_id,
                    "closed_at": utcnow(),
                    "total": total,
                    "pending_points": pending,
                },
            )
            # In the same transaction: a score stored is a score the LMS will get.
            lti_scores.queue_counted_score(assignment_id, user_id)
    if isinstance(attempt, Attempt):
        # The UPDATE went around the session's copy: reload it on next use, also when an outer
        # write transaction will commit later (a commit of our own has expired it already).
        db.session.expire(attempt)
    return attempt


#: SQLite: whether the attempt is open and its saved answers, in one statement (the write
#: transaction holds the database's only write lock, so nothing changes between the two).
_OPEN_ATTEMPT_ANSWERS = (
    sa.select(_ATTEMPTS.submitted_at, _RESPONSES.id, _RESPONSES.question_id, _RESPONSES.answer)
    .select_from(
        Attempt.__table__.outerjoin(Response.__table__, _RESPONSES.attempt_id == _ATTEMPTS.id)
    )
    .where(_ATTEMPTS.id == sa.bindparam("attempt_id"))
)


def _open_attempt_answers(attempt_id: int) -> dict[str, tuple[int, Answer]] | None:
    """The saved answers of the attempt (row id and answer by question id), or None once it
    is submitted; on PostgreSQL its row locked until commit.

    PostgreSQL needs two statements: a statement that waited for the lock still reads what
    was there when it began, so the answers are read after the lock, by a statement of their
    own, and include an answer whose save the lock waited for.
    """
    if db.engine.dialect.name == "postgresql":
        if _lock_attempt(attempt_id) is not None:
            return None
        rows = db.session.execute(_ATTEMPT_RESPONSES, {"attempt_id": attempt_id})
        return {question_id: (row_id, answer) for row_id, question_id, answer in rows}
    found = db.session.execute(_OPEN_ATTEMPT_ANSWERS, {"attempt_id": attempt_id}).all()
    if not found or found[0].submitted_at is not None:
        return None
    return {
        question_id: (row_id, answer)
        for _, row_id, question_id, answer in found
        if row_id is not None
    }
