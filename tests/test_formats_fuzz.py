"""Fuzzing: any upload, however broken, ends in a ParsedUpload or a QuestionSetError, quickly."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
import yaml
from helpers.fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.domain.errors import QuestionSetError, ValidationIssue
from quizapp.domain.formats import ParsedUpload, parse_upload
from quizapp.domain.model import QuestionSet
from quizapp.domain.serialization import content_hash
from quizapp.domain.spreadsheet import to_xlsx

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data" / "formats"
SOURCES = {"town-meeting.txt": (DATA / "sources" / "town-meeting.txt").read_text("utf-8")}
MINI_YAML = (TESTS / "data" / "sets" / "civics-mini.yaml").read_bytes()
GOOD_CSV = (DATA / "good" / "google-sheets.csv").read_text("utf-8-sig")


def _workbook_of(csv_text: str) -> bytes:
    """The rows of a CSV file as an Excel workbook, as a teacher's spreadsheet would save them."""
    header, *rows = list(csv.reader(io.StringIO(csv_text)))
    return to_xlsx(header, rows)


#: A good file of each format, and the names it may be uploaded under.
SEEDS: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "yaml": (MINI_YAML, ("set.yaml", "set.yml")),
    "json": (json.dumps(yaml.safe_load(MINI_YAML)).encode("utf-8"), ("set.json",)),
    "csv": ((DATA / "good" / "google-sheets.csv").read_bytes(), ("quiz.csv",)),
    "xlsx": (_workbook_of(GOOD_CSV), ("quiz.xlsx",)),
    "gift": ((DATA / "good" / "civics.gift").read_bytes(), ("quiz.gift", "quiz.txt")),
    "aiken": ((DATA / "good" / "civics.aiken").read_bytes(), ("quiz.aiken", "quiz.txt")),
}
FORMATS = sorted(SEEDS)

#: Pieces that mean something to one of the formats, so mutations reach past the first check.
TOKENS = [
    *("{", "}", "=", "~", "#", "####", "%50%", "%-100%", "%abc%", "->", "=>", "::", "\\", "\\n"),
    *("\\{", "\\}", "$CATEGORY: a/b/", "//", "// evidence: ", "// evidence [x]: ", "[html]"),
    *("{T}", "{#1}", "{}", "ANSWER: ", "ANSWER: Z", "A. ", "b) ", "EVIDENCE: ", "EXPLANATION: "),
    *(",", ";", "\t", '"', '""', "|", "\\|", "sep=;", "choice_9", "x-note", "type", "prompt"),
    *(
        "\n",
        "\n\n",
        "\r",
        "\r\n",
        "- ",
        ": ",
        "&a ",
        "*a ",
        "!!binary ",
        "!!python/object ",
        "<<: ",
    ),
    *("[", "]", "true", "null", "1e999", "2020-13-45", "9" * 5000, "é", "“", "\u2028", "\x85"),
    *("\ufeff", "\x00", "\ud7ff", "\ue000", "single_choice", "matching", "ordering", "q1"),
    *('"\\ud800"', '"\\uDFFF"', '"\\U0001F600"', '"\\x85"', '"\\0"', "'it''s'"),
]


def assert_ends_cleanly(name: str, content: bytes) -> None:
    """``parse_upload`` returns a valid upload or raises QuestionSetError, in under 2 seconds."""
    started = time.monotonic()
    try:
        parsed = parse_upload(name, content, sources=SOURCES)
    except QuestionSetError as exc:
        assert exc.issues
        assert all(isinstance(issue, ValidationIssue) and issue.message for issue in exc.issues)
    else:
        assert isinstance(parsed, ParsedUpload)
        assert isinstance(parsed.question_set, QuestionSet)
        assert parsed.question_set.questions
        assert parsed.format in SEEDS
        assert all(isinstance(warning, ValidationIssue) for warning in parsed.warnings)
        assert content_hash(parsed.question_set), "a valid set can be stored"
    assert time.monotonic() - started < 2, f"{name} took too long"


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few random edits: tokens inserted, bytes changed, lines cut or copied."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "delete", "byte", "copy", "truncate"]))
        if edit == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS)).encode("utf-8", "surrogatepass")
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif edit == "byte":
            data[at:at] = bytes([draw(st.integers(0, 255))])
        elif edit == "copy":
            end = min(len(data), at + draw(st.integers(1, 200)))
            data[at:at] = data[at:end] * draw(st.integers(1, 3))
        else:
            del data[at:]
    return bytes(data)


FUZZ = settings(
    max_examples=examples(150),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("file_format", FORMATS)
@FUZZ
@given(data=st.data())
def test_mutated_good_files_end_cleanly(file_format: str, data: st.DataObject) -> None:
    seed, names = SEEDS[file_format]
    assert_ends_cleanly(data.draw(st.sampled_from(names)), data.draw(mutated(seed)))


@pytest.mark.parametrize("file_format", FORMATS)
@FUZZ
@given(data=st.data())
def test_random_token_soup_ends_cleanly(file_format: str, data: st.DataObject) -> None:
    _, names = SEEDS[file_format]
    words = st.sampled_from([*TOKENS, "Ana", "Ortiz", " ", "a", "1", "id", "answer"])
    text = "".join(data.draw(st.lists(words, max_size=200)))
    assert_ends_cleanly(data.draw(st.sampled_from(names)), text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("file_format", FORMATS)
@FUZZ
@given(content=st.binary(max_size=2000))
def test_random_bytes_end_cleanly(file_format: str, content: bytes) -> None:
    assert_ends_cleanly(SEEDS[file_format][1][0], content)


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_seeds_themselves_load(file_format: str) -> None:
    seed, names = SEEDS[file_format]
    for name in names:
        assert parse_upload(name, seed, sources=SOURCES).question_set.questions


#: What a spreadsheet cell may hold: text of every kind the formats care about, numbers, dates.
CELLS = st.one_of(
    st.none(),
    st.sampled_from([*TOKENS, "Question", "Answer 1", "Correct answer(s)", "Time limit", "1,3"]),
    st.text(max_size=30),
    st.integers(-5, 10**12),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.dates(),
)


# Each example writes and reads a workbook (tens of milliseconds): fewer, larger examples.
@settings(FUZZ, max_examples=examples(30))
@given(
    rows=st.lists(st.lists(CELLS, max_size=14), max_size=25),
    header=st.lists(
        st.sampled_from(
            [
                "type",
                "prompt",
                "answer",
                "choices",
                "Question",
                "Answer 1",
                "Answer 2",
                "Correct answer",
                "explanation",
                "",
                "promt",
            ]
        ),
        max_size=8,
    ),
)
def test_random_workbooks_end_cleanly(rows: list[list[object]], header: list[str]) -> None:
    """Sheets of random cells under a header of real and near-real column names."""
    cleaned = [[_storable(cell) for cell in row] for row in rows]
    assert_ends_cleanly("sheet.xlsx", to_xlsx(header, cleaned))


def _storable(cell: object) -> object:
    """A cell openpyxl can write: text without the control characters XML cannot hold."""
    if isinstance(cell, str):
        return "".join(char for char in cell if char >= " " or char in "\t\n")
    return cell
