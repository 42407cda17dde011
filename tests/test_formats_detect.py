"""Format detection, decoding of what editors save, and native YAML/JSON uploads."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
import yaml

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import parse_upload

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data" / "formats"
MINI = TESTS / "data" / "sets" / "civics-mini.yaml"
TOWN_MEETING = (DATA / "sources" / "town-meeting.txt").read_text("utf-8")
SOURCES = {"town-meeting.txt": TOWN_MEETING}

GIFT = "Who is the mayor? {=Ana Ortiz ~Ben Frank}\n"
AIKEN = "Who is the mayor?\nA. Ana Ortiz\nB. Ben Frank\nANSWER: A\n"
CSV = "type,prompt,choices,answer,explanation\nsingle_choice,Who is the mayor?,Ana Ortiz|Ben Frank,A,E\n"
YAML = MINI.read_text("utf-8")
JSON = json.dumps(yaml.safe_load(YAML))


def refused(name: str, content: bytes, **options: object) -> list[str]:
    with pytest.raises(QuestionSetError) as caught:
        parse_upload(name, content, **options)  # type: ignore[arg-type]
    return [str(issue) for issue in caught.value.issues]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("set.yaml", YAML, "yaml"),
        ("set.YML", YAML, "yaml"),
        ("set.json", JSON, "json"),
        ("quiz.csv", CSV, "csv"),
        ("quiz.CSV", CSV, "csv"),
        ("quiz.gift", GIFT, "gift"),
        ("quiz.aiken", AIKEN, "aiken"),
        ("quiz.txt", GIFT, "gift"),
        ("quiz.txt", AIKEN, "aiken"),
        ("folder/sub/quiz.gift.txt", GIFT, "gift"),
        # Moodle exports GIFT as .txt; braces escaped inside the answers still make a block.
        ("quiz.txt", "::sets::Which is a set? {=\\{1,2\\} ~\\{3\\}}\n", "gift"),
    ],
)
def test_format_is_detected(name: str, text: str, expected: str) -> None:
    parsed = parse_upload(name, text.encode("utf-8"), sources=SOURCES)
    assert parsed.format == expected
    assert parsed.question_set.questions


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("quiz.docx", b"PK\x03\x04", "is not a file we can read"),
        ("quiz.xlsx", b"PK\x03\x04", "not an Excel workbook that can be read"),
        ("quiz.xlsm", b"PK\x03\x04", "macros are never run"),
        ("quiz", b"x", "is not a file we can read"),
        ("quiz.txt", b"Just some notes.\nNo questions here.\n", "cannot tell the format"),
        ("quiz.txt", b"", "the file is empty"),
        ("quiz.gift", b"  \n\n", "the file is empty"),
        ("set.yaml", b"", "the file is empty"),
    ],
)
def test_files_we_cannot_read_are_refused_clearly(name: str, content: bytes, message: str) -> None:
    found = refused(name, content)
    assert any(message in text for text in found), found
    assert all(text.startswith(name.rsplit("/", 1)[-1]) for text in found)


def test_an_unknown_extension_names_the_accepted_formats() -> None:
    [message] = refused("quiz.pdf", b"%PDF-1.4")
    assert ".yaml" in message and ".csv" in message and ".gift" in message and ".aiken" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
@pytest.mark.parametrize(("name", "text"), [("q.csv", CSV), ("q.gift", GIFT), ("q.yaml", YAML)])
def test_unicode_with_a_byte_order_mark_decodes(name: str, text: str, encoding: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    parsed = parse_upload(name, bom + text.encode(encoding), sources=SOURCES)
    assert parsed.question_set.questions


@pytest.mark.parametrize(("name", "text"), [("q.csv", CSV), ("q.gift", GIFT), ("q.aiken", AIKEN)])
def test_latin1_and_cp1252_decode_for_csv_gift_and_aiken(name: str, text: str) -> None:
    latin = text.replace("Ana Ortiz", "Ana Ortíz").replace("Ben Frank", "Benoît Frank")
    for encoding in ("latin-1", "cp1252"):
        parsed = parse_upload(name, latin.encode(encoding), sources=SOURCES)
        assert parsed.question_set.questions[0].choices == ("Ana Ortíz", "Benoît Frank")


def test_cp1252_curly_quotes_decode() -> None:
    text = GIFT.replace("Who is", "Who is “the” mayor’s")
    parsed = parse_upload("q.gift", text.encode("cp1252"))
    assert parsed.question_set.questions[0].prompt.startswith("Who is “the” mayor’s")


@pytest.mark.parametrize("name", ["set.yaml", "set.json"])
def test_native_files_must_be_utf8(name: str) -> None:
    found = refused(name, YAML.replace("a practice", "a práctice").encode("latin-1"))
    assert found == [
        f"{name}: the file is not UTF-8 text (invalid continuation byte); save the file as UTF-8 text"
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("q.csv", b"type,prompt\x00,answer\n"),
        ("q.gift", bytes(range(256)) * 4),
        ("q.aiken", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("q.txt", b"Who? {=a ~b}\x00\x00"),
        ("q.yaml", b"format: quizapp/1\x00\n"),
        ("q.gift", b"\xff\xfeW\x00h\x00o\x00\x00\xd8"),
    ],
)
def test_garbage_gives_a_clear_error(name: str, content: bytes) -> None:
    [message] = refused(name, content)
    # A spreadsheet user is told the menu item: Excel's "CSV UTF-8".
    assert (
        'save it again as "CSV UTF-8"' if name.endswith(".csv") else "save the file as UTF-8"
    ) in message


def test_files_over_the_size_limit_are_refused() -> None:
    content = CSV.encode("utf-8") + b"x" * (4 * 1024 * 1024)
    assert refused("big.csv", content) == [
        "big.csv: the file is larger than 4 MiB; split it into smaller sets"
    ]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_newlines_keep_line_numbers(newline: str) -> None:
    text = "One {T}\n\nTwo {=a ~a}\n".replace("\n", newline)
    assert refused("q.gift", text.encode("utf-8")) == [
        "q.gift, line 3, question 'q2': choices must be distinct; 'a' appears more than once"
    ]


def test_native_yaml_reads_file_sources_from_the_upload_by_base_name() -> None:
    parsed = parse_upload("civics-mini.yaml", YAML.encode("utf-8"), sources=SOURCES)
    assert parsed.format == "yaml"
    assert parsed.question_set.sources["report"].text == TOWN_MEETING
    assert parsed.warnings == []


def test_native_source_names_match_without_regard_to_case_or_folders() -> None:
    sources = {"uploads/Town-Meeting.TXT": TOWN_MEETING}
    parsed = parse_upload("civics-mini.yaml", YAML.encode("utf-8"), sources=sources)
    assert parsed.question_set.sources["report"].text == TOWN_MEETING


@pytest.mark.parametrize(
    ("sources", "uploaded"),
    [(None, "none"), ({"other.txt": "Text."}, "other.txt")],
)
def test_native_source_that_was_not_uploaded_is_a_clear_error(
    sources: dict[str, str] | None, uploaded: str
) -> None:
    found = refused("civics-mini.yaml", YAML.encode("utf-8"), sources=sources)
    assert found == [
        "civics-mini.yaml, line 10: source file 'sources/town-meeting.txt' was not uploaded; "
        f"upload 'town-meeting.txt' with the set (uploaded: {uploaded})"
    ]


def test_native_upload_never_reads_the_filesystem(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The town council met on Monday", encoding="utf-8")
    text = YAML.replace("file: sources/town-meeting.txt", f"file: {secret}")
    found = refused("set.yaml", text.encode("utf-8"))
    assert "source file" in found[0] and "was not uploaded" in found[0]


def test_native_json_upload_loads() -> None:
    parsed = parse_upload("set.json", JSON.encode("utf-8"), sources=SOURCES)
    assert parsed.format == "json"
    assert parsed.question_set.id == "civics-mini"


def test_native_upload_without_evidence_warns_per_question() -> None:
    text = (
        "format: quizapp/1\nid: no-evidence\ntitle: T\nsources:\n  a: {title: A, text: Words.}\n"
        "questions:\n"
        "  - {id: q1, type: true_false, prompt: P, answer: true, explanation: E}\n"
        "  - {id: q2, type: true_false, prompt: P, answer: true, explanation: E,\n"
        "     evidence: [{source: a, quote: Words}]}\n"
        "  - {id: q3, type: true_false, prompt: P, answer: true, explanation: E}\n"
    )
    parsed = parse_upload("set.yaml", text.encode("utf-8"))
    assert [str(w) for w in parsed.warnings] == [
        "set.yaml, line 7, question 'q1': question 'q1' has no evidence quote; "
        "students will see no source for it",
        "set.yaml, line 10, question 'q3': question 'q3' has no evidence quote; "
        "students will see no source for it",
    ]


def test_native_yaml_still_requires_sources() -> None:
    text = "format: quizapp/1\nid: abc\ntitle: T\nquestions:\n  - {id: q1, type: true_false, prompt: P, answer: true, explanation: E}\n"
    assert any("add 'sources:'" in message for message in refused("set.yaml", text.encode()))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[a]", "evidence source '['a']' is not one of the set's sources"),
        ("2020-13-45", "unreadable value"),
        ("1" * 5000, "unreadable value"),
        ('"\\ud800"', "escape is half of a character"),
    ],
)
def test_odd_native_values_are_errors_not_crashes(value: str, message: str) -> None:
    text = (
        "format: quizapp/1\nid: abc\ntitle: T\nsources:\n  a: {title: A, text: Words.}\n"
        "questions:\n  - {id: q1, type: true_false, prompt: P, answer: true, explanation: E,\n"
        f"     evidence: [{{source: {value}, quote: Words}}]}}\n"
    )
    found = refused("set.yaml", text.encode("utf-8"))
    assert any(message in text for text in found), found


def test_a_surrogate_escape_in_a_native_key_is_an_error() -> None:
    text = YAML.replace("Ana Ortiz: Supports", '"Ana\\udfffOrtiz": Supports')
    found = refused("set.yaml", text.encode("utf-8"), sources=SOURCES)
    assert any("escape is half of a character" in message for message in found), found
