"""Aiken uploads: single-choice questions, leniently read, with errors on their lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import ParsedUpload, parse_upload
from quizapp.domain.model import SINGLE_CHOICE

DATA = Path(__file__).resolve().parent / "data" / "formats"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "question-format.md"
SOURCES = {"town-meeting.txt": (DATA / "sources" / "town-meeting.txt").read_text("utf-8")}


def upload(text: str, name: str = "quiz.aiken", **options: object) -> ParsedUpload:
    options.setdefault("sources", SOURCES)
    return parse_upload(name, text.encode("utf-8"), **options)  # type: ignore[arg-type]


def errors(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(QuestionSetError) as caught:
        upload(text)
    return [(i.line, i.question_id, i.message) for i in caught.value.issues]


def test_the_good_file_loads() -> None:
    parsed = upload((DATA / "good" / "civics.aiken").read_text("utf-8"))
    assert parsed.format == "aiken"
    one, two, three = parsed.question_set.questions
    assert {q.type for q in (one, two, three)} == {SINGLE_CHOICE}
    assert (one.id, one.answer, one.explanation) == (
        "q1",
        "Ana Ortiz",
        "The correct answer is Ana Ortiz.",
    )
    assert one.evidence[0].source == "town-meeting"
    assert two.prompt == "When will the council vote on the curfew?"
    assert two.choices == ("On Monday", "Next month", "It has already voted")
    assert (two.answer, two.explanation) == (
        "Next month",
        "The report says the vote is next month.",
    )
    assert three.prompt == "Which U.S. amendment protects the right to assemble?"
    assert [(w.line, w.question_id) for w in parsed.warnings] == [(16, "q3")]


@pytest.mark.parametrize(
    "options",
    [
        "A. Yes\nB. No\nANSWER: B",
        "A) Yes\nB) No\nANSWER: B",
        "a. Yes\nb. No\nanswer: b",
        "a) Yes\nb) No\nAnswer:B",
        "  A.\tYes\n  B.   No  \n  ANSWER :  B  ",
    ],
)
def test_options_and_answer_are_read_leniently(options: str) -> None:
    question = upload(f"Is it Monday?\n{options}\n").question_set.questions[0]
    assert (question.choices, question.answer) == (("Yes", "No"), "No")


def test_blank_lines_between_questions_are_optional() -> None:
    text = "One?\nA. a\nB. b\nANSWER: A\nTwo?\nA. a\nB. b\nANSWER: B\n\n\n\nThree?\nA. x\nB. y\nANSWER: A\n"
    parsed = upload(text)
    assert [q.answer for q in parsed.question_set.questions] == ["a", "b", "x"]
    assert [w.line for w in parsed.warnings] == [1, 5, 12]


def test_a_question_line_that_looks_like_an_option_is_still_the_question() -> None:
    question = upload("A. Lincoln was president in which century?\nA. 19th\nB. 20th\nANSWER: A\n")
    assert question.question_set.questions[0].prompt.startswith("A. Lincoln")


def test_explanation_and_evidence_lines() -> None:
    text = (
        "When did the council meet?\nA. Monday\nB. Friday\nANSWER: A\n"
        "Explanation: The report says Monday.\n"
        "EVIDENCE [town-meeting]: The town council met on Monday\n"
    )
    question = upload(text).question_set.questions[0]
    assert question.explanation == "The report says Monday."
    assert question.evidence[0].quote == "The town council met on Monday"


def test_set_id_and_title_come_from_the_file_name() -> None:
    text = "One?\nA. a\nB. b\nANSWER: A\n"
    derived = upload(text, "Curfew quiz.aiken").question_set
    assert (derived.id, derived.title) == ("curfew-quiz", "Curfew quiz")
    chosen = upload(text, "x.aiken", set_id="chosen", title="Chosen").question_set
    assert (chosen.id, chosen.title) == ("chosen", "Chosen")


BROKEN = [
    (4, "q1", "'ANSWER: C' must name one of the options (A, B)"),
    (6, "q2", "the question has no 'ANSWER: A' line after its options"),
    (11, "q3", "choices must have 2 to 20 entries, not 1"),
    (16, "q4", "there are two options A"),
    (19, "q5", "the question has no options"),
    (25, "q6", "'ANSWER: Yes' must name one of the options (A, B)"),
    (31, "q7", "the quote was not found in source 'town-meeting'"),
]


@pytest.fixture(scope="module")
def broken() -> list[tuple[int | None, str | None, str]]:
    return errors((DATA / "broken" / "errors.aiken").read_text("utf-8"))


@pytest.mark.parametrize(("line", "question", "message"), BROKEN)
def test_each_broken_question_is_reported_with_its_line(
    broken: list[tuple[int | None, str | None, str]],
    line: int,
    question: str,
    message: str,
) -> None:
    matching = [(at, qid) for at, qid, text in broken if message in text]
    assert (line, question) in matching, broken


def test_every_broken_question_is_reported_at_once(
    broken: list[tuple[int | None, str | None, str]],
) -> None:
    assert len(broken) == len(BROKEN)


def test_a_missing_answer_at_the_end_of_the_file_names_its_question() -> None:
    found = errors((DATA / "broken" / "missing-answer.aiken").read_text("utf-8"))
    assert found == [(6, "q2", "the question has no 'ANSWER: A' line after its options")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("ANSWER: A\n", 1, "follows no question"),
        ("One?\nA. a\nB. b\nANSWER: A\nANSWER: B\n", 5, "follows no question"),
        ("One?\nA. a\nB. b\nANSWER: A, B\n", 4, "'ANSWER: A, B' must name one of the options"),
        ("One?\nA. a\nB. b\nANSWER:\n", 4, "'ANSWER: ' must name one of the options"),
        ("One?\nA. a\nB. a\nANSWER: A\n", 2, "choices must be distinct"),
        ("One?\nA. only\nANSWER: A\n", 2, "choices must have 2 to 20 entries, not 1"),
        (
            "".join(f"{c}. {c}\n" for c in "ABCDEFGHIJKLMNOPQRSTU").join(
                ["Many?\n", "ANSWER: A\n"]
            ),
            2,
            "not 21",
        ),
        ("One?\nA.\nB. b\nANSWER: B\n", 2, "choices entry 1 must not be empty"),
    ],
)
def test_aiken_error_messages(text: str, line: int, message: str) -> None:
    found = errors(text)
    assert [at for at, _, text in found if message in text] == [line], found


def test_the_documented_example_loads() -> None:
    section = DOCS.read_text("utf-8").split("## Aiken files", 1)[1]
    example = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert example is not None
    question = upload(example.group(1)).question_set.questions[0]
    assert (question.answer, question.evidence[0].source) == ("Ana Ortiz", "town-meeting")


def test_options_without_a_space_are_read_as_current_moodle_reads_them() -> None:
    text = (
        "Who presides over the Senate?\nA)The Vice President\nB)The Speaker\nC. Nobody\nANSWER: A\n"
    )
    (question,) = parse_upload("senate.txt", text.encode()).question_set.questions
    assert question.choices == ("The Vice President", "The Speaker", "Nobody")
    assert question.answer == "The Vice President"


def test_a_question_line_that_looks_like_an_unspaced_option_stays_text() -> None:
    text = "Which law applies?\nU.S.Code title 18\nA) Federal\nB) State\nANSWER: A\n"
    (question,) = parse_upload("law.txt", text.encode()).question_set.questions
    assert question.prompt == "Which law applies? U.S.Code title 18"
    assert question.choices == ("Federal", "State")


def test_a_generated_explanation_has_one_full_stop() -> None:
    text = "Which country?\nA. The U.S.\nB. Canada\nANSWER: A\n"
    (question,) = parse_upload("country.aiken", text.encode()).question_set.questions
    assert question.explanation == "The correct answer is The U.S."
