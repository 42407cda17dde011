"""Round trips: ours -> Moodle XML -> ours, and ours -> GIFT -> ours, keep every question the
target format can hold, and list the ones it cannot.

Checked over the set shipped with the app and over a set with every type and every addition
(tests/data/moodle/every-type.yaml). "Keeps" means the question reads back equal, except for the
fields the target format has no place for; multiple-choice questions must also grade every
possible pick the same.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest

from quizapp.domain.formats import parse_upload
from quizapp.domain.formats.gift_export import export_gift
from quizapp.domain.formats.moodle_xml_export import export_moodle_xml
from quizapp.domain.grading import grade_response
from quizapp.domain.loader import load_question_set_file
from quizapp.domain.model import (
    MULTIPLE_CHOICE,
    ORDERING,
    PARTIAL,
    SELECT_EVIDENCE,
    WRITTEN_RESPONSE,
    Criterion,
    Question,
    QuestionSet,
)

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "shipped": ROOT / "questions" / "bukele-prison-offer.yaml",
    "every-type": ROOT / "tests" / "data" / "moodle" / "every-type.yaml",
}


def load(name: str) -> QuestionSet:
    return load_question_set_file(SETS[name])


def sources_of(question_set: QuestionSet) -> dict[str, str]:
    """The set's sources as uploaded files named by their keys, as GIFT evidence names them."""
    return {f"{key}.txt": source.text for key, source in question_set.sources.items()}


def same_grades(original: Question, again: Question) -> bool:
    picks = [
        list(chosen)
        for size in range(len(original.choices) + 1)
        for chosen in itertools.combinations(original.choices, size)
    ]
    # Weights of a third are written to seven decimals, as Moodle writes them: three of them
    # add up to 99.9999999%.
    return all(abs(share(original, pick) - share(again, pick)) < 1e-6 for pick in picks)


def share(question: Question, pick: list[str]) -> float:
    """The part of the points a pick earns (GIFT keeps no points, only the share)."""
    grade = grade_response(question, pick)
    return grade.earned / grade.possible


def in_any_order(question: Question) -> Question:
    """Credit and feedback are mappings: a format may write them in the choices' order."""
    return dataclasses.replace(
        question, credit=tuple(sorted(question.credit)), feedback=tuple(sorted(question.feedback))
    )


def assert_kept(original: Question, again: Question, held: Question) -> None:
    """``again`` is ``held`` (what the format keeps of ``original``), graded the same."""
    if original.type == MULTIPLE_CHOICE:
        # The format writes scoring as weights, which read back as credit: compare grades.
        assert same_grades(original, again), original.id
        fields = {"credit": (), "scoring": PARTIAL, "answer": (), "feedback": ()}
        assert dataclasses.replace(again, **fields) == dataclasses.replace(held, **fields)
        assert dict(again.feedback) == dict(held.feedback)
    else:
        assert in_any_order(again) == in_any_order(held), original.id


def held_by_moodle_xml(question: Question) -> Question:
    """What Moodle XML has no place for: evidence quotes and Part B links, forgiven typos, and a
    written response's cited source."""
    kept = dataclasses.replace(question, evidence=(), part_of="", typos=0)
    if question.type == WRITTEN_RESPONSE:
        kept = dataclasses.replace(kept, source="", sentences=())
    return kept


def held_by_gift(question: Question) -> Question:
    """What GIFT has no place for: points, difficulty, choice order, forgiven typos, Part B
    links, rubrics and word limits (an essay is one criterion worth its one point)."""
    kept = dataclasses.replace(question, points=1, difficulty=2, shuffle=True, typos=0, part_of="")
    if question.type == WRITTEN_RESPONSE:
        kept = dataclasses.replace(
            kept,
            rubric=(Criterion(1, "Answers the question (scored by the teacher)"),),
            min_words=0,
            max_words=300,
            source="",
            sentences=(),
        )
    return kept


@pytest.mark.parametrize("name", sorted(SETS))
def test_ours_to_moodle_xml_and_back_keeps_every_question_moodle_can_hold(name: str) -> None:
    original = load(name)
    export = export_moodle_xml(original)
    again = parse_upload(f"{name}.xml", export.text.encode("utf-8")).question_set
    left_out = dict(export.left_out)
    assert set(left_out) == {q.id for q in original.questions if q.type == SELECT_EVIDENCE}
    kept = [q for q in original.questions if q.id not in left_out]
    assert [q.id for q in again.questions] == [q.id for q in kept]
    all_or_nothing = {qid for qid, _ in export.notes}
    for before, after in zip(kept, again.questions, strict=True):
        if before.id in all_or_nothing:
            assert (after.type, after.choices) == (before.type, before.choices)
            continue
        assert_kept(before, after, held_by_moodle_xml(before))


