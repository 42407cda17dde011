"""multiple_choice: every right option among 2..20, all-or-nothing, partial or by credit."""

from __future__ import annotations

from typing import Any

from ..i18n import gettext, lazy_gettext
from ..model import ALL_OR_NOTHING, MULTIPLE_CHOICE, PARTIAL, Question, Response, Source
from ._choices import read_choice_fields
from .base import (
    EditorField,
    FieldContext,
    Grade,
    InvalidResponse,
    QuestionType,
    credit_and_feedback_from,
    credit_grade,
    maybe_shuffled,
    with_credit_and_feedback,
)


def partial_fraction(picks: set[Any], correct: set[Any], out_of: int | None = None) -> float:
    """(right picks - wrong picks) / correct count, floored at 0 and capped at 1."""
    denominator = out_of or len(correct)
    return min(1.0, max(0.0, (len(picks & correct) - len(picks - correct)) / denominator))


class MultipleChoice(QuestionType):
    """All-or-nothing, or partial: (right picks - wrong picks) / correct count, floored at 0."""

    name = MULTIPLE_CHOICE
    keys = frozenset({"choices", "answer", "shuffle", "scoring", "credit", "feedback"})
    hint = lazy_gettext("Choose every answer that applies.")
    form = "many"
    editor_fields = (
        EditorField(
            "choices",
            lazy_gettext("Choices"),
            "choices",
            lazy_gettext("Tick every right one."),
            many=True,
        ),
        EditorField("scoring", lazy_gettext("Scoring"), "scoring"),
        EditorField("shuffle", lazy_gettext("Shuffle the order for each student"), "flag"),
    )

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        return read_choice_fields(ctx, many=True)

    def to_data(self, question: Question) -> dict[str, Any]:
        data: dict[str, Any] = {"choices": list(question.choices), "answer": list(question.answer)}
        if question.scoring != ALL_OR_NOTHING and not question.credit:
            data["scoring"] = question.scoring
        return with_credit_and_feedback(question, data)

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        return {
            "choices": tuple(data.get("choices", ())),
            "answer": tuple(data.get("answer") or ()),
            "scoring": PARTIAL if data.get("credit") else data.get("scoring", ALL_OR_NOTHING),
            **credit_and_feedback_from(data),
        }

    def shown(self, question: Question, seed: int) -> tuple[list[str], list[str]]:
        return maybe_shuffled(question, list(question.choices), seed), []

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        picks = [response] if isinstance(response, str) else response
        if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
            raise InvalidResponse(gettext("Tick the options that apply."))
        unknown = [p for p in picks if p not in question.choices]
        if unknown:
            raise InvalidResponse(gettext("Choose only from the options shown."))
        # Keep the question's own order and drop repeated picks.
        return [choice for choice in question.choices if choice in picks] or None

    def grade(self, question: Question, response: Response) -> Grade:
        picks = set(response) if isinstance(response, list) else set()
        correct = set(question.answer)
        if question.credit:
            # Moodle's rule: the picked choices' credit added up, floored at 0, capped at 100%.
            return credit_grade(question, sum(question.credit_of(p) or 0.0 for p in picks))
        if question.scoring == PARTIAL:
            fraction = partial_fraction(picks, correct)
        else:
            fraction = 1.0 if picks == correct else 0.0
        return Grade(question.points * fraction, question.points)

    def key(self, question: Question) -> Response:
        return list(question.answer)

    def pick_labels(self, question: Question) -> list[str]:
        return list(question.choices)

    def picked(self, question: Question, answer: Response) -> list[str]:
        return [a for a in answer if isinstance(a, str)] if isinstance(answer, list) else []
