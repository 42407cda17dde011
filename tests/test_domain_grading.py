"""Grading per question type, with the edge cases the format describes."""

from __future__ import annotations

import pytest

from quizapp.domain.grading import (
    GRADERS,
    InvalidResponse,
    answer_key,
    clean_response,
    grade_response,
    normalize_short_answer,
)
from quizapp.domain.model import Question
from quizapp.domain.question_types import QUESTION_TYPES


def q(**fields: object) -> Question:
    base: dict[str, object] = {"id": "q", "prompt": "P", "explanation": "E"}
    base.update(fields)
    return Question(**base)  # type: ignore[arg-type]


SINGLE = q(type="single_choice", choices=("Rubio", "Trump", "Bukele"), answer="Rubio", points=2)
MULTI = q(type="multiple_choice", choices=("A", "B", "C", "D"), answer=("A", "B"), points=4)
MULTI_PARTIAL = q(
    type="multiple_choice",
    choices=("A", "B", "C", "D"),
    answer=("A", "B"),
    points=4,
    scoring="partial",
)
TF = q(type="true_false", answer=False)
SHORT = q(type="short_answer", answer=("Eighth Amendment", "8th"))
MATCH = q(
    type="matching",
    pairs=(("Trump", "heartbeat"), ("Rubio", "friendship"), ("Reichlin-Melnick", "illegal")),
    points=3,
)
ORDER = q(type="ordering", items=("first", "second", "third"))


def test_every_type_has_a_registered_grader() -> None:
    assert set(GRADERS) == set(QUESTION_TYPES)


@pytest.mark.parametrize(
    ("question", "response", "earned", "outcome"),
    [
        (SINGLE, "Rubio", 2, "correct"),
        (SINGLE, "Trump", 0, "incorrect"),
        (SINGLE, "", 0, "unanswered"),
        (SINGLE, None, 0, "unanswered"),
        (SINGLE, "Nobody", 0, "incorrect"),  # an unknown choice earns nothing
        (MULTI, ["A", "B"], 4, "correct"),
        (MULTI, ["B", "A", "A"], 4, "correct"),  # duplicate picks count once
        (MULTI, ["A"], 0, "incorrect"),
        (MULTI, ["A", "B", "C"], 0, "incorrect"),
        (MULTI, [], 0, "unanswered"),
        (MULTI_PARTIAL, ["A"], 2, "partial"),
        (MULTI_PARTIAL, ["A", "B", "C"], 2, "partial"),  # (2 right - 1 wrong) / 2 correct
        (MULTI_PARTIAL, ["A", "C", "D"], 0, "incorrect"),  # floored at 0
        (MULTI_PARTIAL, ["A", "A"], 2, "partial"),
        (MULTI_PARTIAL, ["A", "Z"], 0, "incorrect"),  # an unknown pick voids the response
        (TF, False, 1, "correct"),
        (TF, True, 0, "incorrect"),
        (TF, "false", 1, "correct"),
        (TF, None, 0, "unanswered"),
        (SHORT, "eighth amendment", 1, "correct"),
        (SHORT, "  Eighth   Amendment!  ", 1, "correct"),
        (SHORT, "EIGHTH-AMENDMENT", 1, "correct"),  # punctuation and inner spaces do not count
        (SHORT, "8TH.", 1, "correct"),
        (SHORT, "Fifth Amendment", 0, "incorrect"),
        (SHORT, "   ", 0, "unanswered"),
        (
            MATCH,
            {"Trump": "heartbeat", "Rubio": "friendship", "Reichlin-Melnick": "illegal"},
            3,
            "correct",
        ),
        (
            MATCH,
            {"Trump": "heartbeat", "Rubio": "illegal", "Reichlin-Melnick": "friendship"},
            1,
            "partial",
        ),
        (MATCH, {"Trump": "heartbeat"}, 1, "partial"),
        (MATCH, {}, 0, "unanswered"),
        (ORDER, ["first", "second", "third"], 1, "correct"),
        (ORDER, ["second", "first", "third"], 0, "incorrect"),
        (ORDER, ["first", "first", "third"], 0, "incorrect"),
    ],
)
def test_grades(question: Question, response: object, earned: float, outcome: str) -> None:
    grade = grade_response(question, response)  # type: ignore[arg-type]
    assert grade.earned == pytest.approx(earned)
    assert grade.possible == question.points
    assert grade.outcome == outcome


@pytest.mark.parametrize(
    "text",
    [
        "Eighth Amendment",
        "eighth amendment",
        "Éighth Amendment",
        " eighth  amendment. ",
        "“Eighth” Amendment",
    ],
)
def test_short_answer_normalisation_folds_case_accents_punctuation_and_space(text: str) -> None:
    assert normalize_short_answer(text) == "eighth amendment"


@pytest.mark.parametrize(
    ("typed", "outcome"),
    [
        ("2.5 hours", "correct"),
        ("2,5 hours", "correct"),
        ("25 hours", "incorrect"),
        ("1/2", "incorrect"),
    ],
)
def test_numbers_keep_their_decimal_point(typed: str, outcome: str) -> None:
    question = q(type="short_answer", answer=("2.5 hours",))
    assert grade_response(question, typed).outcome == outcome


def test_short_answer_accents_in_accepted_answers_match_plain_letters() -> None:
    question = q(type="short_answer", answer=("Nayib Bukele", "Bukelé"))
    assert grade_response(question, "bukele").outcome == "correct"


@pytest.mark.parametrize(
    ("question", "response", "message"),
    [
        (SINGLE, "Nobody", "Choose one of the options shown."),
        (MULTI, ["A", "Z"], "Choose only from the options shown."),
        (TF, "maybe", "Choose True or False."),
        (SHORT, "x" * 501, "under 500 characters"),
        (MATCH, {"Trump": "nonsense"}, "Choose each match from the options shown."),
        (MATCH, {"Nobody": "heartbeat"}, "Match only the items shown."),
        (ORDER, ["first", "second"], "Put every item in a different position."),
    ],
)
def test_clean_rejects_what_the_question_does_not_offer(
    question: Question, response: object, message: str
) -> None:
    with pytest.raises(InvalidResponse, match=message):
        clean_response(question, response)


def test_clean_drops_duplicate_picks_and_keeps_question_order() -> None:
    assert clean_response(MULTI, ["B", "A", "B"]) == ["A", "B"]


@pytest.mark.parametrize(
    ("question", "key"),
    [
        (SINGLE, "Rubio"),
        (MULTI, ["A", "B"]),
        (TF, False),
        (SHORT, "Eighth Amendment"),
        (MATCH, {"Trump": "heartbeat", "Rubio": "friendship", "Reichlin-Melnick": "illegal"}),
        (ORDER, ["first", "second", "third"]),
    ],
)
def test_answer_key_earns_full_points(question: Question, key: object) -> None:
    assert answer_key(question) == key
    assert grade_response(question, answer_key(question)).outcome == "correct"
