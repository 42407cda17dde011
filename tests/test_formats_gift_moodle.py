"""GIFT read as Moodle's importer reads it, each behaviour shown with a small snippet of our own:
what arrives, how it grades, and which student reads which feedback."""

from __future__ import annotations

import pytest

from quizapp.domain.formats import ParsedUpload, parse_upload
from quizapp.domain.grading import answer_key, grade_response
from quizapp.domain.model import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Question,
)
from quizapp.domain.question_types import type_of
from quizapp.domain.rich_text import render_text
from quizapp.presentation import also_accepted


def upload(text: str, **options: object) -> ParsedUpload:
    return parse_upload("bank.gift", text.encode("utf-8"), **options)  # type: ignore[arg-type]


def only(text: str) -> Question:
    (question,) = upload(text).question_set.questions
    return question


def score(question: Question, response: object) -> float:
    grade = grade_response(question, response)  # type: ignore[arg-type]
    return grade.earned / grade.possible


# §3: read what Moodle reads.


def test_an_empty_answer_before_the_right_one_is_dropped() -> None:
    question = only("How much does the Senate debate a bill? {~=some~a few}")
    assert (question.type, question.choices, question.answer) == (
        SINGLE_CHOICE,
        ("some", "a few"),
        "some",
    )


def test_a_tilde_makes_a_choice_question_even_beside_an_arrow() -> None:
    question = only("Which way does a veto go? {=President->Congress ~Congress->President}")
    assert question.type == SINGLE_CHOICE
    assert question.choices == ("President->Congress", "Congress->President")


def test_several_equals_answers_each_earn_full_marks() -> None:
    question = only("Where does Congress meet? {=The Capitol =Capitol Hill ~The White House}")
    assert question.type == SINGLE_CHOICE
    assert score(question, "The Capitol") == 1.0
    assert score(question, "Capitol Hill") == 1.0
    assert score(question, "The White House") == 0.0


def test_a_bare_answer_is_a_short_answer() -> None:
    question = only("How many senators does each state elect? {Two}")
    assert (question.type, question.answer) == (SHORT_ANSWER, ("Two",))
    assert score(question, "two") == 1.0
    assert score(question, "2") == 1.0


def test_a_short_answer_listed_twice_counts_once() -> None:
    question = only("Capital of France? {=Paris =paris =Paris =%50%PARIS =Lutetia}")
    assert question.answer == ("Paris", "Lutetia")
    assert question.credit == ()


def test_text_before_the_first_marker_is_a_choice_too() -> None:
    question = only("Which house is larger? {Senate ~Lords =House of Representatives}")
    assert question.choices == ("Senate", "Lords", "House of Representatives")
    assert question.answer == "House of Representatives"


# §4: grade as the file says.

EIGHT_BOXES = (
    "Which are in the Bill of Rights? {"
    + " ".join(f"~%25%Right {n}" for n in range(1, 5))
    + " "
    + " ".join(f"~%0%Not {n}" for n in range(1, 5))
    + "}"
)


def test_ticking_every_box_scores_the_sum_of_the_weights_as_moodle_does() -> None:
    question = only(EIGHT_BOXES)
    assert question.type == MULTIPLE_CHOICE
    assert score(question, list(question.choices)) == 1.0  # Moodle: 100%
    assert score(question, ["Right 1", "Right 2"]) == 0.5


def test_negative_weights_take_points_off_never_below_zero() -> None:
    question = only("Branches? {~%50%Congress ~%50%Courts ~%-50%Press ~%-100%Army}")
    assert score(question, ["Congress", "Courts"]) == 1.0
    assert score(question, ["Congress", "Courts", "Press"]) == 0.5
    assert score(question, ["Congress", "Army"]) == 0.0


@pytest.mark.parametrize(
    ("block", "given", "expected"),
    [
        ("{=Nazareth =%75%Nazereth ~%50%x}", "Nazereth", 0.75),
        ("{=Nazareth =%75%Nazereth}", "Nazareth", 1.0),
        ("{=Lincoln ~%50%Douglas ~Grant}", "Douglas", 0.5),
    ],
)
def test_partial_credit_is_kept_per_answer(block: str, given: str, expected: float) -> None:
    question = only(f"Name it. {block}")
    assert score(question, given) == pytest.approx(expected)


def test_a_star_in_a_short_answer_is_a_wildcard() -> None:
    question = only("Which amendment ended slavery? {=*thirteenth* =13th}")
    assert score(question, "The Thirteenth Amendment") == 1.0


# §5: feedback reaches the right student.


def test_true_false_feedback_is_kept_for_the_student_who_chose_wrong() -> None:
    question = only("Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}")
    assert question.type == TRUE_FALSE
    assert type_of(question).feedback(question, True) == ["No one is buried in Grant's tomb."]
    assert type_of(question).feedback(question, False) == []
    assert question.explanation == "The statement is false."


def test_per_answer_feedback_is_never_the_explanation_for_everyone() -> None:
    question = only("Who wrote it? {=Madison#Very good! ~Hamilton#He wrote others. ~Jay}")
    assert "Very good" not in question.explanation
    feedback = type_of(question).feedback
    assert feedback(question, "Madison") == ["Very good!"]
    assert feedback(question, "Hamilton") == ["He wrote others."]
    assert feedback(question, "Jay") == []


def test_general_feedback_stays_the_explanation() -> None:
    question = only("Who wrote it? {=Madison#Yes. ~Jay#No. ####Madison drafted it in 1789.}")
    assert question.explanation == "Madison drafted it in 1789."


