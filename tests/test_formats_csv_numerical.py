"""Numerical questions in CSV rows: value with tolerance, ranges, credit and feedback in the
answer cell, a tolerance column, and earlier files read as before."""

from __future__ import annotations

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import parse_upload
from quizapp.domain.model import NUMERICAL, SHORT_ANSWER, NumericAnswer, Question
from quizapp.domain.question_types import question_type

HEADER = "id,type,prompt,answer,tolerance,explanation"


def questions(text: str) -> tuple[Question, ...]:
    return parse_upload("numbers.csv", text.encode("utf-8")).question_set.questions


def test_answers_with_tolerance_range_credit_and_feedback_are_read() -> None:
    [born] = questions(
        f"{HEADER}\n"
        "grant,numerical,When was Grant born?,1822 ± 1 | 1815..1829 (50%) # Within seven years.,,"
        "April 1822.\n"
    )
    assert born.type == NUMERICAL
    assert born.answer == (
        NumericAnswer(1822.0, 1.0),
        NumericAnswer(1822.0, 7.0, 50.0, "Within seven years."),
    )
    kind = question_type(NUMERICAL)
    assert kind.grade(born, "1823").earned == born.points
    assert kind.grade(born, "1816").earned == born.points / 2
    assert kind.feedback(born, "1816") == ["Within seven years."]


def test_the_tolerance_column_and_decimal_commas_apply_to_bare_numbers() -> None:
    [rate, plus_minus] = questions(
        f"{HEADER}\n"
        'rate,number,What was the rate?,"2,5","0,1",The report says 2.5.\n'
        "share,numeric,What share voted?,40 +- 5 | 30 (0%) # Too low.,,Forty percent.\n"
    )
    assert rate.answer == (NumericAnswer(2.5, 0.1),)
    assert plus_minus.answer == (
        NumericAnswer(40.0, 5.0),
        NumericAnswer(30.0, 0.0, 0.0, "Too low."),
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("about twelve", "answer 1 must be a number, such as 1787 or 2.5"),
        ("12 | 20..10 (50%)", "answer 2 needs a number min and a number max"),
        ("12 (50%)", "give one answer full credit (100)"),
    ],
)
def test_a_wrong_answer_cell_is_named_with_its_line(answer: str, message: str) -> None:
    text = f"{HEADER}\nfirst,short_answer,Who?,Ana,,Ana.\n"
    text += f"count,numerical,How many?,{answer},,Twelve.\n"
    with pytest.raises(QuestionSetError) as caught:
        parse_upload("numbers.csv", text.encode("utf-8"))
    found = [(issue.line, issue.message) for issue in caught.value.issues]
    assert any(line == 3 and message in text_ for line, text_ in found), found


def test_a_row_without_a_type_is_numerical_by_its_tolerance_and_earlier_rows_read_as_before() -> (
    None
):
    [near, typed] = questions(
        "prompt,answer,tolerance,explanation\n"
        "How many members?,12,1,Twelve.\n"
        "How many seats?,12,,Twelve seats.\n"
    )
    assert (near.type, near.answer) == (NUMERICAL, (NumericAnswer(12.0, 1.0),))
    assert (typed.type, typed.answer) == (SHORT_ANSWER, ("12",))
