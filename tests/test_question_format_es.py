"""The translated question-format documents keep step with the English one, the format's contract.

The translation changes the words around the examples, never the examples: the keys and values
are the file format, the same in every language. So a change to docs/question-format.md that the
Spanish document does not follow fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers.settings import DATA, PROJECT

from quizapp.domain import limits
from quizapp.domain.formats import parse_upload
from quizapp.domain.loader import folder_source_reader, load_question_set_text
from quizapp.domain.markdown_blocks import parse_blocks

ENGLISH = PROJECT / "docs" / "question-format.md"
SPANISH = PROJECT / "docs" / "es" / "question-format.md"
#: Every translation: docs/<language>/question-format.md (the help page serves it by locale).
TRANSLATIONS = sorted((PROJECT / "docs").glob("*/question-format.md"))
translations = pytest.mark.parametrize(
    "translated", TRANSLATIONS, ids=[path.parent.name for path in TRANSLATIONS]
)
FENCED = re.compile(r"^```([^\n]*)\n(.*?)^```$", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
TOWN_MEETING = {
    "town-meeting.txt": (DATA / "formats" / "sources" / "town-meeting.txt").read_text("utf-8")
}


@dataclass
class Section:
    """A heading, the example blocks under it (with their language) and the code in its text."""

    level: int
    heading_code: list[str]
    examples: list[tuple[str, str]] = field(default_factory=list)
    code_in_text: set[str] = field(default_factory=set)


def sections(path: Path) -> list[Section]:
    """The document's sections in order; text before the first heading belongs to none."""
    text = path.read_text("utf-8")
    found: list[Section] = []
    # Fenced blocks with their info string ("yaml", "csv"), which parse_blocks does not keep.
    fences = iter(FENCED.findall(text))
    for block in parse_blocks(text):
        if block.kind == "heading":
            found.append(Section(block.level, CODE_SPAN.findall(block.text)))
        elif block.kind == "code":
            language, body = next(fences)
            assert body.rstrip("\n") == block.text, "the fence reader and the page agree"
            found[-1].examples.append((language, block.text))
        else:
            for words in (block.text, *block.items, *(cell for row in block.rows for cell in row)):
                found[-1].code_in_text.update(CODE_SPAN.findall(words))
    return found


def spanish_examples(language: str) -> list[str]:
    """The Spanish document's example blocks written in ``language``."""
    return [body for lang, body in FENCED.findall(SPANISH.read_text("utf-8")) if lang == language]


def test_spanish_is_among_the_translations() -> None:
    assert SPANISH in TRANSLATIONS


@translations
def test_a_translation_has_the_english_sections_in_the_same_order(translated: Path) -> None:
    english, other = sections(ENGLISH), sections(translated)
    assert [(s.level, s.heading_code) for s in other] == [
        (s.level, s.heading_code) for s in english
    ], "a heading was added, removed or moved in one document only"


@translations
def test_every_example_block_is_the_english_one_byte_for_byte(translated: Path) -> None:
    english_text, translated_text = ENGLISH.read_text("utf-8"), translated.read_text("utf-8")
    assert FENCED.findall(translated_text) == FENCED.findall(english_text)
    for number, (english, other) in enumerate(
        zip(sections(ENGLISH), sections(translated), strict=True)
    ):
        assert other.examples == english.examples, f"section {number}: {english.heading_code}"


@translations
def test_every_keyword_of_an_english_section_is_in_its_translated_section(translated: Path) -> None:
    # A code span without a space is a key, value, file name or number of the format: the
    # translation keeps it. Spans with spaces may be placeholders ("left => right").
    for english, other in zip(sections(ENGLISH), sections(translated), strict=True):
        keywords = {code for code in english.code_in_text if " " not in code}
        assert keywords <= other.code_in_text, sorted(keywords - other.code_in_text)


def test_the_spanish_document_states_every_limit_a_teacher_meets() -> None:
    # U.S. Spanish writes thousands with a comma, as the English document does.
    text = SPANISH.read_text("utf-8")
    for number in (
        limits.MAX_QUESTIONS,
        limits.MAX_SOURCE_CHARS,
        limits.MAX_NORMALIZED_SOURCE_CHARS,
        limits.MAX_EVIDENCE_PER_QUESTION,
        limits.MAX_EVIDENCE_PER_SET,
        limits.MAX_YAML_ALIASES,
        limits.MAX_YAML_DEPTH,
        limits.MAX_EXPANDED_NODES,
        limits.MAX_EXPANDED_CHARS,
        limits.MAX_PROBLEMS_SHOWN,
    ):
        assert f"{number:,}" in text, number
    assert f"como máximo {limits.describe_bytes(limits.MAX_FILE_BYTES)}" in text


def test_the_first_yaml_example_of_the_spanish_document_is_a_whole_valid_set() -> None:
    first = spanish_examples("yaml")[0]
    loaded = load_question_set_text(
        first, "example.yaml", folder_source_reader(PROJECT / "questions"), require_evidence=True
    )
    assert [q.id for q in loaded.questions] == ["who-no-one-ever"]


def test_every_whole_question_of_the_spanish_examples_loads_in_that_set() -> None:
    # Whole questions start with their id and give a prompt; the other YAML examples show only
    # the keys they are about (a `credit:` map, a `feedback:` line).
    first, *rest = spanish_examples("yaml")
    questions = [body for body in rest if body.startswith("  - id:") and "prompt:" in body]
    assert len(questions) == 6
    reader = folder_source_reader(PROJECT / "questions")
    for question in questions:
        loaded = load_question_set_text(first + question, "example.yaml", reader)
        assert len(loaded.questions) == 1 + question.count("  - id:")


def test_the_spanish_documents_csv_examples_load() -> None:
    every_type, reading_types = spanish_examples("csv")
    for name, body, count in (("example.csv", every_type, 3), ("reading.csv", reading_types, 5)):
        parsed = parse_upload(name, body.encode("utf-8"), sources=TOWN_MEETING)
        assert len(parsed.question_set.questions) == count, name


def test_the_spanish_documents_gift_and_aiken_examples_load() -> None:
    gift, aiken = spanish_examples("text")
    parsed = parse_upload("quiz.gift", gift.encode("utf-8"), sources=TOWN_MEETING)
    assert [q.id for q in parsed.question_set.questions] == ["who-home-safe", "q2"]
    parsed = parse_upload("quiz.aiken", aiken.encode("utf-8"), sources=TOWN_MEETING)
    [question] = parsed.question_set.questions
    assert (question.answer, question.evidence[0].source) == ("Ana Ortiz", "town-meeting")
