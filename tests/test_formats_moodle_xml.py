"""Moodle XML uploads read as Moodle's own importer reads them.

The corpus under tests/data/moodle/ is of our own making: every question type a Moodle 4.x
question bank exports, and the habits of real exports (HTML with ``dir`` and ``style``,
``&nbsp;``, images, answers wrapped in paragraphs, old files' localised true/false). Each file's
reading, as Moodle's importer (question/format/xml/format.php) gives it, is written down in
tests/data/moodle/expected/, and the grades below are the marks Moodle gives the same answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import parse_upload
from quizapp.domain.grading import grade_response
from quizapp.domain.model import Question
from quizapp.domain.question_types import type_of
from quizapp.domain.rich_text import render_text
from quizapp.domain.serialization import set_to_document

CORPUS = Path(__file__).resolve().parent / "data" / "moodle"
FILES = sorted(path.stem for path in CORPUS.glob("*.xml"))


def read(name: str):
    return parse_upload(f"{name}.xml", (CORPUS / f"{name}.xml").read_bytes())


def question(name: str, question_id: str) -> Question:
    return read(name).question_set.question(question_id)


def percent(q: Question, response) -> float:
    grade = grade_response(q, response)
    return round(100 * grade.earned / grade.possible, 3)


@pytest.mark.parametrize("name", FILES)
def test_each_corpus_file_reads_as_written_down(name: str) -> None:
    parsed = read(name)
    expected = json.loads((CORPUS / "expected" / f"{name}.json").read_text("utf-8"))
    assert set_to_document(parsed.question_set)["questions"] == expected["questions"]
    skipped = [
        [w.question_id, w.message.split(";")[0]]
        for w in parsed.warnings
        if "question skipped" in w.message
    ]
    assert skipped == expected["skipped"]
    noted = [
        [w.question_id, w.message]
        for w in parsed.warnings
        if "question skipped" not in w.message and "no evidence quote" not in w.message
    ]
    assert noted == expected["warnings"]
    assert sorted(parsed.images) == expected["images"]


def test_every_type_arrives_from_one_bank() -> None:
    kinds = [(q.id, q.type) for q in read("civics-bank").question_set.questions]
    assert kinds == [
        ("capitol-building", "single_choice"),
        ("powers-of-congress", "multiple_choice"),
        ("speech", "true_false"),
        ("amendments-count", "short_answer"),
        ("who-does-what", "matching"),
        ("how-a-bill-becomes-law", "ordering"),
        ("checks-and-balances", "written_response"),
        ("senators", "numerical"),
    ]


def test_cloze_drag_and_drop_and_calculated_are_skipped_with_a_warning_each() -> None:
    warnings = {w.question_id: (w.line, w.message) for w in read("civics-bank").warnings}
    assert warnings["cloze-preamble"] == (
        124,
        "embedded answers (Cloze) questions are not supported; question skipped",
    )
    assert warnings["drag-words"][1].startswith("drag and drop into text questions")
    assert warnings["votes-needed"][1].startswith("calculated questions")


def test_category_paths_are_kept_whole() -> None:
    questions = read("civics-bank").question_set.questions
    assert {q.category for q in questions} == {"unit-1/branches", "unit-2/rights"}
    # Moodle writes a "/" inside a category's name as "//".
    edge = read("moodle4-edge-cases").question_set.questions
    assert edge[0].category == "civics-101/rights/liberties"
    assert edge[-1].category == "civics-101/review"


def test_a_description_becomes_the_instructions_of_the_questions_after_it() -> None:
    questions = read("civics-bank").question_set.questions
    assert [bool(q.instructions) for q in questions[:3]] == [True, True, False]
    assert "<strong>Constitution</strong>" in questions[0].instructions


def test_html_is_kept_and_shown_clean() -> None:
    q = question("civics-bank", "capitol-building")
    assert q.text_format == "html"
    shown = render_text(q.prompt, q.text_format, image_url={"capitol.png": "/img/1"}.get)
    assert shown == (
        '<p>Which branch meets in this building? <img src="/img/1" alt="The Capitol"></p>'
    )
    hostile = question("moodle4-edge-cases", "house-seats").instructions
    shown = render_text(hostile, "html")
    assert "<script" not in shown and "alert" not in shown
    assert 'rel="noopener noreferrer"' in shown


def test_choices_lose_the_paragraph_moodle_wraps_them_in() -> None:
    q = question("moodle4-edge-cases", "all-eight-boxes")
    assert q.choices[:2] == ("Free speech", "Free press")


def test_multi_answer_weights_are_moodles_sum_floored_and_capped() -> None:
    q = question("moodle4-edge-cases", "all-eight-boxes")
    assert percent(q, list(q.choices)) == 100  # 125% picked: Moodle caps it at 100%
    assert percent(q, ["Free speech", "Voting at 18"]) == 25
    assert percent(q, ["Bearing arms"]) == 12.5
    congress = question("civics-bank", "powers-of-congress")
    assert percent(congress, ["Declare war", "Coin money", "Veto a bill"]) == 0  # -100 counts
    assert percent(congress, ["Declare war"]) == 50


def test_several_full_marks_and_partial_credit_in_a_one_answer_question() -> None:
    q = question("moodle4-edge-cases", "two-right-capitals")
    assert percent(q, "The Capitol") == 100
    assert percent(q, "Capitol Hill") == 100
    assert percent(q, "Philadelphia") == 50
    assert percent(q, "The White House") == 0
    assert not q.shuffle  # shuffleanswers 0


def test_short_answers_keep_partial_credit_wildcards_and_drop_duplicates() -> None:
    town = question("moodle4-edge-cases", "partial-credit-town")
    assert town.answer == ("Nazareth",)
    assert percent(town, "Nazereth") == 75
    assert percent(town, "nazareth") == 100
    assert percent(town, "Bethlehem") == 0
    amendment = question("moodle4-edge-cases", "wildcard-amendment")
    assert percent(amendment, "the 13th amendment") == 100


def test_numerical_answers_keep_their_tolerance_and_credit() -> None:
    q = question("moodle4-edge-cases", "house-seats")
    assert percent(q, "435") == 100
    assert percent(q, "440") == 50
    assert percent(q, "500") == 0


def test_feedback_reaches_only_the_student_who_gave_that_answer() -> None:
    tomb = question("moodle4-edge-cases", "grant-s-tomb")
    assert tomb.answer is False
    assert type_of(tomb).feedback(tomb, True) == ["No one is buried there: they lie above ground."]
    assert type_of(tomb).feedback(tomb, False) == ["Right."]
    assert "buried" not in tomb.explanation
    capitol = question("civics-bank", "capitol-building")
    assert type_of(capitol).feedback(capitol, "The executive branch") == [
        "<p>No: the President works in the White House.</p>"
    ]
    assert capitol.explanation == "<p>Congress meets in the <em>Capitol</em>.</p>"


def test_old_files_with_localised_true_false_are_read_true_first() -> None:
    q = question("moodle4-edge-cases", "old-true-false")
    assert q.answer is True
    assert q.feedback_for("false") == "Doch: sechs Jahre."


def test_matching_may_sort_items_into_shared_categories_and_keep_extra_answers() -> None:
    sorting = question("moodle4-edge-cases", "sort-into-branches")
    assert dict(sorting.pairs)["Levy taxes"] == dict(sorting.pairs)["Declare war"]
    bank = question("civics-bank", "who-does-what")
    assert bank.distractors == ("Counts the votes",)


def test_ordering_follows_the_fraction_moodle_stores_the_place_in() -> None:
    q = question("moodle4-edge-cases", "amendments-in-order")
    assert q.items[0].startswith("First") and q.items[-1].startswith("Fifteenth")


def test_essays_keep_their_word_limits_and_points() -> None:
    q = question("moodle4-edge-cases", "word-limits")
    assert (q.type, q.points, q.min_words, q.max_words) == ("written_response", 3, 20, 150)


def corpus_counts() -> dict[str, list[int]]:
    """Per Moodle type: questions in the corpus, questions that arrive, questions skipped."""
    from lxml import etree

    from quizapp.domain.formats.documents import IdAllocator, slugify

    counts: dict[str, list[int]] = {}
    for name in FILES:
        skipped = {w.question_id for w in read(name).warnings if "question skipped" in w.message}
        ids = IdAllocator()
        root = etree.parse(str(CORPUS / f"{name}.xml")).getroot()
        for number, element in enumerate(root.iterfind("question"), 1):
            kind = element.get("type")
            if kind == "category":
                continue
            title = " ".join((element.findtext("name/text") or "").split())
            question_id = ids.allocate(slugify(title) or f"q{number}")
            row = counts.setdefault(kind, [0, 0, 0])
            row[0] += 1
            row[2 if question_id in skipped else 1] += 1
    return counts


def test_docs_count_what_arrives_from_the_corpus() -> None:
    """docs/moodle.md's table is the corpus's own count."""
    docs = (CORPUS.parent.parent.parent / "docs" / "moodle.md").read_text("utf-8")
    table = {}
    for line in docs.splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].isdigit():
            table[cells[0]] = [int(cells[1]), int(cells[2]), int(cells[3])]
    assert table == corpus_counts()


def test_a_question_with_errors_refuses_the_file_unless_the_teacher_skips_it() -> None:
    items = "".join(f'<answer fraction="{n}"><text>Step {n}</text></answer>' for n in range(1, 10))
    content = (
        '<?xml version="1.0"?>\n<quiz>\n'
        '<question type="truefalse"><name><text>Senate</text></name>'
        "<questiontext><text>The Senate has 100 members.</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>\n'
        '<question type="ordering"><name><text>Too many steps</text></name>'
        f"<questiontext><text>Order them.</text></questiontext>{items}</question>\n"
        "</quiz>\n"
    ).encode()
    with pytest.raises(QuestionSetError) as refused:
        parse_upload("bank.xml", content)
    [problem] = refused.value.issues
    assert (problem.line, problem.question_id) == (4, "too-many-steps")
    parsed = parse_upload("bank.xml", content, skip_invalid=True)
    assert [q.id for q in parsed.question_set.questions] == ["senate"]
    assert parsed.skipped_count == 1
    assert parsed.skipped[0].line == 4
