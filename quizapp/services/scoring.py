"""Teachers score written responses against their rubric: the queue per assignment, the score
per criterion with a comment, and the attempt's score that follows (gradebook, CSV and LMS).

The queue runs one query however many students there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.grading import Grade, InvalidResponse
from ..domain.i18n import gettext
from ..domain.marking import MAX_COMMENT_CHARS, rubric_score
from ..domain.model import Question
from ..extensions import db
from ..models import Assignment, Attempt, Response, User
from ..models.types import utcnow
from . import lti_scores
from .question_sets import version_language, version_questions
from .regrades import rescore, with_accepted_answers


@dataclass(frozen=True)
class WrittenItem:
    """One student's written response in the scoring queue."""

    response_id: int
    attempt_id: int
    student: User
    question: Question
    text: str
    cited: list[str]
    #: The points given per criterion; None while it waits.
    points: list[int] | None
    comment: str
    earned: float
    scored_at: datetime | None
    #: The language of the question's set (BCP 47), for ``lang`` on its text.
    language: str = "en"

    @property
    def waiting(self) -> bool:
        """Whether the teacher has still to score it."""
        return self.points is None


@dataclass(frozen=True)
class ScoringQueue:
    """An assignment's written responses: those still to score, and those scored."""

    waiting: list[WrittenItem]
    scored: list[WrittenItem]


def _item(response: Response, attempt: Attempt, student: User) -> WrittenItem | None:
    question = version_questions(attempt.version).get(response.question_id)
    if question is None or not question.rubric:
        return None
    answer = response.answer if isinstance(response.answer, dict) else {}
    return WrittenItem(
        response.id,
        attempt.id,
        student,
        question,
        str(answer.get("text", "")),
        [str(n) for n in answer.get("cited") or []],
        response.rubric_points,
        response.comment or "",
        response.earned or 0.0,
        response.scored_at,
        version_language(attempt.version),
    )


def _written(assignment: Assignment, *conditions: sa.ColumnElement[bool]) -> list[WrittenItem]:
    rows = db.session.execute(
        sa.select(Response, Attempt, User)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(
            Attempt.assignment_id == assignment.id,
            Attempt.submitted_at.is_not(None),
            sa.or_(Response.pending.is_(True), Response.rubric_points.is_not(None)),
            *conditions,
        )
        .options(sa.orm.joinedload(Attempt.version, innerjoin=True))
        .order_by(Attempt.submitted_at, Attempt.id, Response.id)
    ).all()
    items = [_item(response, attempt, student) for response, attempt, student in rows]
    return [item for item in items if item is not None]


def scoring_queue(assignment: Assignment) -> ScoringQueue:
    """The assignment's written responses, oldest submission first."""
    items = _written(assignment)
    return ScoringQueue(
        [item for item in items if item.waiting], [item for item in items if not item.waiting]
    )


def written_response(assignment: Assignment, response_id: int) -> WrittenItem | None:
    """One written response of the assignment to score (None: not one of its responses)."""
    found = _written(assignment, Response.id == response_id)
    return found[0] if found else None


def next_waiting(assignment: Assignment, after: int) -> WrittenItem | None:
    """The first response still to score other than ``after``, to go on with."""
    for item in scoring_queue(assignment).waiting:
        if item.response_id != after:
            return item
    return None


def score_response(
    teacher: User, assignment: Assignment, item: WrittenItem, points: Sequence[int], comment: str
) -> None:
    """Save the teacher's score per criterion and comment; the attempt's score follows, final
    once nothing waits. Raises InvalidResponse for points outside the rubric."""
    earned = rubric_score(item.question, points)
    comment = comment.strip()[:MAX_COMMENT_CHARS]
    with write_transaction():
        attempt = db.session.get(
            Attempt, item.attempt_id, with_for_update=True, populate_existing=True
        )
        if attempt is None or attempt.assignment_id != assignment.id:
            raise InvalidResponse(gettext("That answer is no longer part of this assignment."))
        questions = with_accepted_answers(version_questions(attempt.version), assignment.id)
        responses = {
            row.question_id: row
            for row in db.session.scalars(
                sa.select(Response)
                .where(Response.attempt_id == attempt.id)
                .execution_options(populate_existing=True)
            )
        }
        response = responses[item.question.id]
        change = rescore(
            attempt, questions, responses, item.question.id, Grade(earned, item.question.points)
        )
        if response.pending:
            attempt.pending_points = max(0.0, attempt.pending_points - item.question.points)
        response.pending = False
        response.rubric_points = list(points)
        response.comment = comment
        response.scored_by_id = teacher.id
        response.scored_at = utcnow()
        attempt.score = (attempt.score or 0.0) + change
        db.session.flush()
        # In the same transaction: a score stored is a score the LMS will get.
        lti_scores.counted_score_changed(attempt)
