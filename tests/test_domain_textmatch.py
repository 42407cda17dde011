"""Evidence quotes: the normalisation of the format, and highlighting in place."""

from __future__ import annotations

import pytest

from quizapp.domain.textmatch import closest_passage, find_quote, highlight_paragraphs

SOURCE = "Trump said it would be “a great deterrent—send them to other countries,” he said.\nRubio’s  offer\tstands."


@pytest.mark.parametrize(
    "quote",
    [
        '"a great deterrent-send them to other countries,"',  # straight quotes, hyphen
        "“a great deterrent—send them”".replace("”", "")[:-1],  # curly quotes kept
        "a great deterrent–send them",  # en dash for em dash
        "Rubio's offer stands.",  # straight apostrophe, white space folded
        "  Rubio’s offer stands.  ",  # surrounding space ignored
        "ﬁ".join([""]) + "Rubio’s offer",  # NFKC applies (no ligature here, still found)
    ],
)
def test_quotes_match_after_normalisation(quote: str) -> None:
    assert find_quote(SOURCE, quote) is not None


@pytest.mark.parametrize(
    "quote", ["rubio's offer stands.", "Rubio's offer stands!", "great  deterrent, send"]
)
def test_case_and_other_characters_must_match(quote: str) -> None:
    assert find_quote(SOURCE, quote) is None


def test_span_maps_back_to_the_original_text() -> None:
    start, end = find_quote(SOURCE, "Rubio's offer stands.")
    assert SOURCE[start:end] == "Rubio’s  offer\tstands."


def test_nfkc_compatibility_characters_match() -> None:
    source = "The ﬁnal report: No. 1 in ａｌｌ respects."
    start, end = find_quote(source, "final report: No. 1 in all")
    assert source[start:end] == "ﬁnal report: No. 1 in ａｌｌ"


def test_combining_accents_match_precomposed() -> None:
    source = "El Salvador\u0301s cafe\u0301 and café."
    assert find_quote(source, "café and café") is not None


def test_closest_passage_points_at_the_nearest_sentence() -> None:
    source = "First sentence about cats. Rubio described it as an act of extraordinary friendship. Last one."
    assert "extraordinary friendship" in closest_passage(source, "an act of ordinary friendship")


def test_closest_passage_prefers_the_sentence_with_the_quotes_words() -> None:
    """A ratio alone pointed "The cow sat" at "The dog barked.", the shorter sentence."""
    source = "The cat sat on the mat. The dog barked."
    assert closest_passage(source, "The cow sat") == "The cat sat on the mat."
    assert closest_passage(source, "The dgo barked") == "The dog barked."


def test_highlight_marks_span_and_keeps_paragraphs() -> None:
    text = "One two three.\nFour five six."
    start, end = find_quote(text, "three. Four")
    paragraphs = highlight_paragraphs(text, [(start, end)])
    assert [[(s.text, s.mark) for s in p] for p in paragraphs] == [
        [("One two ", None), ("three.", 1)],
        [("Four", 1), (" five six.", None)],
    ]


def test_highlight_without_spans_is_plain_paragraphs() -> None:
    paragraphs = highlight_paragraphs("A.\n\nB.", [])
    assert [[s.text for s in p] for p in paragraphs] == [["A."], ["B."]]
