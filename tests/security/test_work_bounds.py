"""Hostile uploads cost time and memory in proportion to their size, never more.

Each case here was shown to take seconds to minutes (or hundreds of megabytes) before its fix;
each must now finish within a generous bound that only a blow-up can exceed.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from helpers.forms import csrf_token, post_form

from quizapp.domain import textmatch, validation, yaml_messages, yaml_reader
from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import (
    aiken,
    csv_format,
    decoding,
    documents,
    gift,
    images,
    moodle_xml,
    parse_upload,
    sniffing,
)
from quizapp.domain.limits import (
    EXCERPT_CONTEXT_CHARS,
    EXCERPT_MARK_CHARS,
    MAX_EVIDENCE_PER_QUESTION,
    MAX_EVIDENCE_PER_SET,
    MAX_FILE_BYTES,
    MAX_PROBLEMS_SHOWN,
    MAX_SOURCE_CHARS,
)
from quizapp.domain.model import Evidence, Question, QuestionSet, Source
from quizapp.domain.yaml_reader import RawDocument
from quizapp.services.exports import preview

DATA = Path(__file__).resolve().parent.parent / "data"
MINI = (DATA / "sets" / "civics-mini.yaml").read_text("utf-8")
SOURCE = (DATA / "sets" / "sources" / "town-meeting.txt").read_text("utf-8")
SOURCES = {"town-meeting.txt": SOURCE}
#: A line of spaces that fills the largest file allowed, less room for the rest of the file.
LONG = MAX_FILE_BYTES - 4096
#: Seconds within which any one hostile case must end: well above its linear cost on a busy
#: machine, far below what it cost before its fix (minutes, for most).
BOUND = 10.0


def within(seconds: float, work: Callable[[], object]) -> None:
    """Run ``work``; fail if it took longer than ``seconds``."""
    started = time.perf_counter()
    with contextlib.suppress(QuestionSetError):
        work()
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"took {elapsed:.1f} s"


def peak_memory(work: Callable[[], object]) -> int:
    """The most memory ``work`` held at once, in bytes."""
    tracemalloc.start()
    try:
        with contextlib.suppress(QuestionSetError):
            work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- 1. Line regexes ---------------------------------------------------------------------------

READER_MODULES: list[ModuleType] = [
    aiken,
    gift,
    moodle_xml,
    images,
    csv_format,
    sniffing,
    documents,
    decoding,
    yaml_reader,
    yaml_messages,
    validation,
    textmatch,
]
READER_PATTERNS = [
    (f"{module.__name__.rsplit('.', 1)[-1]}.{name}", value)
    for module in READER_MODULES
    for name, value in vars(module).items()
    if isinstance(value, re.Pattern)
]
#: The words the readers' lines start with, so that each regex gets past its first characters.
LINE_STARTS = [
    "",
    "EVIDENCE",
    "EVIDENCE [",
    "EVIDENCE [article]",
    "// evidence",
    "// evidence [",
    "// evidence [a]",
    "//",
    "ANSWER",
    "ANSWER:",
    "ANSWER: A",
    "EXPLANATION",
    "A.",
    "A)",
    "::",
    "$CATEGORY:",
    "[html]",
    "%",
    "%50",
    "{",
    "\\",
    "sep=",
    "choice",
    '"',
    "a.",
]
#: 64 KiB: a quadratic regex takes tens of seconds on it, a linear one milliseconds.
SPACES = " " * 65_536


def test_every_reader_regex_is_found():
    names = {name for name, _ in READER_PATTERNS}
    assert {"aiken._EVIDENCE", "gift._EVIDENCE", "csv_format._QUOTED"} <= names


@pytest.mark.parametrize(("name", "pattern"), READER_PATTERNS, ids=[n for n, _ in READER_PATTERNS])
def test_each_reader_regex_is_linear_on_long_runs_of_spaces(name, pattern):
    """search, match and fullmatch on '<line start><64 KiB of spaces><end>' for every line start
    the readers know: a regex that backtracks over the run takes seconds on any one of them."""
    for start in LINE_STARTS:
        for end in ("", "x", ":", "]", "\n"):
            subject = f"{start}{SPACES}{end}"
            for method in (pattern.search, pattern.match, pattern.fullmatch):
                started = time.perf_counter()
                method(subject)
                elapsed = time.perf_counter() - started
                # A linear regex takes milliseconds here; a quadratic one, seconds to minutes.
                assert elapsed < 1.0, (
                    f"{name}.{method.__name__}({start!r}...{end!r}): {elapsed:.1f} s"
                )


AIKEN_QUESTION = "Who said it?\nA. Ana Ortiz\nB. Ben Frank\nANSWER: A\n"
GIFT_QUESTION = "::q1:: Who said it? {=Ana Ortiz ~Ben Frank}\n"
HOSTILE_LINES = {
    "aiken-evidence.aiken": f"{AIKEN_QUESTION}EVIDENCE{' ' * LONG}x\n",
    "aiken-evidence-source.aiken": f"{AIKEN_QUESTION}EVIDENCE [town-meeting]{' ' * LONG}x\n",
    "aiken-answer.aiken": f"Who said it?\nA. Ana Ortiz\nANSWER{' ' * LONG}x\n",
    "aiken-option.txt": f"Who said it?\nA.{' ' * LONG}x\nANSWER: A\n",
    "gift-evidence.gift": f"{GIFT_QUESTION}// evidence{' ' * LONG}x\n",
    "gift-evidence-source.gift": f"{GIFT_QUESTION}// evidence [town-meeting]{' ' * LONG}x\n",
    "gift-title.gift": f"::{' ' * LONG}x {{=a ~b}}\n",
    "gift-weight.gift": f"::q:: Who? {{~%{' ' * LONG}x ~b}}\n",
    "gift-category.gift": f"$CATEGORY:{' ' * LONG}x\n\n{GIFT_QUESTION}",
    "gift-sniffed.txt": f"Who said it? {{{' ' * LONG}x\n",
    "csv-header.csv": f"type,prompt,explanation{' ' * LONG}x\nsingle_choice,a,b\n",
    "csv-sep.csv": f"sep={' ' * LONG};\ntype,prompt,explanation\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LINES))
def test_uploads_with_a_line_of_a_mebibyte_of_spaces_end_quickly(name):
    content = HOSTILE_LINES[name].encode("utf-8")
    assert len(content) <= MAX_FILE_BYTES
    within(BOUND, lambda: parse_upload(name, content, sources=SOURCES))


# --- 2. Evidence: caps, excerpts, spans sorted once --------------------------------------------


def _question(number: int, quotes: list[str]) -> Question:
    return Question(
        id=f"q{number}",
        type="true_false",
        prompt="True?",
        explanation="Because.",
        answer=True,
        evidence=tuple(Evidence("long", quote) for quote in quotes),
    )


def test_a_preview_of_many_quotes_in_a_long_source_is_quick_and_small():
    """100 quotes on a 200,000-character source made a page of tens of megabytes (each quote
    showed its whole paragraph); the preview now costs each quote its excerpt, however long the
    source and its paragraphs."""
    lines = [f"Line {number} of the report." for number in range(MAX_SOURCE_CHARS // 24)]
    # Short paragraphs at the start, then one paragraph as long as the rest of the source.
    text = ("\n".join(lines[:2_000]) + "\n" + " ".join(lines[2_000:]))[:MAX_SOURCE_CHARS]
    quotes = [lines[number * 60] for number in range(100)]
    content = QuestionSet(
        id="long-source",
        title="Long source",
        questions=tuple(_question(n, quotes[n * 20 : n * 20 + 20]) for n in range(5)),
        sources={"long": Source("long", "Long", text)},
    )
    started = time.perf_counter()
    previews = preview(content)
    elapsed = time.perf_counter() - started
    assert elapsed < BOUND, f"took {elapsed:.1f} s"
    shown = [evidence for item in previews for evidence in item.evidence]
    assert len(shown) == 100
    assert all(any(segment.mark for segment in evidence.paragraph) for evidence in shown)
    shown_chars = sum(len(s.text) for evidence in shown for s in evidence.paragraph)
    # Each quote (about 30 characters) with at most its context on either side.
    assert shown_chars <= 100 * (2 * EXCERPT_CONTEXT_CHARS + 40), f"{shown_chars:,} characters"


def test_an_excerpt_of_a_single_huge_paragraph_is_bounded():
    text = "word " * (MAX_SOURCE_CHARS // 5 - 10) + "the quote itself " + "word " * 5
    quote_at = text.index("the quote itself")
    segments = textmatch.evidence_excerpt(
        text, (quote_at, quote_at + 16), EXCERPT_CONTEXT_CHARS, EXCERPT_MARK_CHARS
    )
    assert "".join(s.text for s in segments if s.mark) == "the quote itself"
    assert sum(len(s.text) for s in segments) <= 2 * EXCERPT_CONTEXT_CHARS + 16 + 2
    assert segments[0].text.startswith("…")


def test_a_long_quote_is_shown_by_its_start_and_end():
    text = "Before. " + "x" * 50_000 + " After."
    segments = textmatch.evidence_excerpt(text, (8, 50_008), 20, EXCERPT_MARK_CHARS)
    marked = [s for s in segments if s.mark]
    assert sum(len(s.text) for s in marked) == EXCERPT_MARK_CHARS
    assert " … " in [s.text for s in segments if not s.mark]


def test_highlighting_many_spans_in_many_paragraphs_is_linear():
    text = "\n".join(f"Paragraph {number}." for number in range(20_000))
    # In reverse order: marks keep the numbers of the spans as given, whatever their order.
    spans = [(m.start(), m.end()) for m in re.finditer(r"Paragraph \d+0\.", text)][::-1]
    started = time.perf_counter()
    paragraphs = textmatch.highlight_paragraphs(text, spans)
    elapsed = time.perf_counter() - started
    assert elapsed < BOUND, f"took {elapsed:.1f} s"
    assert len(paragraphs) == 20_000
    assert sum(1 for p in paragraphs for s in p if s.mark) == len(spans)
    assert [s.mark for s in paragraphs[10]] == [len(spans)]
    assert [s.mark for s in paragraphs[20]] == [len(spans) - 1]


def _validate(questions: list[dict[str, object]]) -> object:
    """Run the one validator on a set of these questions quoting the town-meeting report (the
    document is built in memory: PyYAML would spend seconds reading a thousand quotes)."""
    document = {
        "format": "quizapp/1",
        "id": "many-quotes",
        "title": "Many quotes",
        "sources": {"article": {"title": "Article", "text": SOURCE}},
        "questions": questions,
    }
    return validation.validate_document(RawDocument(document), "set.yaml")


def _true_false(number: int, quotes: int) -> dict[str, object]:
    return {
        "id": f"q{number}",
        "type": "true_false",
        "prompt": "The council will vote next month.",
        "answer": True,
        "explanation": "The report says so.",
        "evidence": [
            {"source": "article", "quote": "The council will vote next month"}
            for _ in range(quotes)
        ],
    }


def test_a_question_with_too_many_quotes_is_refused():
    with pytest.raises(QuestionSetError, match=f"at most {MAX_EVIDENCE_PER_QUESTION} evidence"):
        _validate([_true_false(1, MAX_EVIDENCE_PER_QUESTION + 1)])
    _validate([_true_false(1, MAX_EVIDENCE_PER_QUESTION)])


def test_a_set_with_too_many_quotes_is_refused_once():
    per_question = MAX_EVIDENCE_PER_QUESTION
    count = MAX_EVIDENCE_PER_SET // per_question + 3
    with pytest.raises(QuestionSetError) as refused:
        _validate([_true_false(n, per_question) for n in range(count)])
    messages = [str(issue) for issue in refused.value.issues]
    assert len(messages) == 1 and f"at most {MAX_EVIDENCE_PER_SET:,} evidence" in messages[0]
    _validate([_true_false(n, per_question) for n in range(count - 3)])


# --- 3. YAML aliases under x- keys -------------------------------------------------------------


def test_aliases_of_long_texts_under_x_keys_are_refused_by_their_size_in_characters():
    """A 10 KB file whose x- keys repeat one long text through a few aliases expanded to 74 MB
    of JSON in the database; its values are few, so only a bound in characters refuses it."""
    bomb = (
        f'x-a: &a "{"x" * 9_000}"\n'
        "x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "x-d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    )
    content = (bomb + MINI).encode("utf-8")
    assert len(content) < 20_000

    def upload() -> None:
        with pytest.raises(QuestionSetError, match="too much text"):
            parse_upload("set.yaml", content, sources=SOURCES)

    within(BOUND, upload)
    assert peak_memory(upload) < 32 * 2**20


def test_text_written_out_up_to_the_file_limit_is_not_refused_as_expanded():
    filler = "x" * (MAX_FILE_BYTES - len(MINI) - 100)
    content = (f'x-notes: "{filler}"\n' + MINI).encode("utf-8")
    assert parse_upload("set.yaml", content, sources=SOURCES).question_set.id == "civics-mini"


# --- 4. GIFT warnings and CSV headers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "answer"),
    [("partial-single.gift", "~%50%a{n}"), ("partial-short.gift", "=%50%a{n}")],
)
def test_thousands_of_gift_warnings_in_one_question_take_linear_time(name, answer):
    answers = " ".join(answer.format(n=n) for n in range(40_000))
    text = f"::q1:: Who said it? {{\n=Ana Ortiz\n{answers.replace(' ', chr(10))}\n}}\n"
    assert len(text) < MAX_FILE_BYTES
    within(BOUND, lambda: parse_upload(name, text.encode("utf-8")))


def test_a_csv_header_of_thousands_of_columns_takes_linear_time_and_one_message():
    header = ",".join(f"column {n}" for n in range(60_000)) + ",column 1"
    content = f"{header}\nsingle_choice,prompt,explanation\n".encode()
    assert len(content) < MAX_FILE_BYTES
    within(BOUND, lambda: parse_upload("wide.csv", content))
    with pytest.raises(QuestionSetError) as refused:
        parse_upload("wide.csv", content)
    messages = [str(issue) for issue in refused.value.issues]
    assert len(messages) == 3, messages  # the repeated name, the unknown ones, the missing ones
    assert any("'column 0', 'column 1'" in m and "59,995 more" in m for m in messages)
    assert sum(len(m) for m in messages) < 5_000


# --- 5. Sources that grow under NFKC -----------------------------------------------------------

#: ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: one character that NFKC writes as 18.
GROWING = "\ufdfa"


def test_a_source_that_grows_under_nfkc_is_refused_quickly_and_in_little_memory():
    source = GROWING * MAX_SOURCE_CHARS
    content = MINI.replace("town-meeting.txt", "growing.txt").encode("utf-8")

    def upload() -> None:
        with pytest.raises(QuestionSetError, match="normalised for quote matching"):
            parse_upload("set.yaml", content, sources={"growing.txt": source})

    within(BOUND, upload)
    assert peak_memory(upload) < 64 * 2**20


def test_a_quote_that_grows_under_nfkc_is_not_searched_for_at_its_full_size():
    quote = GROWING * 300_000

    def search() -> None:
        assert textmatch.find_quote(SOURCE, quote) is None

    within(BOUND, search)
    assert peak_memory(search) < 64 * 2**20


def test_ordinary_compatibility_characters_still_match():
    assert textmatch.find_quote("The ﬁrst vote", "The first vote") is not None
    assert textmatch.normalize_quote("  “Home  safe”\n") == '"Home safe"'


def test_reading_stops_at_the_value_that_passes_the_bound(monkeypatch):
    """The values are counted while the file is read, so a file of a mebibyte of tiny values is
    refused where it passes the bound, not after PyYAML has read all of it (tens of seconds)."""
    monkeypatch.setattr(yaml_reader, "MAX_EXPANDED_NODES", 1_000)
    content = ("x-many:\n" + "- 1\n" * 5_000 + MINI).encode("utf-8")
    with pytest.raises(QuestionSetError, match="too many values") as refused:
        parse_upload("set.yaml", content, sources=SOURCES)
    (issue,) = refused.value.issues
    assert 900 < (issue.line or 0) < 1_100, issue.line


def test_preview_set_and_print_pages_of_many_quotes_in_one_long_paragraph_stay_small(signed_in):
    """A small file quoting a source of one long paragraph a hundred times made a page of tens
    of megabytes (the whole paragraph for every quote); each quote now shows an excerpt."""
    sentences = [f"Sentence number {n} of the report." for n in range(5_800)]
    source = " ".join(sentences)[:MAX_SOURCE_CHARS]
    questions = [
        {
            **_true_false(number, 0),
            "evidence": [
                {"source": "article", "quote": sentences[number * 20 + i]} for i in range(20)
            ],
        }
        for number in range(5)
    ]
    document = {
        "format": "quizapp/1",
        "id": "long-paragraph",
        "title": "Long paragraph",
        "sources": {"article": {"title": "Article", "file": "long.txt"}},
        "questions": questions,
    }
    content = yaml.safe_dump(document).encode("utf-8")
    assert len(content) < 20_000
    teacher = signed_in("ms-lee", role="teacher")
    data = {
        "csrf_token": csrf_token(teacher, "/teach/upload"),
        "question_file": (io.BytesIO(content), "set.yaml"),
        "source_files": [(io.BytesIO(source.encode("utf-8")), "long.txt")],
    }
    staged = teacher.post("/teach/upload", data=data, content_type="multipart/form-data")
    assert staged.status_code == 302, staged.get_data(as_text=True)[-1000:]
    preview_url = staged.headers["Location"]
    pages = {"preview": teacher.get(preview_url)}
    post_form(teacher, preview_url + "/publish", {}, page=preview_url)
    pages["set"] = teacher.get("/teach/sets/long-paragraph")
    pages["answer key"] = teacher.get("/teach/sets/long-paragraph/versions/1/answer-key")
    for name, page in pages.items():
        assert page.status_code == 200, name
        body = page.get_data(as_text=True)
        shown = body.count('class="evidence"') if name == "answer key" else body.count("<mark>")
        assert shown == 100, name
        assert len(body) < 1_000_000, f"the {name} page is {len(body):,} characters"


def test_a_file_of_forty_thousand_problems_lists_the_first_and_counts_the_rest(signed_in):
    """Every problem used to be listed: a 1 MiB file made a page of megabytes. (400 KB here: the
    test client spools larger bodies to a file it does not close.)"""
    teacher = signed_in("ms-lee", role="teacher")
    content = b"ANSWER: A\n" * 40_000
    data = {
        "csrf_token": csrf_token(teacher, "/teach/upload"),
        "question_file": (io.BytesIO(content), "broken.aiken"),
    }
    response = teacher.post("/teach/upload", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "40,000 problems to fix" in page
    assert page.count("follows no question and options") == MAX_PROBLEMS_SHOWN
    assert f"… and {40_000 - MAX_PROBLEMS_SHOWN:,} more problems" in page
    assert len(page) < 200_000


def test_moodle_xml_text_of_many_angle_brackets_reads_in_linear_time():
    """Tags are dropped from names, criteria and texts; a text of "<" without ">" must not make
    each "<" scan to the end."""
    flood = "&lt;" * 200_000
    content = (
        '<?xml version="1.0"?>\n<quiz><question type="essay"><name><text>'
        f"{flood}</text></name><questiontext><text>Explain {flood}</text></questiontext>"
        f'<graderinfo format="html"><text>{"&lt;li&gt;" * 50_000}</text></graderinfo>'
        "</question></quiz>"
    ).encode()
    within(2, lambda: parse_upload("bank.xml", content))
