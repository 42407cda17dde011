"""Item analysis, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from quizapp.domain.model import Question
from quizapp.domain.selection import draw_questions
from quizapp.domain.spreadsheet import safe_cell, to_csv
from quizapp.domain.statistics import GradedResponse, analyse, counted_fraction, histogram

Q1 = Question(
    id="q1",
    type="single_choice",
    prompt="P1",
    explanation="E",
    category="facts",
    choices=("A", "B", "C"),
    answer="A",
)
Q2 = Question(
    id="q2", type="true_false", prompt="P2", explanation="E", category="facts", answer=True
)
Q3 = Question(
    id="q3",
    type="multiple_choice",
    prompt="P3",
    explanation="E",
    category="civics",
    points=2,
    choices=("X", "Y", "Z"),
    answer=("X", "Y"),
    scoring="partial",
)

# attempt: (q1 earned, pick), (q2 earned, pick), (q3 earned, picks); totals 4, 2, 1, 2.
ROWS = [
    GradedResponse(1, "q1", 1, 1, "A"), GradedResponse(1, "q2", 1, 1, True), GradedResponse(1, "q3", 2, 2, ["X", "Y"]),
    GradedResponse(2, "q1", 1, 1, "A"), GradedResponse(2, "q2", 0, 1, False), GradedResponse(2, "q3", 1, 2, ["X"]),
    GradedResponse(3, "q1", 0, 1, "B"), GradedResponse(3, "q2", 1, 1, True), GradedResponse(3, "q3", 0, 2, ["Z"]),
    GradedResponse(4, "q1", 0, 1, "C"), GradedResponse(4, "q2", 0, 1, None), GradedResponse(4, "q3", 2, 2, ["X", "Y"]),
]  # fmt: skip


def test_facility_discrimination_distractors_and_categories():
    analysis = analyse([Q1, Q2, Q3], ROWS)
    q1, q2, q3 = analysis.items
    assert analysis.attempts == 4
    assert [q1.facility, q2.facility, q3.facility] == pytest.approx([0.5, 0.5, 0.625])
    # q1: item (1,1,0,0) against the rest (3,1,1,2): r = 0.5 / sqrt(1 * 2.75)
    assert q1.discrimination == pytest.approx(0.30151, abs=1e-5)
    # q2: item (1,0,1,0) against the rest (3,2,0,2): r = -0.5 / sqrt(1 * 4.75)
    assert q2.discrimination == pytest.approx(-0.22942, abs=1e-5)
    assert q1.picks == {"A": 2, "B": 1, "C": 1}
    assert q2.picks == {"True": 2, "False": 1}
    assert q3.picks == {"X": 3, "Y": 2, "Z": 1}
    assert [q1.correct_choices, q2.correct_choices, q3.correct_choices] == [
        {"A"},
        {"True"},
        {"X", "Y"},
    ]
    assert analysis.category_means == pytest.approx({"civics": 0.625, "facts": 0.5})


def test_discrimination_needs_variation():
    same = [GradedResponse(i, "q1", 1, 1, "A") for i in range(3)]
    assert analyse([Q1], same).items[0].discrimination is None
    assert analyse([Q1], []).items[0].facility is None


@pytest.mark.parametrize(("rule", "expected"), [("best", 0.9), ("last", 0.5), ("average", 0.6)])
def test_counted_fraction(rule, expected):
    assert counted_fraction([0.4, 0.9, 0.5], rule) == pytest.approx(expected)
    assert counted_fraction([], rule) is None


def test_histogram_bands():
    assert histogram([0, 9.9, 10, 55, 100, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (-3, "-3"),
        (2.5, "2.5"),
        (None, ""),
    ],
)
def test_formula_injection_is_escaped(value, cell):
    assert safe_cell(value) == cell


def test_csv_has_a_byte_order_mark_and_crlf():
    text = to_csv(["a", "b"], [["=1", 2]])
    assert text.startswith("\ufeffa,b\r\n")
    assert "'=1,2\r\n" in text


def _question(qid: str, category: str) -> Question:
    return Question(
        id=qid, type="true_false", prompt=qid, explanation="E", category=category, answer=True
    )


def test_draws_are_seeded_and_balanced():
    questions = (
        [_question(f"a{i}", "a") for i in range(6)]
        + [_question(f"b{i}", "b") for i in range(2)]
        + [_question("c0", "c")]
    )
    assert draw_questions(questions, 7) == draw_questions(questions, 7)
    assert sorted(draw_questions(questions, 7)) == sorted(q.id for q in questions)
    drawn = draw_questions(questions, 7, count=6, balanced=True)
    assert len(drawn) == len(set(drawn)) == 6
    assert {qid[0] for qid in drawn} == {"a", "b", "c"}
    assert sum(qid.startswith("b") for qid in drawn) == 2 and "c0" in drawn
    assert len(draw_questions(questions, 3, count=4)) == 4
