"""matching: 2..20 left items, each with its right-hand match, and optional distractors.

Several items may share a match (sorting items into categories): the match is offered once."""

from __future__ import annotations

from typing import Any

from ..checker import text_list
from ..i18n import gettext, lazy_gettext
from ..limits import MAX_MATCHING_PAIRS
from ..model import MATCHING, Question, Response, Source
from .base import (
    MIN_CHOICES,
    EditorField,
    FieldContext,
    Grade,
    InvalidResponse,
    QuestionType,
    maybe_shuffled,
)

MAX_DISTRACTORS = 6


class Matching(QuestionType):
    """Each pair is scored: points x (right pairs / all pairs)."""

    name = MATCHING
    keys = frozenset({"pairs", "shuffle", "distractors"})
    hint = lazy_gettext("Match each item on the left with one option.")
    form = "prompts"
    editor_fields = (
        EditorField(
            "pairs",
            lazy_gettext("Pairs"),
            "pairs",
            lazy_gettext("Each item on the left and its match."),
        ),
        EditorField(
            "distractors",
            lazy_gettext("Extra matches"),
            "lines",
            lazy_gettext("Optional: wrong matches, one per line."),
        ),
        EditorField("shuffle", lazy_gettext("Shuffle the order for each student"), "flag"),
    )
    prompt_field = "match"

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        check, qid = ctx.check, ctx.qid
        pairs = ctx.entry.get("pairs")
        pairs_path = (*ctx.path, "pairs")
        if not isinstance(pairs, dict):
            ctx.error("pairs", gettext("add 'pairs:' mapping each left item to its match"))
            return {}
        result: list[tuple[str, str]] = []
        for left, right in pairs.items():
            right_text = check.text(
                right, (*pairs_path, left), gettext("the match for '%(left)s'", left=left), qid
            )
            if right_text is None:
                return {}
            result.append((left.strip(), right_text))
        if not MIN_CHOICES <= len(result) <= MAX_MATCHING_PAIRS:
            check.error(
                pairs_path,
                gettext(
                    "pairs must have %(low)s to %(high)s entries, not %(count)s",
                    low=MIN_CHOICES,
                    high=MAX_MATCHING_PAIRS,
                    count=len(result),
                ),
                qid,
            )
            return {}
        rights = {right for _, right in result}
        fields: dict[str, Any] = {"pairs": tuple(result)}
        if "distractors" in ctx.entry:
            distractors = text_list(
                check,
                ctx.entry["distractors"],
                (*ctx.path, "distractors"),
                "distractors",
                qid,
                1,
                MAX_DISTRACTORS,
            )
            if distractors is None:
                return {}
            taken = [d for d in distractors if d in rights]
            if taken:
                ctx.error(
                    "distractors",
                    gettext(
                        "distractor '%(text)s' is the match of a pair; a distractor matches none",
                        text=taken[0],
                    ),
                )
                return {}
            fields["distractors"] = tuple(distractors)
        return fields

    def to_data(self, question: Question) -> dict[str, Any]:
        data: dict[str, Any] = {"pairs": dict(question.pairs)}
        if question.distractors:
            data["distractors"] = list(question.distractors)
        return data

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        return {
            "pairs": tuple((left, right) for left, right in data.get("pairs", {}).items()),
            "distractors": tuple(data.get("distractors", ())),
        }

    def shown(self, question: Question, seed: int) -> tuple[list[str], list[str]]:
        # A match shared by several items is offered once.
        options = list(dict.fromkeys([right for _, right in question.pairs]))
        options += list(question.distractors)
        return maybe_shuffled(question, options, seed), [left for left, _ in question.pairs]

    def prompt_values(self, question: Question, prompts: list[str], saved: Response) -> list[str]:
        matched = saved if isinstance(saved, dict) else {}
        return [str(matched.get(left, "")) for left in prompts]

    def from_prompt_values(self, question: Question, prompts: list[str], values: list[str]) -> Any:
        return {left: value for left, value in zip(prompts, values, strict=True) if value}

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        if not isinstance(response, dict):
            raise InvalidResponse(gettext("Match each item on the left."))
        lefts = {left for left, _ in question.pairs}
        rights = {right for _, right in question.pairs} | set(question.distractors)
        cleaned: dict[str, str] = {}
        for left, right in response.items():
            if left not in lefts:
                raise InvalidResponse(gettext("Match only the items shown."))
            if right in (None, ""):
                continue
            if right not in rights:
                raise InvalidResponse(gettext("Choose each match from the options shown."))
            cleaned[left] = right
        return cleaned or None

    def grade(self, question: Question, response: Response) -> Grade:
        given = response if isinstance(response, dict) else {}
        right = sum(1 for left, match in question.pairs if given.get(left) == match)
        return Grade(question.points * right / len(question.pairs), question.points)

    def key(self, question: Question) -> Response:
        return dict(question.pairs)

    def answer_lines(self, question: Question, answer: Response) -> list[str]:
        if isinstance(answer, dict):
            return [f"{left} → {answer[left]}" for left, _ in question.pairs if left in answer]
        return super().answer_lines(question, answer)
