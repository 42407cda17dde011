"""numerical: a typed number, right within a tolerance or a range; several answers may each
earn their own part of the points, as GIFT and Moodle write them."""

from __future__ import annotations

import math
import re
from typing import Any

from ..i18n import gettext, lazy_gettext
from ..limits import MAX_SHORT_ANSWER_CHARS
from ..model import NUMERICAL, NumericAnswer, Question, Response, Source
from ._choices import MAX_CREDIT
from .base import EditorField, FieldContext, Grade, InvalidResponse, QuestionType, credit_grade

MAX_NUMERIC_ANSWERS = 20
_ENTRY_KEYS = frozenset({"value", "tolerance", "min", "max", "credit", "feedback"})
#: A number as students type it: 1787, -2.5, 0,75, 1,000,000 or 1 000 (thousands grouped).
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?")


def read_number(text: str) -> float | None:
    """The number a student typed, or None: a decimal comma is a point, and commas or spaces
    grouping thousands are ignored."""
    typed = text.strip().replace("\u2212", "-")
    if _GROUPED.fullmatch(typed):
        typed = typed.replace(",", "").replace(" ", "")
    elif typed.count(",") == 1 and "." not in typed:
        typed = typed.replace(",", ".")
    try:
        number = float(typed)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return read_number(value)
    return None


def format_number(value: float) -> str:
    """A number as a teacher writes it: 1787, 2.5."""
    return str(int(value)) if value.is_integer() else repr(value)


