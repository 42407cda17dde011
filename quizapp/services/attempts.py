"""Taking a quiz: starting, saving answers, submitting once, and reading the results."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..database import insert_or_update, returning_written_rows, write_transaction, wrote_a_row
from ..domain.grading import Grade, answer_key, clean_response, grade_response
from ..domain.model import (
    MATCHING,
    MULTIPLE_CHOICE,
    ORDERING,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Question,
)
from ..domain.model import Response as Answer
from ..domain.shuffling import seeded_shuffle
from ..extensions import db
from ..models import Assignment, Attempt, QuestionSetVersion, Response, User
from ..models.types import utcnow
from .assignments import expired_attempts, is_expired, is_practice, results_visible
from .question_sets import (
    latest_version_of,
    latest_versions,
    source_titles,
    version_questions,
)


class AttemptClosed(Exception):
    """The attempt was already submitted, so its answers can no longer change."""


class TimeUp(AttemptClosed):
    """The attempt's time ran out; it has been submitted with the answers saved in time."""


class AnswerLocked(Exception):
    """In practice mode an answer is final once its feedback has been shown."""


@dataclass(frozen=True)
class QuizCard:
    """One set on a student's quiz list."""

    version: QuestionSetVersion
    slug: str
    best_percent: float | None
    unfinished_attempt_id: int | None


@dataclass(frozen=True)
class PresentedQuestion:
    """A question as one attempt shows it: options in the attempt's own order."""

    number: int
    total: int
    question: Question
    options: list[str] = field(default_factory=list)
    #: matching: the left items; ordering: the items in shuffled order.
    prompts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QuestionPage:
    """What the question page shows: the question, what is answered, and the sources."""

    shown: PresentedQuestion
    saved: dict[str, Answer]
    sources: tuple[tuple[str, str], ...]
    #: Practice mode, once the answer is checked: the grade, the key and the explanation.
    feedback: ResultItem | None = None


@dataclass(frozen=True)
class ResultItem:
    """One graded question on the results page."""

    number: int
    question: Question
    answer: Answer
    grade: Grade
    key: Answer


def quiz_cards(user: User) -> list[QuizCard]:
    """Every available set with the user's best score and any attempt left unfinished."""
    versions = latest_versions(shipped_only=True)
    best = dict(
        db.session.execute(
            sa.select(
                QuestionSetVersion.question_set_id,
                sa.func.max(Attempt.score * 100.0 / Attempt.max_score),
            )
            .join(Attempt.version)
            .where(
                Attempt.user_id == user.id,
                # The cards are free practice: an assignment's attempts are not practice, and a
                # test's score may not even be released yet.
                Attempt.assignment_id.is_(None),
                Attempt.submitted_at.is_not(None),
                Attempt.max_score > 0,
            )
            .group_by(QuestionSetVersion.question_set_id)
        ).all()
    )
    unfinished = dict(
        db.session.execute(
            sa.select(QuestionSetVersion.question_set_id, sa.func.max(Attempt.id))
            .join(Attempt.version)
            .where(
                Attempt.user_id == user.id,
                Attempt.assignment_id.is_(None),
                Attempt.submitted_at.is_(None),
            )
            .group_by(QuestionSetVersion.question_set_id)
        ).all()
    )
    return [
        QuizCard(
            version=v,
            slug=v.question_set.slug,
            best_percent=best.get(v.question_set_id),
            unfinished_attempt_id=unfinished.get(v.question_set_id),
        )
        for v in versions
    ]


def start_attempt(user: User, slug: str) -> Attempt | None:
    """Resume the user's unfinished practice at a shipped set, or start it on its newest version."""
    version = latest_version_of(slug, shipped_only=True)
    if version is None:
        return None
    with write_transaction():
        # Two starts at once (a double click) must not make two attempts: the student's row
        # lock orders them on PostgreSQL, as SQLite's write lock does.
        db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
        unfinished: Attempt | None = db.session.scalar(
            sa.select(Attempt)
            .join(Attempt.version)
            .where(
                Attempt.user_id == user.id,
                Attempt.assignment_id.is_(None),
                Attempt.submitted_at.is_(None),
                QuestionSetVersion.question_set_id == version.question_set_id,
            )
            .order_by(Attempt.id.desc())
            .limit(1)
        )
        if unfinished is not None:
            return unfinished
        seed = secrets.randbelow(2**31)
        questions = version_questions(version)
        attempt = Attempt(
            user_id=user.id,
            version_id=version.id,
            seed=seed,
            question_ids=seeded_shuffle(list(questions), seed, "questions"),
            max_score=float(version.total_points),
        )
        db.session.add(attempt)
    return attempt


