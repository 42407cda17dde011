"""Grade a student's response to a question: each type's grader, found in the registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .grades import CORRECT, INCORRECT, PARTLY_CORRECT, PENDING, UNANSWERED, Grade, InvalidResponse
from .model import Question, Response
from .question_types import REGISTRY, QuestionType, type_of
from .question_types.short_answer import normalize_short_answer

#: The graders by type name: each question type is its own grader.
GRADERS: dict[str, QuestionType] = REGISTRY

__all__ = [
    "CORRECT",
    "GRADERS",
    "INCORRECT",
    "PARTLY_CORRECT",
    "PENDING",
    "UNANSWERED",
    "Grade",
    "InvalidResponse",
    "answer_key",
    "clean_response",
    "grade_attempt",
    "grade_response",
    "grader_for",
    "normalize_short_answer",
]


def grader_for(question: Question) -> QuestionType:
    """The grader registered for the question's type."""
    return type_of(question)


def clean_response(question: Question, response: Any) -> Response:
    """Check a raw response against the question; raise InvalidResponse with a message."""
    return type_of(question).clean(question, response)


def grade_response(question: Question, response: Response) -> Grade:
    """Grade a response; anything the question does not offer earns nothing."""
    if response is None or response in ("", [], {}):
        return Grade(0.0, question.points, answered=False)
    try:
        cleaned = type_of(question).clean(question, response)
    except InvalidResponse:
        return Grade(0.0, question.points)
    if cleaned is None:
        return Grade(0.0, question.points, answered=False)
    return type_of(question).grade(question, cleaned)


def answer_key(question: Question) -> Response:
    """The correct response to ``question``."""
    return type_of(question).key(question)


def grade_attempt(
    questions: Mapping[str, Question], answers: Mapping[str, Response], order: Sequence[str]
) -> dict[str, Grade]:
    """Grade every question of an attempt; a Part B earns its points only when its Part A
    earned full points, as state tests score evidence-based pairs."""
    grades = {qid: grade_response(questions[qid], answers.get(qid)) for qid in order}
    for qid in order:
        question = questions[qid]
        part_a = grades.get(question.part_of) if question.part_of else None
        if part_a is not None and part_a.earned < part_a.possible and grades[qid].earned:
            grades[qid] = Grade(0.0, question.points, answered=grades[qid].answered)
    return grades


def pair_grade(part_b: Question, grade: Grade, part_a_grade: Grade | None) -> Grade:
    """Part B's grade once its Part A's grade is known (the rule of ``grade_attempt``)."""
    if part_a_grade is not None and part_a_grade.earned < part_a_grade.possible:
        return Grade(0.0, part_b.points, answered=grade.answered)
    return grade
