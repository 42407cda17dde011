"""single_choice: one right option among 2..20; other options may earn part of the points."""

from __future__ import annotations

from typing import Any

from ..i18n import gettext, lazy_gettext
from ..model import SINGLE_CHOICE, Question, Response, Source
from ._choices import read_choice_fields
from .base import (
    EditorField,
    FieldContext,
    Grade,
    InvalidResponse,
    QuestionType,
    credit_and_feedback_from,
    credit_grade,
    full_marks,
    maybe_shuffled,
    with_credit_and_feedback,
)


class SingleChoice(QuestionType):
    """Exactly the right choice earns the points."""

    name = SINGLE_CHOICE
    keys = frozenset({"choices", "answer", "shuffle", "credit", "feedback"})
    hint = lazy_gettext("Choose one answer.")
    form = "one"
    editor_fields = (
        EditorField(
            "choices", lazy_gettext("Choices"), "choices", lazy_gettext("Tick the right one.")
        ),
        EditorField("shuffle", lazy_gettext("Shuffle the order for each student"), "flag"),
    )

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        return read_choice_fields(ctx, many=False)

    def to_data(self, question: Question) -> dict[str, Any]:
        data = {"choices": list(question.choices), "answer": question.answer}
        return with_credit_and_feedback(question, data)

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        return {
            "choices": tuple(data.get("choices", ())),
            "answer": data.get("answer"),
            **credit_and_feedback_from(data),
        }

    def shown(self, question: Question, seed: int) -> tuple[list[str], list[str]]:
        return maybe_shuffled(question, list(question.choices), seed), []

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        if not isinstance(response, str) or response not in question.choices:
            raise InvalidResponse(gettext("Choose one of the options shown."))
        return response

    def grade(self, question: Question, response: Response) -> Grade:
        if response == question.answer or not question.credit:
            return full_marks(question, response == question.answer)
        return credit_grade(question, question.credit_of(str(response)) or 0.0)

    def key(self, question: Question) -> Response:
        return str(question.answer)

    def pick_labels(self, question: Question) -> list[str]:
        return list(question.choices)

    def picked(self, question: Question, answer: Response) -> list[str]:
        return [answer] if isinstance(answer, str) else []
