"""Source texts shown to students, with evidence highlighted once an attempt is graded."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.model import Question
from ..domain.textmatch import Segment, find_quote, highlight_paragraphs
from ..models import Attempt, SourceText
from .attempts.rules import results_visible
from .question_sets import source_text, version_questions


@dataclass(frozen=True)
class SourcePage:
    """A source split into paragraphs, and the question whose evidence is marked in it."""

    source: SourceText
    paragraphs: list[list[Segment]]
    question: Question | None
    marks: int


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
    return SourcePage(source, highlight_paragraphs(source.text, spans), question, len(spans))