class Numerical(QuestionType):
    """The best answer whose range holds the typed number earns its credit."""

    name = NUMERICAL
    keys = frozenset({"answer", "tolerance"})
    hint = lazy_gettext("Type a number.")
    form = "text"
    editor_fields = (
        EditorField(
            "answer",
            lazy_gettext("Right answers"),
            "numbers",
            lazy_gettext(
                "Give a value, with a tolerance if near it counts, or a range from min to max. "
                "Credit is the percent of the points an answer earns (empty: 100); one answer "
                "needs 100. Feedback is shown to a student who gave that answer."
            ),
        ),
        EditorField(
            "tolerance",
            lazy_gettext("Tolerance of answers that give none"),
            "decimal",
            lazy_gettext(
                "How far from the value an answer may be and still count (empty: exactly)."
            ),
        ),
    )

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        if "answer" not in ctx.entry:
            ctx.error(None, gettext("add 'answer:' with the right number"))
            return {}
        default_tolerance = 0.0
        if "tolerance" in ctx.entry:
            tolerance = _number(ctx.entry["tolerance"])
            if tolerance is None or tolerance < 0:
                ctx.error("tolerance", gettext("tolerance must be a number of 0 or more"))
                return {}
            default_tolerance = tolerance
        raw = ctx.entry["answer"]
        entries = raw if isinstance(raw, list) else [raw]
        if not 1 <= len(entries) <= MAX_NUMERIC_ANSWERS:
            ctx.error(
                "answer",
                gettext("answer must list 1 to %(most)s numbers", most=MAX_NUMERIC_ANSWERS),
            )
            return {}
        answers = []
        for number, entry in enumerate(entries, 1):
            answer = self._read_entry(ctx, entry, number, default_tolerance)
            if answer is None:
                return {}
            answers.append(answer)
        if not any(answer.credit >= MAX_CREDIT for answer in answers):
            ctx.error("answer", gettext("give one answer full credit (100)"))
            return {}
        return {"answer": tuple(answers)}

    def _read_entry(
        self, ctx: FieldContext, entry: Any, number: int, default_tolerance: float
    ) -> NumericAnswer | None:
        if not isinstance(entry, dict):
            value = _number(entry)
            if value is None:
                ctx.error(
                    "answer",
                    gettext(
                        "answer %(number)s must be a number, such as 1787 or 2.5", number=number
                    ),
                )
                return None
            return NumericAnswer(value, default_tolerance)
        unknown = sorted(set(entry) - _ENTRY_KEYS)
        if unknown:
            allowed = ", ".join(sorted(_ENTRY_KEYS))
            ctx.error(
                "answer",
                gettext(
                    "answer %(number)s has an unknown key '%(key)s'; allowed: %(allowed)s",
                    number=number,
                    key=unknown[0],
                    allowed=allowed,
                ),
            )
            return None
        if "min" in entry or "max" in entry:
            low, high = _number(entry.get("min")), _number(entry.get("max"))
            if low is None or high is None or low > high or "value" in entry:
                ctx.error(
                    "answer",
                    gettext(
                        "answer %(number)s needs a number min and a number max of at least min",
                        number=number,
                    ),
                )
                return None
            return self._with_credit(ctx, entry, number, (low + high) / 2, (high - low) / 2)
        value = _number(entry.get("value"))
        tolerance = _number(entry.get("tolerance", default_tolerance))
        if value is None or tolerance is None or tolerance < 0:
            ctx.error(
                "answer",
                gettext(
                    "answer %(number)s needs a number value and a tolerance of 0 or more",
                    number=number,
                ),
            )
            return None
        return self._with_credit(ctx, entry, number, value, tolerance)

    def _with_credit(
        self, ctx: FieldContext, entry: dict[str, Any], number: int, value: float, tolerance: float
    ) -> NumericAnswer | None:
        credit = _number(entry.get("credit", MAX_CREDIT))
        if credit is None or not 0 <= credit <= MAX_CREDIT:
            ctx.error(
                "answer",
                gettext(
                    "the credit of answer %(number)s must be from 0 to 100 percent", number=number
                ),
            )
            return None
        feedback = entry.get("feedback", "")
        if not isinstance(feedback, str):
            ctx.error(
                "answer", gettext("the feedback of answer %(number)s must be text", number=number)
            )
            return None
        return NumericAnswer(value, tolerance, credit, feedback.strip())

    def to_data(self, question: Question) -> dict[str, Any]:
        entries: list[Any] = []
        for answer in question.answer:
            entry: dict[str, Any] = {"value": answer.value}
            if answer.tolerance:
                entry["tolerance"] = answer.tolerance
            if answer.credit != MAX_CREDIT:
                entry["credit"] = answer.credit
            if answer.feedback:
                entry["feedback"] = answer.feedback
            entries.append(entry if len(entry) > 1 else answer.value)
        return {"answer": entries}

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        answers = []
        for entry in data.get("answer") or ():
            if isinstance(entry, dict):
                answers.append(
                    NumericAnswer(
                        float(entry["value"]),
                        float(entry.get("tolerance", 0.0)),
                        float(entry.get("credit", MAX_CREDIT)),
                        str(entry.get("feedback", "")),
                    )
                )
            else:
                answers.append(NumericAnswer(float(entry)))
        return {"answer": tuple(answers)}

    def clean(self, question: Question, response: Any) -> Response:
        if response is None:
            return None
        if not isinstance(response, str):
            raise InvalidResponse(gettext("Type your answer as a number."))
        if len(response) > MAX_SHORT_ANSWER_CHARS:
            raise InvalidResponse(
                gettext(
                    "Keep your answer under %(limit)s characters.", limit=MAX_SHORT_ANSWER_CHARS
                )
            )
        typed = response.strip()
        if typed and read_number(typed) is None:
            raise InvalidResponse(gettext("Type a number, such as 1787 or 2.5."))
        return typed or None

    def _best(self, question: Question, response: Response) -> NumericAnswer | None:
        number = read_number(response) if isinstance(response, str) else None
        if number is None:
            return None
        matching = [answer for answer in question.answer if answer.accepts(number)]
        return max(matching, key=lambda answer: answer.credit, default=None)

    def grade(self, question: Question, response: Response) -> Grade:
        best = self._best(question, response)
        return credit_grade(question, best.credit if best else 0.0)

    def feedback(self, question: Question, response: Response) -> list[str]:
        best = self._best(question, response)
        return [best.feedback] if best and best.feedback else []

    def key(self, question: Question) -> Response:
        best = max(question.answer, key=lambda answer: answer.credit)
        return format_number(best.value)

    def answer_lines(self, question: Question, answer: Response) -> list[str]:
        if answer == self.key(question):
            best = max(question.answer, key=lambda item: item.credit)
            if best.tolerance:
                return [f"{answer} (± {format_number(best.tolerance)})"]
        return [str(answer)]
