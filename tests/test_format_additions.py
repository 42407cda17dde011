"""The native format's additions for banks that come from Moodle: text formats, credit and
feedback per answer, numerical questions, instructions and category paths.

Each addition keeps the contract: every earlier file stays valid and grades the same.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.grading import grade_response
from quizapp.domain.loader import load_question_set_text
from quizapp.domain.model import Question, QuestionSet
from quizapp.domain.question_types import type_of
from quizapp.domain.serialization import set_from_document, set_to_document

HEAD = """\
format: quizapp/1
id: additions
title: Additions
sources:
  article: {title: Article, text: "The council met on Tuesday."}
questions:
"""


def load(questions: str) -> QuestionSet:
    return load_question_set_text(
        HEAD + textwrap.indent(textwrap.dedent(questions), "  "), "a.yaml"
    )


def one(questions: str) -> Question:
    return load(questions).questions[0]


def problems(questions: str) -> list[str]:
    with pytest.raises(QuestionSetError) as caught:
        load(questions)
    return [issue.message for issue in caught.value.issues]


def score(question: Question, response: object) -> float:
    grade = grade_response(question, response)  # type: ignore[arg-type]
    return grade.earned / grade.possible


def round_trip(question_set: QuestionSet) -> QuestionSet:
    stored = json.loads(json.dumps(set_to_document(question_set)))
    return set_from_document(stored)


# Multiple choice with credit: Moodle's sum of the picked choices' weights.

WEIGHTED = """\
- id: branches
  type: multiple_choice
  prompt: Which are branches of government?
  choices: [Legislative, Executive, Judicial, Electoral, Military]
  credit: {Legislative: 33.33333, Executive: 33.33333, Judicial: 33.33333, Electoral: -50, Military: -50}
  explanation: There are three.
"""


def test_weighted_choices_add_up_floored_at_zero_and_capped_at_full() -> None:
    question = one(WEIGHTED)
    assert question.answer == ("Legislative", "Executive", "Judicial")
    assert score(question, ["Legislative", "Executive", "Judicial"]) == pytest.approx(1.0)
    assert score(question, ["Legislative"]) == pytest.approx(1 / 3)
    # A negative weight takes its share off...
    assert score(question, ["Legislative", "Executive", "Electoral"]) == pytest.approx(1 / 6)
    # ...and the sum never goes below nothing.
    assert score(question, ["Electoral", "Military"]) == 0.0


def test_ticking_every_box_scores_what_the_weights_add_up_to() -> None:
    question = one(
        """\
        - id: all
          type: multiple_choice
          prompt: Which rights are in the First Amendment?
          choices: [Speech, Religion, Press, Assembly]
          credit: {Speech: 25, Religion: 25, Press: 25, Assembly: 25}
          explanation: All four.
        """
    )
    assert score(question, ["Speech", "Religion", "Press", "Assembly"]) == 1.0


def test_credit_and_answer_must_agree_and_scoring_is_not_given_twice() -> None:
    disagreeing = WEIGHTED.replace("  credit:", "  answer: [Legislative]\n  credit:")
    assert problems(disagreeing) == ["answer must list exactly the choices whose credit is above 0"]
    with_scoring = WEIGHTED.replace("  credit:", "  scoring: partial\n  credit:")
    assert problems(with_scoring) == ["credit gives each choice its score; remove 'scoring:'"]
    unknown = WEIGHTED.replace("Military: -50}", "Navy: -50}")
    assert problems(unknown) == ["credit names 'Navy', which is not one of the choices"]
    too_much = WEIGHTED.replace("Military: -50}", "Military: -150}")
    assert problems(too_much) == ["the credit of 'Military' must be from -100 to 100 percent"]


def test_an_old_multiple_choice_grades_as_before() -> None:
    old = """\
    - id: old
      type: multiple_choice
      prompt: Which?
      choices: [A, B, C, D]
      answer: [A, B]
      scoring: partial
      explanation: A and B.
    """
    question = one(old)
    assert question.credit == ()
    assert score(question, ["A"]) == 0.5
    assert score(question, ["A", "C"]) == 0.0
    assert score(question, ["A", "B", "C", "D"]) == 0.0  # our own partial rule, unchanged


# Single choice and short answer: part of the points for some answers.


def test_single_choice_credit_gives_part_of_the_points_and_several_full_answers() -> None:
    question = one(
        """\
        - id: capital
          type: single_choice
          prompt: Where does Congress meet?
          choices: [The Capitol, Capitol Hill, The White House, Philadelphia]
          answer: The Capitol
          credit: {Capitol Hill: 100, Philadelphia: 50}
          explanation: In the Capitol.
        """
    )
    assert score(question, "The Capitol") == 1.0
    assert score(question, "Capitol Hill") == 1.0
    assert score(question, "Philadelphia") == 0.5
    assert score(question, "The White House") == 0.0


def test_short_answer_credit_is_kept_per_answer() -> None:
    question = one(
        """\
        - id: town
          type: short_answer
          prompt: Where was Jesus raised?
          answer: [Nazareth]
          credit: {Nazereth: 75, "Gal*": 25}
          feedback: {Nazereth: Check the spelling.}
          explanation: Nazareth, in Galilee.
        """
    )
    assert score(question, "nazareth") == 1.0
    assert score(question, "Nazereth") == 0.75
    assert score(question, "Galilee") == 0.25
    assert score(question, "Rome") == 0.0
    assert type_of(question).feedback(question, "Nazereth") == ["Check the spelling."]
    assert type_of(question).feedback(question, "Nazareth") == []
    assert problems(
        """\
        - id: twice
          type: short_answer
          prompt: P
          answer: [Nazareth]
          credit: {Nazareth: 50}
          explanation: E
        """
    ) == ["'Nazareth' is an accepted answer; leave it out of credit"]


# Feedback per answer: only for the answer given.


def test_feedback_belongs_to_the_choice_picked() -> None:
    question = one(
        """\
        - id: tomb
          type: single_choice
          prompt: Who is buried in Grant's tomb?
          choices: [Grant, No one]
          answer: No one
          feedback: {Grant: They are entombed above ground., No one: Right.}
          explanation: Grant and his wife lie above ground.
        """
    )
    feedback = type_of(question).feedback
    assert feedback(question, "Grant") == ["They are entombed above ground."]
    assert feedback(question, "No one") == ["Right."]
    assert question.explanation == "Grant and his wife lie above ground."


def test_true_false_feedback_is_per_truth_value() -> None:
    question = one(
        """\
        - id: tomb-tf
          type: true_false
          prompt: Grant is buried in Grant's tomb.
          answer: false
          feedback: {true: No one is buried there., false: Right.}
          explanation: The tomb holds them above ground.
        """
    )
    assert type_of(question).feedback(question, True) == ["No one is buried there."]
    assert type_of(question).feedback(question, False) == ["Right."]
    assert round_trip(load(HEAD_LESS_TF)).questions[0].feedback == question.feedback


HEAD_LESS_TF = """\
- id: tomb-tf
  type: true_false
  prompt: Grant is buried in Grant's tomb.
  answer: false
  feedback: {true: No one is buried there., false: Right.}
  explanation: The tomb holds them above ground.
