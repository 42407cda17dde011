"""The marking rules in plain Python: typed answers counted as the grader compares them, and a
rubric's points checked before they become a score."""

from __future__ import annotations

import pytest

from quizapp.domain.grades import InvalidResponse
from quizapp.domain.marking import rubric_score, typed_answers
from quizapp.domain.model import Criterion, Question
from quizapp.domain.statistics import GradedResponse

SHORT = Question("q", "short_answer", "Which amendment?", "", answer=("Eighth Amendment",))
CHOICE = Question("c", "single_choice", "Who?", "", choices=("A", "B"), answer="A")
WRITTEN = Question(
    "w",
    "written_response",
    "Explain.",
    "",
    points=3,
    rubric=(Criterion(2, "Names it"), Criterion(1, "Quotes")),
)


def row(attempt: int, question: str, answer, earned: float = 0.0) -> GradedResponse:
    return GradedResponse(attempt, question, earned, 1.0, answer)


def test_typed_answers_group_by_the_graders_form_and_count_right_and_wrong() -> None:
    rows = [
        row(1, "q", "8th amendment"),
        row(2, "q", "8th Amendment!"),
        row(3, "q", " 8th  amendment "),
        row(4, "q", "Eighth Amendment", 1.0),
        row(5, "q", None),  # unanswered
        row(6, "q", "?!"),  # nothing left once punctuation goes
        row(7, "c", "B"),  # not a short answer
    ]
    found = typed_answers([SHORT, CHOICE], rows, {("q", "8thamendment")})
    assert list(found) == ["q"]
    first, second = found["q"]
    assert (first.form, first.shown, first.count, first.right, first.wrong) == (
        "8thamendment",
        "8th amendment",
        3,
        0,
        3,
    )
    assert first.accepted and not second.accepted
    assert (second.shown, second.count, second.right, second.wrong) == ("Eighth Amendment", 1, 1, 0)


def test_the_spelling_shown_is_the_one_typed_most() -> None:
    rows = [row(1, "q", "eighth"), row(2, "q", "EIGHTH"), row(3, "q", "EIGHTH")]
    (only,) = typed_answers([SHORT], rows, set())["q"]
    assert (only.shown, only.count) == ("EIGHTH", 3)


def test_a_rubric_score_is_the_sum_of_points_each_within_its_criterion() -> None:
    assert rubric_score(WRITTEN, [2, 1]) == 3.0
    assert rubric_score(WRITTEN, [0, 0]) == 0.0


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([3, 0], "Criterion 1 takes 0 to 2 points, not 3."),
        ([1, -1], "Criterion 2 takes 0 to 1 point, not -1."),
        ([1], "Give a score for each of the 2 criteria."),
    ],
)
def test_points_outside_the_rubric_are_refused(points, message) -> None:
    with pytest.raises(InvalidResponse, match=message):
        rubric_score(WRITTEN, points)
