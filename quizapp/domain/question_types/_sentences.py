"""Sentence numbers as answers: shared by select_evidence and cited written responses."""

from __future__ import annotations

from typing import Any

from ..i18n import gettext, ngettext
from ..model import Question, Sentence
from .base import InvalidResponse


def clean_sentence_numbers(question: Question, response: Any, most: int) -> list[str] | None:
    """Picked sentence numbers as text in the passage's order, or InvalidResponse."""
    if response in (None, "", []):
        return None
    picks = [response] if isinstance(response, str) else response
    if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
        raise InvalidResponse(gettext("Pick a sentence in the text."))
    offered = {str(s.number) for s in question.sentences}
    if any(p not in offered for p in picks):
        raise InvalidResponse(gettext("Pick only sentences of the text shown."))
    numbers = sorted({int(p) for p in picks})
    if len(numbers) > most:
        raise InvalidResponse(
            ngettext(
                "Pick at most %(num)s sentence; you picked %(picked)s.",
                "Pick at most %(num)s sentences; you picked %(picked)s.",
                most,
                picked=len(numbers),
            )
        )
    return [str(n) for n in numbers]


def sentence_texts(question: Question, numbers: Any) -> list[str]:
    """The text of each picked sentence, in order."""
    if not isinstance(numbers, list):
        return []
    by_number: dict[str, Sentence] = {str(s.number): s for s in question.sentences}
    return [by_number[n].text for n in numbers if n in by_number]
