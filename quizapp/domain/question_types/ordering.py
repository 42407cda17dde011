"""ordering: 2..8 items to put in their correct order."""

from __future__ import annotations

from typing import Any

from ..checker import text_list
from ..i18n import gettext, lazy_gettext
from ..limits import MAX_ORDERING_ITEMS
from ..model import ORDERING, Question, Response, Source
from ..shuffling import seeded_shuffle
from .base import (
    MIN_CHOICES,
    EditorField,
    FieldContext,
    Grade,
    InvalidResponse,
    QuestionType,
    full_marks,
)


class Ordering(QuestionType):
    """The whole order must be right (all-or-nothing)."""

    name = ORDERING
    keys = frozenset({"items", "shuffle"})
    hint = lazy_gettext("Give each item its position, starting with 1.")
    form = "prompts"
    editor_fields = (
        EditorField(
            "items",
            lazy_gettext("Items in the right order"),
            "lines",
            lazy_gettext("One per line, first first."),
        ),
    )
    prompt_field = "position"

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        if "items" not in ctx.entry:
            ctx.error(None, gettext("add 'items:' listing the items in their correct order"))
            return {}
        items = text_list(
            ctx.check,
            ctx.entry["items"],
            (*ctx.path, "items"),
            "items",
            ctx.qid,
            MIN_CHOICES,
            MAX_ORDERING_ITEMS,
        )
        return {} if items is None else {"items": tuple(items)}

    def to_data(self, question: Question) -> dict[str, Any]:
        return {"items": list(question.items)}

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        return {"items": tuple(data.get("items", ()))}

    def shown(self, question: Question, seed: int) -> tuple[list[str], list[str]]:
        """Items in a uniformly shuffled order, whatever ``shuffle`` says (else the answer would
        show). Honest: the correct order is as likely as any other, so the order shown says
        nothing about the answer; every position starts empty and must be chosen."""
        return [], seeded_shuffle(list(question.items), seed, question.id)

    def prompt_values(self, question: Question, prompts: list[str], saved: Response) -> list[str]:
        order = saved if isinstance(saved, list) else []
        return [str(order.index(item) + 1) if item in order else "" for item in prompts]

    def from_prompt_values(self, question: Question, prompts: list[str], values: list[str]) -> Any:
        """Each item's position: all given or none, each position once."""
        positions = dict(zip(prompts, values, strict=True))
        if not any(positions.values()):
            return None
        if not all(positions.values()):
            raise InvalidResponse(gettext("Give every item a position, or leave them all empty."))
        if len(set(positions.values())) != len(positions):
            raise InvalidResponse(gettext("Use each position only once."))
        try:
            return sorted(positions, key=lambda item: int(positions[item]))
        except ValueError:
            raise InvalidResponse(gettext("Choose each position from the list.")) from None

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        if not isinstance(response, list) or sorted(response) != sorted(question.items):
            raise InvalidResponse(gettext("Put every item in a different position."))
        return list(response)

    def grade(self, question: Question, response: Response) -> Grade:
        return full_marks(question, response == list(question.items))

    def key(self, question: Question) -> Response:
        return list(question.items)

    def answer_lines(self, question: Question, answer: Response) -> list[str]:
        if isinstance(answer, list):
            return [f"{n}. {item}" for n, item in enumerate(answer, start=1)]
        return super().answer_lines(question, answer)
