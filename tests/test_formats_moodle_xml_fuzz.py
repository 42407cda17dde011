"""Fuzzing the Moodle XML importer: any file, however broken, ends in a valid set or a clear
QuestionSetError, quickly; and a file that declares entities is always refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers.fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.domain.errors import QuestionSetError, ValidationIssue
from quizapp.domain.formats import parse_upload
from quizapp.domain.serialization import content_hash

SEED = (Path(__file__).resolve().parent / "data" / "moodle" / "civics-bank.xml").read_bytes()
NAMES = ("bank.xml", "bank.txt")
TYPES = [
    *("multichoice", "truefalse", "shortanswer", "matching", "ordering", "essay"),
    *("description", "numerical", "category", "multianswer", "ddwtos", "calculated", ""),
]
#: Pieces that mean something to XML or to Moodle's format, so mutations reach past the parser.
TOKENS = [
    *("<", ">", "</", "/>", "&", "&amp;", "&lt;", "&#0;", "&#x1F600;", "&#xD800;", "&nbsp;"),
    *("<![CDATA[", "]]>", "<!--", "-->", "<?xml", "?>", '"', "'", "=", "\x00", "\ufeff"),
    *('<question type="', '">', "</question>", "<text>", "</text>", '<answer fraction="'),
    *('<file name="a.png" encoding="base64">', "</file>", "@@PLUGINFILE@@/", "<img src="),
    *("<single>false</single>", "<usecase>1</usecase>", "<subquestion>", "$course$/top/"),
    *("100", "-100", "50", "1e308", "nan", "-0", "9" * 400, "é", "\u2028", "\x85", "<p>", "</p>"),
    *("<!DOCTYPE quiz>", '<!ENTITY a "b">', "&a;", "<script>", "javascript:", "\n", "\r\n"),
]


def assert_ends_cleanly(name: str, content: bytes) -> None:
    """``parse_upload`` returns a valid set or raises QuestionSetError, in under 2 seconds."""
    started = time.monotonic()
    try:
        parsed = parse_upload(name, content)
    except QuestionSetError as exc:
        assert exc.issues
        assert all(isinstance(issue, ValidationIssue) and issue.message for issue in exc.issues)
    else:
        assert parsed.question_set.questions
        assert parsed.format in {"moodle_xml", "gift", "aiken"}
        assert content_hash(parsed.question_set)
    assert time.monotonic() - started < 2, f"{name} took too long"


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few random edits: tokens inserted, bytes changed, stretches cut or copied."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "delete", "byte", "copy", "truncate"]))
        if edit == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS)).encode("utf-8", "surrogatepass")
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 60))]
        elif edit == "byte":
            data[at:at] = bytes([draw(st.integers(0, 255))])
        elif edit == "copy":
            end = min(len(data), at + draw(st.integers(1, 400)))
            data[at:at] = data[at:end] * draw(st.integers(1, 3))
        else:
            del data[at:]
    return bytes(data)


def _text(draw: st.DrawFn) -> str:
    words = st.sampled_from(["Congress", "the", "<p>", "</p>", "&amp;", "1787", " ", "é", ""])
    return "".join(draw(st.lists(words, max_size=6)))


@st.composite
def generated_question(draw: st.DrawFn) -> str:
    """A question element of any type, with answers, fractions and flags drawn at random."""
    kind = draw(st.sampled_from(TYPES))
    answers = "".join(
        f'<answer fraction="{draw(st.sampled_from(["100", "0", "50", "-100", "x", "1", "2"]))}">'
        f"<text>{draw(st.sampled_from(['true', 'false', 'Ana', 'Ben', '', '42']))}</text>"
        f"<feedback><text>{_text(draw)}</text></feedback>"
        f"<tolerance>{draw(st.sampled_from(['0', '0.5', 'x', '']))}</tolerance></answer>"
        for _ in range(draw(st.integers(0, 5)))
    )
    subquestions = "".join(
        f"<subquestion><text>{draw(st.sampled_from(['Ana', 'Ben', '', 'Cy']))}</text>"
        f"<answer><text>{draw(st.sampled_from(['x', 'y', '']))}</text></answer></subquestion>"
        for _ in range(draw(st.integers(0, 4)))
    )
    flags = "".join(
        f"<{tag}>{draw(st.sampled_from(['true', 'false', '0', '1', '']))}</{tag}>"
        for tag in draw(st.lists(st.sampled_from(["single", "shuffleanswers", "usecase"])))
    )
    return (
        f'<question type="{kind}"><name><text>{_text(draw)}</text></name>'
        f'<questiontext format="{draw(st.sampled_from(["html", "plain_text", "markdown", "x"]))}">'
        f"<text>{_text(draw)}</text></questiontext>"
        f"<category><text>$course$/top/{_text(draw)}</text></category>"
        f"<defaultgrade>{draw(st.sampled_from(['1', '2.5', '0', '-1', 'x']))}</defaultgrade>"
        f"{flags}{answers}{subquestions}</question>"
    )


FUZZ = settings(
    max_examples=examples(150),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(data=st.data())
def test_mutated_moodle_files_end_cleanly(data: st.DataObject) -> None:
    assert_ends_cleanly(data.draw(st.sampled_from(NAMES)), data.draw(mutated(SEED)))


@FUZZ
@given(questions=st.lists(generated_question(), max_size=8))
def test_generated_questions_end_cleanly(questions: list[str]) -> None:
    content = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>"
    assert_ends_cleanly("bank.xml", content.encode("utf-8"))


@FUZZ
@given(content=st.binary(max_size=2000))
def test_random_bytes_end_cleanly(content: bytes) -> None:
    assert_ends_cleanly("bank.xml", content)


@FUZZ
@given(
    declaration=st.sampled_from(
        [
            '<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">',
            '<!ENTITY s SYSTEM "file:///etc/passwd">',
            '<!ENTITY s SYSTEM "http://127.0.0.1:9/x">',
            '<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;',
        ]
    ),
    data=st.data(),
)
def test_entity_declarations_are_always_refused(declaration: str, data: st.DataObject) -> None:
    body = data.draw(mutated(SEED)).split(b"<quiz>", 1)[-1]
    content = f"<?xml version='1.0'?>\n<!DOCTYPE quiz [{declaration}]>\n<quiz>".encode() + body
    with pytest.raises(QuestionSetError) as caught:
        parse_upload("bank.xml", content)
    messages = " ".join(issue.message for issue in caught.value.issues)
    assert "DOCTYPE or entities" in messages or "not well-formed" in messages
    assert "root:" not in messages  # nothing of /etc/passwd was read


def test_the_seed_itself_loads() -> None:
    for name in NAMES:
        assert parse_upload(name, SEED).question_set.questions