"""


# Numerical questions.

NUMERICAL = """\
- id: born
  type: numerical
  prompt: In what year was Ulysses S. Grant born?
  answer:
    - {value: 1822, feedback: Exactly.}
    - {value: 1822, tolerance: 2, credit: 50, feedback: Close.}
    - {min: 1800, max: 1850, credit: 10}
  explanation: He was born in 1822.
"""


def test_a_numerical_answer_earns_the_best_credit_whose_range_holds_it() -> None:
    question = one(NUMERICAL)
    assert score(question, "1822") == 1.0
    assert score(question, "1823.5") == 0.5
    assert score(question, "1820") == 0.5  # the ends of a tolerance are inside it
    assert score(question, "1849") == 0.1
    assert score(question, "1900") == 0.0
    assert type_of(question).feedback(question, "1824") == ["Close."]
    assert type_of(question).key(question) == "1822"


@pytest.mark.parametrize(
    ("typed", "number"),
    [("2,5", 2.5), ("1,000", 1000.0), ("1 000 000", 1_000_000.0), ("\u22123", -3.0), (" 7 ", 7.0)],
)
def test_numbers_are_read_as_students_type_them(typed: str, number: float) -> None:
    from quizapp.domain.question_types.numerical import read_number

    assert read_number(typed) == number


def test_a_numerical_question_refuses_what_is_not_a_number() -> None:
    question = one(
        "- {id: n, type: numerical, prompt: P, answer: 3, tolerance: 0.5, explanation: E}"
    )
    assert score(question, "3.5") == 1.0
    from quizapp.domain.grading import InvalidResponse, clean_response

    with pytest.raises(InvalidResponse):
        clean_response(question, "three-ish")
    assert problems("- {id: n, type: numerical, prompt: P, answer: many, explanation: E}") == [
        "answer 1 must be a number, such as 1787 or 2.5"
    ]
    assert problems(
        "- {id: n, type: numerical, prompt: P, answer: [{value: 3, credit: 50}], explanation: E}"
    ) == ["give one answer full credit (100)"]


def test_numerical_questions_survive_storage() -> None:
    question_set = load(NUMERICAL)
    assert round_trip(question_set).questions == question_set.questions


# Text formats, instructions and category paths.


def test_text_format_instructions_and_category_paths_are_kept() -> None:
    question_set = load(
        """\
        - id: html
          type: single_choice
          text_format: html
          instructions: <p>Read the <b>article</b> first.</p>
          category: unit-1/reading
          prompt: <p>Who <em>met</em>?</p>
          choices: [<b>The council</b>, The court]
          answer: <b>The council</b>
          explanation: The council met.
        - id: other
          type: true_false
          category: unit-2/reading
          prompt: It met on Tuesday.
          answer: true
          explanation: On Tuesday.
        """
    )
    first, second = question_set.questions
    assert (first.text_format, first.category, second.category) == (
        "html",
        "unit-1/reading",
        "unit-2/reading",
    )
    assert first.instructions == "<p>Read the <b>article</b> first.</p>"
    assert round_trip(question_set).questions == question_set.questions
    assert problems(
        "- {id: m, type: true_false, text_format: rtf, prompt: P, answer: true, explanation: E}"
    ) == ["text_format must be one of plain, html, markdown, not 'rtf'"]


def test_a_file_without_the_additions_stores_exactly_as_before() -> None:
    question_set = load(
        """\
        - {id: a, type: single_choice, prompt: P, choices: [x, y], answer: x, explanation: E}
        - {id: b, type: short_answer, prompt: P, answer: [x], explanation: E}
        - {id: c, type: true_false, prompt: P, answer: true, explanation: E}
        """
    )
    written = set_to_document(question_set)["questions"]
    added = {"text_format", "instructions", "credit", "feedback"}
    assert all(not added & set(question) for question in written)
