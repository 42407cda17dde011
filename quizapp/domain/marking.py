"""What a teacher's marking works with: typed answers of a class counted by the form the grader
compares, and a rubric's points checked before they become a score."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .grades import InvalidResponse
from .i18n import ngettext
from .limits import MAX_COMMENT_CHARS, MAX_TYPED_ANSWERS
from .model import SHORT_ANSWER, Question
from .question_types.short_answer import comparison_form
from .statistics import GradedResponse

__all__ = ["MAX_COMMENT_CHARS", "MAX_TYPED_ANSWERS", "TypedAnswer", "rubric_score", "typed_answers"]


@dataclass(frozen=True)
class TypedAnswer:
    """One distinct answer typed to a short-answer question, and how it was marked."""

    #: The answer as the grader compares it (what accepting it keys on).
    form: str
    #: The answer as the students typed it most often.
    shown: str
    count: int
    #: How many of those responses earned full marks.
    right: int
    #: Whether the teacher has accepted it for this assignment.
    accepted: bool = False

    @property
    def wrong(self) -> int:
        """How many of those responses are still marked wrong."""
        return self.count - self.right


def typed_answers(
    questions: Sequence[Question], rows: Iterable[GradedResponse], accepted: set[tuple[str, str]]
) -> dict[str, list[TypedAnswer]]:
    """Per short-answer question id, its distinct typed answers, most frequent first.

    ``accepted`` holds the (question id, form) pairs the teacher has accepted.
    """
    wanted = {q.id for q in questions if q.type == SHORT_ANSWER}
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    right: Counter[tuple[str, str]] = Counter()
    for row in rows:
        if row.question_id not in wanted or not isinstance(row.answer, str):
            continue
        key = (row.question_id, comparison_form(row.answer))
        if not key[1]:
            continue
        spellings[key][row.answer.strip()] += 1
        if row.possible and row.earned >= row.possible:
            right[key] += 1
    found: dict[str, list[TypedAnswer]] = {qid: [] for qid in wanted}
    for (qid, form), spelt in spellings.items():
        found[qid].append(
            TypedAnswer(
                form,
                spelt.most_common(1)[0][0],
                sum(spelt.values()),
                right[(qid, form)],
                (qid, form) in accepted,
            )
        )
    for answers in found.values():
        answers.sort(key=lambda a: (-a.count, a.shown.casefold()))
        del answers[MAX_TYPED_ANSWERS:]
    return found


def rubric_score(question: Question, points: Sequence[int]) -> float:
    """The written response's score from the points given per criterion, each checked against
    the rubric; InvalidResponse says what is wrong."""
    if len(points) != len(question.rubric):
        raise InvalidResponse(
            ngettext(
                "Give a score for the %(num)s criterion.",
                "Give a score for each of the %(num)s criteria.",
                len(question.rubric),
            )
        )
    for number, (given, criterion) in enumerate(zip(points, question.rubric, strict=True), 1):
        if not 0 <= given <= criterion.points:
            raise InvalidResponse(
                ngettext(
                    "Criterion %(number)s takes 0 to %(num)s point, not %(given)s.",
                    "Criterion %(number)s takes 0 to %(num)s points, not %(given)s.",
                    criterion.points,
                    number=number,
                    given=given,
                )
            )
    return float(sum(points))
