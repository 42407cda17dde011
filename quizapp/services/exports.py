"""Showing a set outside the quiz: the teacher's preview, paper copies, answer keys and YAML.

The same for a staged upload and a published version, so what a teacher checks before
publishing is what prints afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.formats.exporting import Export
from ..domain.formats.gift_export import export_gift as gift_file
from ..domain.grading import answer_key
from ..domain.limits import EXCERPT_CONTEXT_CHARS, EXCERPT_MARK_CHARS
from ..domain.model import Question, Source
from ..domain.model import QuestionSet as SetContent
from ..domain.model import Response as Answer
from ..domain.question_types import type_of
from ..domain.selection import question_items
from ..domain.serialization import set_from_document, set_to_document
from ..domain.shuffling import seeded_shuffle
from ..domain.textmatch import Segment, evidence_excerpt, find_quote, paragraph_bounds
from ..extensions import db
from ..models import QuestionSetVersion, SourceText
from . import images


@dataclass(frozen=True)
class EvidencePreview:
    """An evidence quote shown highlighted in a bounded excerpt of its paragraph."""

    source_title: str
    quote: str
    paragraph: list[Segment]


#: Seeds the order of choices on paper: any fixed number, so reprints match.
PRINT_SEED = 1787


@dataclass(frozen=True)
class QuestionPreview:
    """A question as a teacher checks it before publishing."""

    question: Question
    key: Answer
    evidence: list[EvidencePreview]
    #: The title of the source an evidence-sentence question offers its sentences from.
    sentences_from: str = ""

    @property
    def printed_choices(self) -> list[str]:
        """The choices in the order a paper copy prints them: shuffled (the same way for every
        copy of the set) unless the question says not to, since files often list the right
        answer first."""
        question = self.question
        if not question.shuffle:
            return list(question.choices)
        return seeded_shuffle(question.choices, PRINT_SEED, question.id)


def preview(content: SetContent) -> list[QuestionPreview]:
    """Each question with its answer key and its evidence highlighted in an excerpt of its source.

    Excerpts are bounded, so the page grows with the number of quotes (which the validator
    caps), never with the length of the sources they come from.
    """
    previews = []
    for question in content.questions:
        shown = []
        for key, quote in _evidence_quotes(question):
            source = content.sources[key]
            span = find_quote(source.text, quote)
            excerpt = (
                evidence_excerpt(source.text, span, EXCERPT_CONTEXT_CHARS, EXCERPT_MARK_CHARS)
                if span
                else []
            )
            shown.append(EvidencePreview(source.title, quote, excerpt))
        offered = content.sources.get(question.source) if question.source else None
        previews.append(
            QuestionPreview(question, answer_key(question), shown, offered.title if offered else "")
        )
    return previews


@dataclass(frozen=True)
class PrintedSource:
    """A source text as paper prints it: its citation, then its paragraphs."""

    source: Source
    paragraphs: tuple[str, ...]


def printed_sources(content: SetContent) -> list[PrintedSource]:
    """The set's sources in the file's order, each split into its paragraphs."""
    return [
        PrintedSource(
            source,
            tuple(source.text[start:end].strip() for start, end in paragraph_bounds(source.text)),
        )
        for source in content.sources.values()
    ]


def printed_items(previews: list[QuestionPreview]) -> list[list[QuestionPreview]]:
    """The previews as paper numbers them: a question alone, or a Part A with its Part B."""
    by_id = {p.question.id: p for p in previews}
    return [
        [by_id[question.id] for question in item]
        for item in question_items([p.question for p in previews])
    ]


def _evidence_quotes(question: Question) -> list[tuple[str, str]]:
    """(source key, quote) of the question's evidence: for a type whose answers are quotes of
    its source (select_evidence), the answers when no ``evidence:`` is given."""
    quotes = [(evidence.source, evidence.quote) for evidence in question.evidence]
    if not quotes and type_of(question).answer_is_evidence:
        quotes = [(question.source, quote) for quote in question.answer or ()]
    return quotes


def version_content(version: QuestionSetVersion) -> SetContent:
    """A published version with its sources, as a set."""
    rows = db.session.scalars(
        sa.select(SourceText).where(SourceText.version_id == version.id).order_by(SourceText.id)
    )
    document = dict(version.document)
    document["sources"] = {
        row.key: {
            "title": row.title,
            "attribution": row.attribution,
            "text": row.text,
            "url": row.url,
            "publisher": row.publisher,
            "author": row.author,
            "published": row.published,
        }
        for row in rows
    }
    return set_from_document(document)


def export_yaml(version: QuestionSetVersion) -> str:
    """The version as a native YAML file that imports back to the same set."""
    import yaml  # only for this download: the pages do not need PyYAML

    document = set_to_document(version_content(version))
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def export_moodle_xml(version: QuestionSetVersion) -> Export:
    """The version as a Moodle XML file for Moodle's question bank, its images embedded."""
    # Here, not at the top: the writer brings lxml, which no other request needs.
    from ..domain.formats.moodle_xml_export import export_moodle_xml as moodle_xml_file

    return moodle_xml_file(version_content(version), images.version_images(version.id))


def export_gift(version: QuestionSetVersion) -> Export:
    """The version as a GIFT file (Moodle's plain-text format)."""
    return gift_file(version_content(version))