@pytest.mark.parametrize("name", sorted(SETS))
def test_ours_to_gift_and_back_keeps_every_question_gift_can_hold(name: str) -> None:
    original = load(name)
    export = export_gift(original)
    again = parse_upload(
        f"{name}.gift", export.text.encode("utf-8"), sources=sources_of(original)
    ).question_set
    left_out = dict(export.left_out)
    assert set(left_out) == {
        q.id for q in original.questions if q.type in {SELECT_EVIDENCE, ORDERING}
    }
    kept = [q for q in original.questions if q.id not in left_out]
    assert [q.id for q in again.questions] == [q.id for q in kept]
    all_or_nothing = {
        qid for qid, note in export.notes if "partial credit for some of the right" in note
    }
    for before, after in zip(kept, again.questions, strict=True):
        if before.id in all_or_nothing:
            assert (after.type, after.choices) == (before.type, before.choices)
            continue
        assert_kept(before, after, held_by_gift(before))


def test_what_each_format_cannot_hold_is_said() -> None:
    every = load("every-type")
    moodle = export_moodle_xml(every)
    assert moodle.left_out == [
        ("obstacle-evidence", "Moodle has no question of the type “Select the evidence”")
    ]
    assert [qid for qid, _ in moodle.notes] == ["all-points"]
    gift = export_gift(every)
    assert dict(gift.left_out) == {
        "order-events": "GIFT has no question of the type “Ordering”",
        "obstacle-evidence": "GIFT has no question of the type “Select the evidence”",
    }
    assert ("who-home-safe", "GIFT has no points: Moodle gives it its default mark") in gift.notes


def test_gift_escapes_its_special_characters() -> None:
    every = load("every-type")
    tricky = dataclasses.replace(
        every.questions[0],
        text_format="plain",
        prompt="Is 2 + 2 = 4? {Really} ~ #1: yes\\no",
        credit=(),
        feedback=(),
        evidence=(),
    )
    again = parse_upload(
        "tricky.gift", export_gift(dataclasses.replace(every, questions=(tricky,))).text.encode()
    ).question_set.questions[0]
    assert again.prompt == tricky.prompt


def test_a_gift_wildcard_is_not_taken_for_the_plain_answer_it_contains() -> None:
    """``=Eighth =*eighth*``: the wildcard accepts more, so reading it as a repeat of "Eighth"
    would mark wrong an answer that was right."""
    gift = "::amendment::Which amendment? {=Eighth =*eighth*}\n"
    [question] = parse_upload("quiz.gift", gift.encode()).question_set.questions
    assert question.answer == ("Eighth", "*eighth*")
    assert grade_response(question, "the eighth amendment").earned == 1


def test_gift_says_it_cannot_carry_images() -> None:
    bank = parse_upload(
        "civics-bank.xml", (ROOT / "tests" / "data" / "moodle" / "civics-bank.xml").read_bytes()
    ).question_set
    notes = export_gift(bank).notes
    assert ("capitol-building", "GIFT cannot carry images: add them again in Moodle") in notes


@pytest.mark.parametrize("export", [export_gift, export_moodle_xml], ids=["gift", "moodle-xml"])
def test_a_file_says_at_its_top_which_questions_it_leaves_out(export) -> None:
    """The download itself is all a teacher sees of an export: it lists what it could not hold
    (and what Moodle grades differently) under its title, as comments Moodle passes over."""
    original = load("shipped")
    exported = export(original)
    assert exported.left_out, "the shipped set has evidence questions neither format holds"
    top = exported.text[: exported.text.index(exported.left_out[-1][0]) + 200]
    count = len(exported.left_out)
    assert f"{count} questions of the set are not in this file:" in top
    for question_id, reason in exported.left_out:
        assert f"  - {question_id}: {reason}" in top
    # The commented report reads back as nothing: the same questions arrive.
    again = parse_upload(
        "again.gift" if export is export_gift else "again.xml",
        exported.text.encode("utf-8"),
        sources=sources_of(original),
    ).question_set
    assert len(again.questions) == len(original.questions) - count


def test_a_left_out_question_called_evidence_is_not_read_back_as_an_evidence_quote() -> None:
    original = load("every-type")
    renamed = [
        dataclasses.replace(q, id="evidence") if q.id == "obstacle-evidence" else q
        for q in original.questions
    ]
    exported = export_gift(dataclasses.replace(original, questions=tuple(renamed)))
    assert "//   - evidence: GIFT has no question of the type" in exported.text
    again = parse_upload("again.gift", exported.text.encode("utf-8"), sources=sources_of(original))
    # Read as "// evidence: ...", the line would be an evidence comment next to no question.
    assert not [w for w in again.warnings if "evidence comment" in w.message]


def test_a_title_with_a_double_hyphen_still_exports_as_moodle_xml() -> None:
    """XML comments cannot hold "--": the title's comment is made safe, not an error."""
    original = dataclasses.replace(load("shipped"), title="Vote -- March 3 -")
    text = export_moodle_xml(original).text
    assert "<!-- Vote - - March 3 - (Civics Quiz set" in text
    assert parse_upload("vote.xml", text.encode("utf-8")).question_set.questions
