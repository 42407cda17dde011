"""Source texts shown to students, with evidence highlighted once an attempt is graded."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.i18n import gettext
from ..domain.model import Question
from ..domain.textmatch import Segment, find_quote, highlight_paragraphs
from ..models import Attempt, SourceText
from .attempts.queries import attempt_items
from .attempts.rules import results_visible
from .question_sets import source_text, version_questions


@dataclass(frozen=True)
class SourcePage:
    """A source split into paragraphs, and the question whose evidence is marked in it."""

    source: SourceText
    paragraphs: list[list[Segment]]
    question: Question | None
    marks: int
    #: The question's number in the attempt ("3", or "3 (Part B)") and its place on the
    #: results page, for the way back; empty without a question.
    question_label: str = ""
    results_anchor: str = ""


def source_page(attempt: Attempt, key: str, question_id: str | None) -> SourcePage | None:
    """The source ``key`` of the attempt's version; None when it does not exist.

    Evidence is only marked once results are shown: before that, marks would give answers away.
    """
    source = source_text(attempt.version_id, key)
    if source is None:
        return None
    question = None
    spans: list[tuple[int, int]] = []
    if results_visible(attempt) and question_id in attempt.question_ids:
        question = version_questions(attempt.version)[question_id]
        for evidence in question.evidence:
            if evidence.source == key:
                span = find_quote(source.text, evidence.quote)
                if span is not None:
                    spans.append(span)
    label, anchor = _place_on_results(attempt, question) if question else ("", "")
    paragraphs = highlight_paragraphs(source.text, spans)
    return SourcePage(source, paragraphs, question, len(spans), label, anchor)


def _place_on_results(attempt: Attempt, question: Question) -> tuple[str, str]:
    """The question's number as the results page shows it, and the id of its place there."""
    for number, item in enumerate(attempt_items(attempt), start=1):
        if question.id in item:
            part_b = item.index(question.id) > 0
            label = gettext("%(number)s (Part B)", number=number) if part_b else str(number)
            return label, (f"q-{number}-b" if part_b else f"q-{number}")
    return "", ""
