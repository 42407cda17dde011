"""A teacher accepts a typed short answer for an assignment: every attempt that gave it is
regraded, each change is recorded, and the students see a note on their results.

Scores change only through this explicit action, and accepting an answer twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.grading import Grade, grade_response, pair_grade
from ..domain.model import SHORT_ANSWER, Question
from ..domain.question_types.short_answer import comparison_form
from ..extensions import db
from ..models import AcceptedAnswer, Assignment, Attempt, Regrade, Response, User
from . import lti_scores
from .question_sets import version_questions


def rescore(
    attempt: Attempt,
    questions: Mapping[str, Question],
    responses: Mapping[str, Response],
    question_id: str,
    grade: Grade,
) -> float:
    """Give one response of a submitted attempt a new grade (under the pair rule, if it is a
    Part B), and its Part B the grade the rule then gives it; return how much the attempt's
    score changes."""
    response = responses[question_id]
    question = questions[question_id]
    part_a = responses.get(question.part_of) if question.part_of else None
    if part_a is not None:  # a Part B still scores only when its Part A is fully right
        grade = pair_grade(question, grade, Grade(part_a.earned or 0.0, part_a.possible or 0))
    change = grade.earned - (response.earned or 0.0)
    response.earned = grade.earned
    for part_b in (q for q in questions.values() if q.part_of == question_id):
        row = responses.get(part_b.id)
        if row is None or row.pending:
            continue
        new = pair_grade(part_b, grade_response(part_b, row.answer), grade)
        change += new.earned - (row.earned or 0.0)
        row.earned = new.earned
    return change


def short_answer_question(assignment: Assignment, question_id: str) -> Question | None:
    """A short-answer question of the assignment's version (None: no such question)."""
    question = version_questions(assignment.version).get(question_id)
    return question if question is not None and question.type == SHORT_ANSWER else None


def accepted_forms(assignment: Assignment) -> set[tuple[str, str]]:
    """The (question id, answer form) pairs the teacher has accepted for the assignment."""
    return {
        (question_id, answer)
        for question_id, answer in db.session.execute(
            sa.select(AcceptedAnswer.question_id, AcceptedAnswer.answer).where(
                AcceptedAnswer.assignment_id == assignment.id
            )
        )
    }


def with_accepted_answers(
    questions: Mapping[str, Question], assignment_id: int | None
) -> Mapping[str, Question]:
    """The questions as an attempt at the assignment is graded: each short answer the teacher
    accepted counts as an accepted answer (a star in it meant as a star)."""
    if assignment_id is None:
        return questions
    rows = db.session.execute(
        sa.select(AcceptedAnswer.question_id, AcceptedAnswer.shown).where(
            AcceptedAnswer.assignment_id == assignment_id
        )
    ).all()
    extra: dict[str, list[str]] = defaultdict(list)
    for question_id, shown in rows:
        if question_id in questions and questions[question_id].type == SHORT_ANSWER:
            extra[question_id].append(shown.replace("*", "\\*"))
    if not extra:
        return questions
    return {
        qid: replace(q, answer=(*q.answer, *extra[qid])) if qid in extra else q
        for qid, q in questions.items()
    }


def answers_to_regrade(assignment: Assignment, question: Question, form: str) -> int:
    """How many submitted attempts gave this answer and are not yet given its points."""
    return len(_affected(assignment, question, form))


def _affected(assignment: Assignment, question: Question, form: str) -> list[tuple[int, str]]:
    """(attempt id, typed answer) of the submitted attempts on the assignment's version that
    gave the answer and earned less than full marks for it."""
    rows = db.session.execute(
        sa.select(Response.attempt_id, Response.answer)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(
            Attempt.assignment_id == assignment.id,
            Attempt.version_id == assignment.version_id,
            Attempt.submitted_at.is_not(None),
            Response.question_id == question.id,
            Response.earned < Response.possible,
        )
    )
    return [
        (attempt_id, answer)
        for attempt_id, answer in rows
        if isinstance(answer, str) and comparison_form(answer) == form
    ]


def accept_answer(teacher: User, assignment: Assignment, question: Question, typed: str) -> int:
    """Accept ``typed`` (and every answer of the same form) as right for the question in this
    assignment, and regrade each submitted attempt that gave it; how many were regraded."""
    form = comparison_form(typed)
    if not form:
        return 0
    regraded = 0
    with write_transaction():
        known = db.session.scalar(
            sa.select(AcceptedAnswer.id).where(
                AcceptedAnswer.assignment_id == assignment.id,
                AcceptedAnswer.question_id == question.id,
                AcceptedAnswer.answer == form,
            )
        )
        if known is None:
            db.session.add(
                AcceptedAnswer(
                    assignment_id=assignment.id,
                    question_id=question.id,
                    answer=form,
                    shown=typed.strip(),
                    teacher_id=teacher.id,
                )
            )
        affected = dict(_affected(assignment, question, form))
        if not affected:
            return 0
        attempts = {
            a.id: a
            for a in db.session.scalars(
                sa.select(Attempt)
                .where(Attempt.id.in_(affected))
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        }
        responses: dict[int, dict[str, Response]] = defaultdict(dict)
        for row in db.session.scalars(
            sa.select(Response)
            .where(Response.attempt_id.in_(affected))
            .execution_options(populate_existing=True)
        ):
            responses[row.attempt_id][row.question_id] = row
        full = Grade(float(question.points), question.points)
        # Every affected attempt is on the assignment's version (see _affected).
        questions = with_accepted_answers(version_questions(assignment.version), assignment.id)
        for attempt_id, answer in affected.items():
            attempt = attempts[attempt_id]
            before = attempt.score or 0.0
            after = before + rescore(attempt, questions, responses[attempt_id], question.id, full)
            if after == before:
                continue  # a Part B whose Part A is not right: the answer earns nothing yet
            attempt.score = after
            db.session.add(
                Regrade(
                    attempt_id=attempt_id,
                    question_id=question.id,
                    answer=answer.strip(),
                    teacher_id=teacher.id,
                    score_before=before,
                    score_after=after,
                )
            )
            regraded += 1
        db.session.flush()
        for attempt in attempts.values():
            lti_scores.counted_score_changed(attempt)
    return regraded


@dataclass(frozen=True)
class RegradeNote:
    """What a student reads on their results about a regrade of their attempt."""

    question_id: str
    answer: str
    regraded_at: datetime
    points: float


def regrade_notes(attempt: Attempt) -> dict[str, list[RegradeNote]]:
    """The regrades of an attempt by question id, oldest first."""
    notes: dict[str, list[RegradeNote]] = defaultdict(list)
    if attempt.assignment_id is None:
        return notes  # free practice: no teacher regrades it
    for row in db.session.scalars(
        sa.select(Regrade).where(Regrade.attempt_id == attempt.id).order_by(Regrade.id)
    ):
        notes[row.question_id].append(
            RegradeNote(
                row.question_id, row.answer, row.regraded_at, row.score_after - row.score_before
            )
        )
    return notes