def present_question(attempt: Attempt, number: int) -> PresentedQuestion | None:
    """Question ``number`` (1-based) of the attempt, with options in the attempt's order."""
    if not 1 <= number <= len(attempt.question_ids):
        return None
    question = version_questions(attempt.version)[attempt.question_ids[number - 1]]
    options: list[str] = []
    prompts: list[str] = []
    if question.type in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        options = _maybe_shuffled(question, list(question.choices), attempt.seed)
    elif question.type == MATCHING:
        prompts = [left for left, _ in question.pairs]
        options = _maybe_shuffled(question, [right for _, right in question.pairs], attempt.seed)
    elif question.type == ORDERING:
        prompts = _unsolved_order(question, attempt.seed)
    return PresentedQuestion(number, len(attempt.question_ids), question, options, prompts)


def question_page(attempt: Attempt, shown: PresentedQuestion) -> QuestionPage:
    """A presented question with the answers saved so far and the sources to read."""
    feedback = practice_feedback(attempt, shown.question) if is_practice(attempt) else None
    return QuestionPage(shown, saved_answers(attempt), source_titles(attempt.version), feedback)


def _maybe_shuffled(question: Question, options: list[str], seed: int) -> list[str]:
    return seeded_shuffle(options, seed, question.id) if question.shuffle else options


def _unsolved_order(question: Question, seed: int) -> list[str]:
    """Ordering items are always shuffled (else the answer shows), and never already solved."""
    items = list(question.items)
    for attempt_number in range(10):
        shuffled = seeded_shuffle(items, seed, f"{question.id}:{attempt_number}")
        if shuffled != items:
            return shuffled
    return items[1:] + items[:1]


# The busiest statements are built once, and those that read plain values name the tables'
# columns, which runs them as Core statements, without the ORM's per-call work.
_RESPONSES = Response.__table__.c
_SAVED_ANSWERS = sa.select(_RESPONSES.question_id, _RESPONSES.answer).where(
    _RESPONSES.attempt_id == sa.bindparam("attempt_id")
)


def saved_answers(attempt: Attempt) -> dict[str, Answer]:
    """The answers saved so far, by question id (unanswered questions are absent)."""
    rows = db.session.execute(_SAVED_ANSWERS, {"attempt_id": attempt.id}).all()
    return {question_id: answer for question_id, answer in rows if answer is not None}


def save_answer(
    attempt: Attempt, question: Question, raw: Any, now: datetime | None = None
) -> Grade | None:
    """Check and store the answer to one question.

    Raises AttemptClosed (or TimeUp, after submitting the attempt), AnswerLocked, or
    InvalidResponse. In practice mode the answer is graded at once and the grade returned.
    """
    if attempt.is_submitted:
        raise AttemptClosed
    if is_expired(attempt, now):
        submit_attempt(attempt)
        raise TimeUp
    if raw is None and question.type in (SINGLE_CHOICE, TRUE_FALSE):
        # A group of radio buttons sends nothing when none is chosen (they cannot be cleared
        # once one is): whatever was saved stays.
        return None
    answer = clean_response(question, raw)
    practice = is_practice(attempt)
    grade = grade_response(question, answer) if practice and answer is not None else None
    # Read before the write transaction, which starts by ending the read one (expiring them).
    attempt_id = attempt.id
    row = {
        "attempt_id": attempt_id,
        "question_id": question.id,
        "answer": answer,
        "saved_at": utcnow(),
        "earned": grade.earned if grade else None,
        "possible": grade.possible if grade else None,
    }
    with write_transaction():
        if _lock_attempt(attempt_id) is not None:
            raise AttemptClosed
        # One statement whether or not the question was answered before, so two saves of the
        # same question at once (a double click) cannot both insert.
        statement = _save_response_statement(practice, db.engine.dialect.name)
        if not wrote_a_row(db.session.execute(statement, row)):
            raise AnswerLocked  # practice: the answer was already checked
    return grade


