"""Taking a quiz: starting, saving answers, submitting once, and reading the results."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..domain.grading import Grade, answer_key, clean_response, grade_response
from ..domain.model import MATCHING, MULTIPLE_CHOICE, ORDERING, SINGLE_CHOICE, Question
from ..domain.model import Response as Answer
from ..domain.shuffling import seeded_shuffle
from ..extensions import db
from ..models import Attempt, QuestionSet, QuestionSetVersion, Response, User
from ..models.types import utcnow
from .question_sets import (
    latest_version_of,
    latest_versions,
    source_titles,
    version_questions,
)


class AttemptClosed(Exception):
    """The attempt was already submitted, so its answers can no longer change."""


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
    sources: list[tuple[str, str]]


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
    versions = latest_versions()
    best = dict(
        db.session.execute(
            sa.select(
                QuestionSetVersion.question_set_id,
                sa.func.max(Attempt.score * 100.0 / Attempt.max_score),
            )
            .join(Attempt.version)
            .where(
                Attempt.user_id == user.id, Attempt.submitted_at.is_not(None), Attempt.max_score > 0
            )
            .group_by(QuestionSetVersion.question_set_id)
        ).all()
    )
    unfinished = dict(
        db.session.execute(
            sa.select(QuestionSetVersion.question_set_id, sa.func.max(Attempt.id))
            .join(Attempt.version)
            .where(Attempt.user_id == user.id, Attempt.submitted_at.is_(None))
            .group_by(QuestionSetVersion.question_set_id)
        ).all()
    )
    slugs = dict(db.session.execute(sa.select(QuestionSet.id, QuestionSet.slug)).all())
    return [
        QuizCard(
            version=v,
            slug=slugs[v.question_set_id],
            best_percent=best.get(v.question_set_id),
            unfinished_attempt_id=unfinished.get(v.question_set_id),
        )
        for v in versions
    ]


def start_attempt(user: User, slug: str) -> Attempt | None:
    """Resume the user's unfinished attempt at this set, or start one on its newest version."""
    version = latest_version_of(slug)
    if version is None:
        return None
    unfinished: Attempt | None = db.session.scalar(
        sa.select(Attempt)
        .join(Attempt.version)
        .where(
            Attempt.user_id == user.id,
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
    db.session.commit()
    return attempt


def attempt_of(user: User, attempt_id: int) -> Attempt | None:
    """The attempt with this id if it belongs to ``user``; None otherwise (even if it exists)."""
    attempt: Attempt | None = db.session.scalar(
        sa.select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user.id)
    )
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


def question_page(attempt: Attempt, number: int) -> QuestionPage | None:
    """Question ``number`` with the answers saved so far and the sources to read."""
    shown = present_question(attempt, number)
    if shown is None:
        return None
    return QuestionPage(shown, saved_answers(attempt), source_titles(attempt.version_id))


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


def saved_answers(attempt: Attempt) -> dict[str, Answer]:
    """The answers saved so far, by question id (unanswered questions are absent)."""
    rows = db.session.execute(
        sa.select(Response.question_id, Response.answer).where(Response.attempt_id == attempt.id)
    ).all()
    return {question_id: answer for question_id, answer in rows if answer is not None}


def save_answer(attempt: Attempt, question: Question, raw: Any) -> None:
    """Check and store the answer to one question; raise AttemptClosed or InvalidResponse."""
    if attempt.is_submitted:
        raise AttemptClosed
    answer = clean_response(question, raw)
    for _ in range(2):
        row = db.session.scalar(
            sa.select(Response).where(
                Response.attempt_id == attempt.id, Response.question_id == question.id
            )
        )
        if row is None:
            db.session.add(Response(attempt_id=attempt.id, question_id=question.id, answer=answer))
        else:
            row.answer = answer
            row.saved_at = utcnow()
        try:
            db.session.commit()
            return
        except sa.exc.IntegrityError:
            # Two saves of the same question raced (a double click); update the row that won.
            db.session.rollback()
    raise AttemptClosed


def submit_attempt(attempt: Attempt) -> Attempt:
    """Grade and close the attempt. Submitting again changes nothing and returns it as it is."""
    if attempt.is_submitted:
        return attempt
    questions = version_questions(attempt.version)
    rows = {
        row.question_id: row
        for row in db.session.scalars(sa.select(Response).where(Response.attempt_id == attempt.id))
    }
    total = 0.0
    for question_id in attempt.question_ids:
        question = questions[question_id]
        row = rows.get(question_id)
        if row is None:
            row = Response(attempt_id=attempt.id, question_id=question_id, answer=None)
            db.session.add(row)
        grade = grade_response(question, row.answer)
        row.earned, row.possible = grade.earned, grade.possible
        total += grade.earned
    now = utcnow()
    # Only the first of two simultaneous submissions finds the attempt still open.
    closed = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now, score=total)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
    else:
        db.session.commit()
    db.session.refresh(attempt)
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


def history(user: User) -> list[Attempt]:
    """The user's attempts, newest first, with their versions loaded."""
    return list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.user_id == user.id)
            .options(sa.orm.joinedload(Attempt.version))
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
