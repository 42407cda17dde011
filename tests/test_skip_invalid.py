"""Importing the valid questions of a file and skipping those with errors, only when asked;
and an upload's warnings, one line per kind."""

from __future__ import annotations

import pytest

from quizapp.domain.errors import QuestionSetError, ValidationIssue
from quizapp.domain.formats import parse_upload
from quizapp.domain.warnings import summarize_warnings

BANK = """\
::first::Who leads the Senate? {=The Vice President ~The Speaker}

::unclosed::Who leads the House? {=The Speaker ~The Vice President

::third::The Senate has 100 members. {T}

::repeated::Pick one. {=Same ~Same}

::fifth::How many justices sit on the Court? {#9}
"""


def test_without_the_choice_a_file_with_errors_is_refused_and_says_what_skipping_keeps() -> None:
    with pytest.raises(QuestionSetError) as caught:
        parse_upload("bank.gift", BANK.encode())
    refused = caught.value
    assert [(issue.line, issue.question_id) for issue in refused.issues] == [
        (3, "unclosed"),
        (7, "repeated"),
    ]
    assert (refused.valid_questions, refused.invalid_questions) == (3, 2)


def test_with_the_choice_the_valid_questions_arrive_and_each_skipped_one_is_listed() -> None:
    parsed = parse_upload("bank.gift", BANK.encode(), skip_invalid=True)
    assert [q.id for q in parsed.question_set.questions] == ["first", "third", "fifth"]
    assert parsed.skipped_count == 2
    assert [(issue.line, issue.question_id) for issue in parsed.skipped] == [
        (3, "unclosed"),
        (7, "repeated"),
    ]
    assert "never closed" in parsed.skipped[0].message
    assert "must be distinct" in parsed.skipped[1].message
    # Skipped questions are not warnings, and the warnings still point at the right lines.
    assert [(w.line, w.question_id) for w in parsed.warnings] == [
        (1, "first"),
        (5, "third"),
        (9, "fifth"),
    ]


def test_a_problem_of_the_whole_set_still_refuses_it() -> None:
    native = (
        "format: quizapp/1\nid: x\ntitle: T\nsources: {}\nquestions:\n"
        "  - {id: a, type: true_false, prompt: P, answer: true, explanation: E}\n"
    )
    with pytest.raises(QuestionSetError) as caught:
        parse_upload("x.yaml", native.encode(), skip_invalid=True)
    assert "id 'x' must be 3 to 64 characters" in str(caught.value)


def test_skipping_in_a_native_file_keeps_part_b_questions_honest() -> None:
    native = (
        "format: quizapp/1\nid: pairs\ntitle: T\nsources: {}\nquestions:\n"
        "  - {id: a, type: true_false, prompt: P, answer: maybe, explanation: E}\n"
        "  - {id: b, type: true_false, part_of: a, prompt: P, answer: true, explanation: E}\n"
        "  - {id: c, type: true_false, prompt: P, answer: false, explanation: E}\n"
    )
    parsed = parse_upload("pairs.yaml", native.encode(), skip_invalid=True)
    # Part B's Part A is skipped, so Part B cannot stand either: it is skipped on a second look.
    assert [q.id for q in parsed.question_set.questions] == ["c"]
    assert parsed.skipped_count == 2
    assert [issue.line for issue in parsed.skipped] == [6, 7]


def test_a_file_with_no_valid_question_is_refused_even_when_skipping() -> None:
    with pytest.raises(QuestionSetError):
        parse_upload("none.gift", b"Who? {=a ~a}\n", skip_invalid=True)
    with pytest.raises(QuestionSetError) as caught:
        parse_upload("none.gift", b"Who? {=a ~a}\n")
    assert caught.value.valid_questions == 0


def test_warnings_are_one_line_per_kind() -> None:
    warnings = [
        ValidationIssue(
            "bank.gift",
            f"question 'q{n}' has no evidence quote; students will see no source for it",
            n,
        )
        for n in range(1, 313)
    ]
    warnings += [
        ValidationIssue(
            "bank.gift",
            f"question 'q{n}' shows the image '{name}', which is not in the upload; the image is left out",
            n,
        )
        for n, name in ((4, "map.png"), (9, "seal.png"))
    ]
    warnings.append(
        ValidationIssue("bank.gift", "this description is followed by no question", 400)
    )
    assert summarize_warnings(warnings) == [
        "bank.gift: 312 questions have no evidence quote; students will see no source for them "
        "(lines 1, 2, 3, 4, 5 and 307 more)",
        "bank.gift: 2 images are not in the upload and are left out of their questions: "
        "map.png, seal.png (lines 4, 9)",
        "bank.gift, line 400: this description is followed by no question",
    ]


def test_the_command_line_skips_invalid_questions_only_when_asked(runner, app, tmp_path):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK, encoding="utf-8")
    refused = runner.invoke(args=["import-questions", str(bank)])
    assert refused.exit_code != 0
    assert "3 questions are valid; run again with --skip-invalid" in refused.output
    assert "nothing was imported" in refused.output

    result = runner.invoke(args=["import-questions", "--skip-invalid", str(bank)])
    assert result.exit_code == 0, result.output
    assert "skipped: bank.gift, line 3, question 'unclosed':" in result.output
    assert "skipped: bank.gift, line 7, question 'repeated':" in result.output
    assert "skipped 2 questions with errors; importing the 3 valid ones" in result.output
    assert "warning: bank.gift: 3 questions have no evidence quote" in result.output
    assert "bank: version 1 (new version)" in result.output