@functools.cache
def _save_response_statement(practice: bool, dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE of one answer, built once per mode and dialect; in
    practice mode it leaves a graded answer alone (and so changes no row)."""
    table = Response.__table__
    statement = insert_or_update(table, dialect)
    return statement.on_conflict_do_update(
        index_elements=[table.c.attempt_id, table.c.question_id],
        set_={
            name: statement.excluded[name] for name in ("answer", "saved_at", "earned", "possible")
        },
        where=table.c.earned.is_(None) if practice else None,
    ).returning(*returning_written_rows(table, dialect))


# Built once: every save and submission runs it.
_ATTEMPTS = Attempt.__table__.c
_LOCK_ATTEMPT = (
    sa.select(_ATTEMPTS.submitted_at)
    .where(_ATTEMPTS.id == sa.bindparam("attempt_id"))
    .with_for_update()
)


def _lock_attempt(attempt_id: int) -> datetime | None:
    """When the attempt was submitted (None: still open), its row locked until commit.

    The lock makes a save or a second submission wait for a submission under way, then see
    it; on SQLite the write transaction already holds the database's only write lock.
    """
    submitted_at: datetime | None = db.session.scalar(_LOCK_ATTEMPT, {"attempt_id": attempt_id})
    return submitted_at


def practice_feedback(attempt: Attempt, question: Question) -> ResultItem | None:
    """The graded answer to a practice question, once it has been checked."""
    row = db.session.scalar(
        sa.select(Response).where(
            Response.attempt_id == attempt.id, Response.question_id == question.id
        )
    )
    if row is None or row.earned is None or row.possible is None:
        return None
    number = attempt.question_ids.index(question.id) + 1
    grade = Grade(row.earned, row.possible, answered=row.answer is not None)
    return ResultItem(number, question, row.answer, grade, answer_key(question))


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
    .values(earned=sa.bindparam("earned"), possible=sa.bindparam("possible"))
)
_INSERT_RESPONSE = sa.insert(Response.__table__)
_CLOSE_ATTEMPT = (
    sa.update(Attempt.__table__)
    .where(_ATTEMPTS.id == sa.bindparam("attempt_id"), _ATTEMPTS.submitted_at.is_(None))
    .values(submitted_at=sa.bindparam("closed_at"), score=sa.bindparam("total"))
)


def submit_attempt(attempt: Attempt) -> Attempt:
    """Grade and close the attempt. Submitting again changes nothing and returns it as it is.

    The attempt comes back expired: its next use reloads it, submitted.
    """
    if attempt.is_submitted:
        return attempt
    questions = version_questions(attempt.version)
    # Read before the write transaction, which starts by ending the read one (expiring them).
    attempt_id, question_ids = attempt.id, list(attempt.question_ids)
    with write_transaction():
        # Only the first of two simultaneous submissions finds the attempt still open.
        if _lock_attempt(attempt_id) is None:
            saved = {
                question_id: (row_id, answer)
                for row_id, question_id, answer in db.session.execute(
                    _ATTEMPT_RESPONSES, {"attempt_id": attempt_id}
                )
            }
            graded, unanswered, total = [], [], 0.0
            for question_id in question_ids:
                row_id, answer = saved.get(question_id, (None, None))
                grade = grade_response(questions[question_id], answer)
                total += grade.earned
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
                        {"row_id": row_id, "earned": grade.earned, "possible": grade.possible}
                    )
            # Each in one round trip (executemany), whatever the number of questions.
            if graded:
                db.session.execute(_GRADE_RESPONSE, graded)
            if unanswered:
                db.session.execute(_INSERT_RESPONSE, unanswered)
            db.session.execute(
                _CLOSE_ATTEMPT, {"attempt_id": attempt_id, "closed_at": utcnow(), "total": total}
            )
    # The UPDATE went around the session's copy: reload it on next use, also when an outer
    # write transaction will commit later (a commit of our own has expired it already).
    db.session.expire(attempt)
    return attempt


def attempt_results(attempt: Attempt) -> list[ResultItem]:
    """Every question of a submitted attempt with the answer given, its grade and the key."""
    questions = version_questions(attempt.version)
    rows = {
        row.question_id: row
        for row in db.session.scalars(sa.select(Response).where(Response.attempt_id == attempt.id))
    }
    items = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        question = questions[question_id]
        row = rows.get(question_id)
        answer = row.answer if row else None
        if row is not None and row.earned is not None and row.possible is not None:
            # The grade stored at submission stands, whatever later code would say.
            grade = Grade(row.earned, row.possible, answered=answer is not None)
        else:
            grade = grade_response(question, answer)
        items.append(ResultItem(number, question, answer, grade, answer_key(question)))
    return items


@dataclass(frozen=True)
class HistoryRow:
    """One attempt in the student's history, and whether its score may be shown yet."""

    attempt: Attempt
    score_shown: bool


def history(user: User) -> list[HistoryRow]:
    """The user's attempts, newest first; a test's score stays hidden until its release."""
    found = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.user_id == user.id)
        .options(
            sa.orm.joinedload(Attempt.version),
            # Each assigned attempt's times are shown in its class's time zone.
            sa.orm.joinedload(Attempt.assignment).joinedload(Assignment.classroom),
        )
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    return [HistoryRow(attempt, results_visible(attempt)) for attempt in found]