def test_short_answer_feedback_follows_the_answer_typed() -> None:
    question = only("Name the city. {=Paris#Right. =%50%Lyon#Close. =%0%*#Not a French city?}")
    feedback = type_of(question).feedback
    assert feedback(question, "paris") == ["Right."]
    assert feedback(question, "Lyon") == ["Close."]
    assert feedback(question, "Berlin") == ["Not a French city?"]
    assert score(question, "Berlin") == 0.0


# §6: numerical, matching, descriptions and categories.


@pytest.mark.parametrize(
    ("block", "right", "wrong"),
    [
        ("{#1822}", ["1822"], ["1821"]),
        ("{#1822:5}", ["1817", "1827", "1822.5"], ["1816", "1828"]),
        ("{#1800..1850}", ["1800", "1850", "1825"], ["1799", "1851"]),
        ("{#=1822:0 =%50%1822:5}", ["1822"], ["1900"]),
    ],
)
def test_numerical_questions_arrive(block: str, right: list[str], wrong: list[str]) -> None:
    question = only(f"When was Grant born? {block}")
    assert question.type == NUMERICAL
    assert all(score(question, number) == 1.0 for number in right)
    assert all(score(question, number) == 0.0 for number in wrong)


def test_numerical_answers_keep_their_credit_and_feedback() -> None:
    question = only(
        "When was Grant born? {#=1822:0#Exactly. =%50%1822:5#Close. ####He was born in 1822.}"
    )
    assert score(question, "1825") == 0.5
    assert type_of(question).feedback(question, "1822") == ["Exactly."]
    assert type_of(question).feedback(question, "1825") == ["Close."]
    assert question.explanation == "He was born in 1822."


def test_matching_may_share_right_sides() -> None:
    question = only(
        "Sort them. {=Lincoln -> President =Washington -> President =Marshall -> Chief Justice}"
    )
    assert question.type == MATCHING
    options, _prompts = type_of(question).shown(question, seed=1)
    assert sorted(options) == ["Chief Justice", "President"]
    assert score(question, {"Lincoln": "President", "Washington": "President"}) == pytest.approx(
        2 / 3
    )


def test_twenty_choices_and_twenty_pairs_arrive() -> None:
    choices = " ".join(["=A0", *(f"~A{n}" for n in range(1, 20))])
    pairs = " ".join(f"=L{n} -> R{n}" for n in range(20))
    questions = upload(f"Pick. {{{choices}}}\n\nMatch. {{{pairs}}}\n").question_set.questions
    assert [len(questions[0].choices), len(questions[1].pairs)] == [20, 20]


def test_descriptions_become_the_instructions_of_the_questions_after_them() -> None:
    text = (
        "Read the Preamble before you answer.\n\n"
        "Who ordains the Constitution? {=We the People ~Congress}\n\n"
        "It aims at a more perfect union. {T}\n\n"
        "[html]<p>Now the <b>Bill of Rights</b>.</p>\n\n"
        "[html]<p>Which amendment protects speech?</p>{=First ~Second}\n\n"
        "$CATEGORY: Later\n\n"
        "A later question. {T}\n"
    )
    questions = upload(text).question_set.questions
    assert [q.instructions for q in questions] == [
        "Read the Preamble before you answer.",
        "Read the Preamble before you answer.",
        "<p>Now the <b>Bill of Rights</b>.</p>",
        "",
    ]


def test_instructions_in_html_for_a_plain_question_keep_their_words() -> None:
    question = only("[html]<p>Read <b>this</b> first.</p>\n\nA plain question. {T}\n")
    assert (question.text_format, question.instructions) == ("plain", "Read this first.")


# §1: Moodle's HTML.

MOODLE_QUESTION = (
    '::Signers::[html]<p dir="ltr" style="text-align: left;">Who signed&nbsp;the '
    '<strong>Constitution</strong>? <img src="@@PLUGINFILE@@/signing.png" alt="The signing">'
    "</p>{=<p>George Washington</p>#<p>Yes: he presided.</p> ~<p>Thomas Jefferson</p>"
    "#<p>He was in Paris.</p>}"
)


def test_an_html_question_arrives_in_its_format_and_renders_clean() -> None:
    parsed = upload(MOODLE_QUESTION)
    (question,) = parsed.question_set.questions
    assert question.text_format == "html"
    shown = render_text(question.prompt, question.text_format, inline=True)
    assert shown == "Who signed the <strong>Constitution</strong>?"
    assert render_text(question.choices[0], "html", inline=True) == "George Washington"
    assert question.feedback_for("<p>Thomas Jefferson</p>") == "<p>He was in Paris.</p>"
    missing = [w.message for w in parsed.warnings if "image" in w.message]
    assert missing == [
        "question 'signers' shows the image 'signing.png', which is not in the upload; "
        "the image is left out"
    ]


def test_a_wildcard_is_shown_to_students_as_an_ellipsis() -> None:
    """ "Also accepted: * Chen" read as a typo; the star stands for any words."""
    question = only("Who leads the library? {=Marisol Chen =* Chen =Dr Chen =5\\*}")
    assert question.answer[1:] == ("* Chen", "Dr Chen", "5\\*")
    assert also_accepted(question) == ["… Chen", "Dr Chen", "5*"]
    assert score(question, "Director Chen") == 1.0
    pattern_first = only("Which amendment? {=*thirteenth* =13th}")
    assert answer_key(pattern_first) == "…thirteenth…"  # the key shown, as the others are
    assert score(pattern_first, "The thirteenth one") == 1.0
