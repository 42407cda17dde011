"""true_false: a statement that is true or false."""

from __future__ import annotations

from typing import Any

from ..i18n import gettext, lazy_gettext
from ..model import TRUE_FALSE, Question, Response, Source
from ._choices import read_feedback
from .base import (
    EditorField,
    FieldContext,
    Grade,
    InvalidResponse,
    QuestionType,
    credit_and_feedback_from,
    full_marks,
    with_credit_and_feedback,
)


class TrueFalse(QuestionType):
    """The right truth value earns the points."""

    name = TRUE_FALSE
    keys = frozenset({"answer", "feedback"})
    hint = lazy_gettext("Choose True or False.")
    form = "truth"
    editor_fields = (EditorField("answer", lazy_gettext("The statement is"), "truth"),)

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        value = ctx.entry.get("answer")
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            value = value.strip().lower() == "true"
        if not isinstance(value, bool):
            ctx.error("answer", gettext("answer must be true or false"))
            return {}
        feedback = read_feedback(ctx, ["true", "false"], "answer (true or false)")
        if feedback is None:
            return {}
        return {"answer": value, "feedback": feedback}

    def to_data(self, question: Question) -> dict[str, Any]:
        return with_credit_and_feedback(question, {"answer": question.answer})

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        return {
            "answer": data.get("answer"),
            "feedback": credit_and_feedback_from(data)["feedback"],
        }

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        if isinstance(response, bool):
            return response
        if isinstance(response, str) and response.lower() in ("true", "false"):
            return response.lower() == "true"
        raise InvalidResponse(gettext("Choose True or False."))

    def grade(self, question: Question, response: Response) -> Grade:
        return full_marks(question, response is question.answer)

    def key(self, question: Question) -> Response:
        return bool(question.answer)

    def answer_lines(self, question: Question, answer: Response) -> list[str]:
        return [gettext("True") if answer else gettext("False")]

    def pick_labels(self, question: Question) -> list[str]:
        return ["True", "False"]

    def picked(self, question: Question, answer: Response) -> list[str]:
        return ["True" if answer else "False"] if isinstance(answer, bool) else []
