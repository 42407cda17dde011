"""The question types added for evidence-based reading, and the registry every type is in."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.grades import InvalidResponse
from quizapp.domain.grading import answer_key, clean_response, grade_attempt, grade_response
from quizapp.domain.loader import load_question_set_file, load_question_set_text
from quizapp.domain.model import QuestionSet
from quizapp.domain.question_types import QUESTION_TYPES, REGISTRY
from quizapp.domain.selection import draw_questions, group_items
from quizapp.domain.sentences import split_sentences
from quizapp.domain.serialization import (
    content_hash,
    question_from_dict,
    set_from_document,
    set_to_document,
)
from quizapp.domain.statistics import GradedResponse, analyse

DATA = Path(__file__).parent / "data"
SHIPPED = Path(__file__).parent.parent / "questions" / "bukele-prison-offer.yaml"

ARTICLE = (
    "Mr. Smith went to Washington. He met Dr. Jones at 2.5 p.m. sharp.\n"
    "“The plan is illegal,” said J. R. Doe. The U.S. Constitution forbids it. "
    "Critics agreed.\n"
    "Supporters disagreed. They said it saves money."
)


def load(questions: str, extra_sources: str = "") -> QuestionSet:
    """A set with one inline source named article, and the questions given as YAML."""
    text = (
        "format: quizapp/1\nid: test-set\ntitle: Test\nsources:\n  article:\n"
        f"    title: The article\n    text: {json.dumps(ARTICLE)}\n"
        f"{textwrap.indent(textwrap.dedent(extra_sources), '    ')}"
        f"questions:\n{textwrap.indent(textwrap.dedent(questions), '  ')}"
    )
    return load_question_set_text(text, "test.yaml")


def errors(questions: str) -> str:
    with pytest.raises(QuestionSetError) as caught:
        load(questions)
    return "\n".join(str(issue) for issue in caught.value.issues)


def test_every_type_is_registered_with_its_template_folder() -> None:
    templates = Path(__file__).parent.parent / "quizapp" / "templates" / "question_types"
    assert tuple(REGISTRY) == QUESTION_TYPES
    assert {"select_evidence", "written_response"} <= set(QUESTION_TYPES)
    for name in QUESTION_TYPES:
        assert (templates / name / "answer.html").is_file(), name
        assert (templates / name / "result.html").is_file(), name


# The sentence splitter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith left. Dr. Who stayed.", ["Mr. Smith left.", "Dr. Who stayed."]),
        ("He paid 2.5 dollars. Then he left.", ["He paid 2.5 dollars.", "Then he left."]),
        ("J. R. Doe spoke. Then silence.", ["J. R. Doe spoke.", "Then silence."]),
        (
            "The U.S. Constitution forbids it. Critics agreed.",
            ["The U.S. Constitution forbids it.", "Critics agreed."],
        ),
        (
            "“It is illegal.” Rubio disagreed.",
            ["“It is illegal.”", "Rubio disagreed."],
        ),
        ('"Go!" she said. "Now?" Yes.', ['"Go!" she said.', '"Now?"', "Yes."]),
        ("One line\nAnother line", ["One line", "Another line"]),
    ],
)
def test_the_sentence_splitter(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_sentences_know_their_paragraph_and_place() -> None:
    sentences = split_sentences(ARTICLE)
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1, 1, 2, 2]
    for sentence in sentences:
        assert ARTICLE[sentence.start : sentence.end] == sentence.text


# select_evidence

EVIDENCE = """
- id: ev
  type: select_evidence
  prompt: Which sentence says it is unconstitutional?
  source: article
  answer: ["The U.S. Constitution forbids it."]
  explanation: It names the Constitution.
"""


def test_select_evidence_offers_the_whole_source_and_grades_the_right_sentence() -> None:
    question = load(EVIDENCE).questions[0]
    assert len(question.sentences) == 7
    assert question.right_sentences == {4}
    assert question.select == 1
    assert grade_response(question, ["4"]).earned == 1
    assert grade_response(question, ["5"]).earned == 0
    assert answer_key(question) == ["4"]
    with pytest.raises(InvalidResponse, match="at most 1 sentence"):
        clean_response(question, ["4", "5"])
    with pytest.raises(InvalidResponse):
        clean_response(question, ["99"])


def test_a_passage_limits_the_sentences_offered() -> None:
    question = load(
        EVIDENCE.replace(
            "  answer:", '  passage: "“The plan is illegal,” … Critics agreed."\n  answer:'
        )
    ).questions[0]
    assert [s.text for s in question.sentences] == [
        "“The plan is illegal,” said J. R. Doe.",
        "The U.S. Constitution forbids it.",
        "Critics agreed.",
    ]
    assert question.right_sentences == {2}
    with pytest.raises(InvalidResponse):
        clean_response(question, ["4"])


def test_an_answer_outside_the_passage_and_a_select_beyond_it_are_errors() -> None:
    outside = EVIDENCE.replace(
        "  answer:", '  passage: "Supporters disagreed. … money."\n  answer:'
    )
    assert "line 15, question 'ev': answer quote 1 lies outside the passage" in errors(outside)
    too_many = EVIDENCE.replace(
        "  answer:", '  passage: "The U.S. … agreed."\n  select: 3\n  answer:'
    )
    assert "'select' must be a whole number of sentences, 1 to 2" in errors(too_many)


def test_a_quote_spanning_sentences_makes_each_right_and_partial_scoring() -> None:
    question = load(
        EVIDENCE.replace(
            '["The U.S. Constitution forbids it."]',
            '["forbids it. Critics agreed.", "Supporters disagreed."]',
        ).replace("  explanation:", "  select: 3\n  scoring: partial\n  explanation:")
    ).questions[0]
    assert question.right_sentences == {4, 5, 6}
    assert grade_response(question, ["4", "5", "6"]).earned == 1
    assert grade_response(question, ["4", "5"]).earned == pytest.approx(2 / 3)
    assert grade_response(question, ["4", "1"]).earned == 0


def test_a_select_below_the_right_sentences_takes_any_of_them_and_its_key_earns_full_marks():
    question = load(
        EVIDENCE.replace(
            '["The U.S. Constitution forbids it."]', '["forbids it.", "Critics agreed."]'
        ).replace("  explanation:", "  select: 1\n  explanation:")
    ).questions[0]
    assert question.right_sentences == {4, 5} and question.select == 1
    assert grade_response(question, ["4"]).earned == 1
    assert grade_response(question, ["5"]).earned == 1
    assert grade_response(question, answer_key(question)).earned == 1
    marked = REGISTRY[question.type].right_choices(question)
    assert len(marked) == 2 and all(label.startswith(("4.", "5.")) for label in marked)


def test_all_or_nothing_needs_select_right_picks() -> None:
    question = load(
        EVIDENCE.replace(
            '["The U.S. Constitution forbids it."]', '["forbids it.", "Critics agreed."]'
        )
    ).questions[0]
    assert question.select == 2
    assert grade_response(question, ["4", "5"]).earned == 1
    assert grade_response(question, ["4"]).earned == 0
    assert grade_response(question, ["4", "1"]).earned == 0


def test_select_evidence_needs_no_evidence_in_shipped_sets() -> None:
    text = (
        "format: quizapp/1\nid: test-set\ntitle: Test\nsources:\n  article:\n"
        f"    title: The article\n    text: {json.dumps(ARTICLE)}\n"
        f"questions:\n{textwrap.indent(textwrap.dedent(EVIDENCE), '  ')}"
    )
    question_set = load_question_set_text(text, "t.yaml", require_evidence=True)
    assert question_set.questions[0].type == "select_evidence"


def test_select_evidence_quotes_must_be_in_the_source() -> None:
    found = errors(EVIDENCE.replace("The U.S. Constitution forbids it.", "Nobody said this."))
    assert "answer quote 1 was not found in source 'article'" in found
    assert "Closest passage" in found
    assert "source 'nope' is not one of the set's sources" in errors(
        EVIDENCE.replace("source: article", "source: nope")
    )


# Part A / Part B

PAIR = """
- id: part-a
  type: single_choice
  prompt: Part A. Who said it is illegal?
  choices: [J. R. Doe, Mr. Smith]
  answer: J. R. Doe
  explanation: Doe said so.
- id: part-b
  type: select_evidence
  part_of: part-a
  prompt: Part B. Which sentence shows it?
  source: article
  answer: ["said J. R. Doe"]
  explanation: The attribution names Doe.
"""


def test_part_b_scores_only_when_part_a_is_fully_right() -> None:
    question_set = load(PAIR)
    questions = {q.id: q for q in question_set.questions}
    order = ["part-a", "part-b"]
    both = grade_attempt(questions, {"part-a": "J. R. Doe", "part-b": ["3"]}, order)
    assert [both[q].earned for q in order] == [1, 1]
    wrong_a = grade_attempt(questions, {"part-a": "Mr. Smith", "part-b": ["3"]}, order)
    assert [wrong_a[q].earned for q in order] == [0, 0]
    assert wrong_a["part-b"].answered


def test_a_pair_is_drawn_shuffled_and_counted_as_one_item() -> None:
    singles = "".join(
        f"""
- id: single-{n}
  type: true_false
  prompt: Statement {n}
  answer: true
  explanation: Yes.
"""
        for n in range(6)
    )
    question_set = load(PAIR + singles)
    questions = {q.id: q for q in question_set.questions}
    for seed in range(30):
        drawn = draw_questions(question_set.questions, seed, count=3)
        items = group_items(drawn, questions)
        assert len(items) == 3
        if "part-a" in drawn:
            assert ["part-a", "part-b"] in items
        assert "part-b" not in drawn or "part-a" in drawn
    everything = draw_questions(question_set.questions, 1)
    assert len(group_items(everything, questions)) == 7


def test_part_of_must_name_an_earlier_question() -> None:
    forward = PAIR.replace("part_of: part-a", "part_of: later") + PAIR.replace(
        "part-a", "later"
    ).replace("part-b", "later-b")
    assert "part_of 'later' must name a question earlier in the set" in errors(forward)
    assert "part_of names the question itself" in errors(
        PAIR.replace("part_of: part-a", "part_of: part-b")
    )


def test_part_of_refuses_chains_and_second_part_bs() -> None:
    part_b = "- id: part-b" + PAIR.split("- id: part-b")[1]
    chained = PAIR + part_b.replace("id: part-b", "id: part-c").replace(
        "part_of: part-a", "part_of: part-b"
    )
    assert "'part-b' is itself Part B of 'part-a'" in errors(chained)
    second = PAIR + part_b.replace("id: part-b", "id: part-c")
    assert "'part-a' already has a Part B ('part-b')" in errors(second)


# Short answers


def short(answers: str, typos: int = 0) -> QuestionSet:
    return load(
        f"""
- id: s
  type: short_answer
  prompt: P
  answer: {answers}
  typos: {typos}
  explanation: E
"""
    )


def accepted(question_set: QuestionSet, given: str) -> bool:
    return grade_response(question_set.questions[0], given).earned == 1


def test_wildcards_match_any_run_of_characters() -> None:
    question_set = short('["*eighth*"]')
    assert accepted(question_set, "The Eighth Amendment to the Constitution")
    assert accepted(question_set, "eighth")
    assert not accepted(question_set, "the fifth")


def test_an_escaped_star_is_not_a_wildcard() -> None:
    question_set = short(r'["a\\*b"]')
    assert accepted(question_set, "ab")
    assert accepted(question_set, "a*b")
    assert not accepted(question_set, "axxb")


def test_typos_are_forgiven_per_long_word() -> None:
    question_set = short('["Eighth Amendment"]', typos=1)
    assert accepted(question_set, "Eigth Amendment")
    assert accepted(question_set, "Eighth Amendmnet")  # a swap is one edit
    assert not accepted(question_set, "Eigt Amendmen")  # two edits in one word
    assert not accepted(short('["Eighth Amendment"]'), "Eigth Amendment")
    # Words under 5 letters must match.
    assert not accepted(short('["Bukele said yes"]', typos=1), "Bukele said yas")


def test_number_words_read_as_digits_on_both_sides() -> None:
    assert accepted(short('["2.5 hours"]'), "two and a half hours")
    assert accepted(short('["two and a half hours"]'), "2.5 hours")
    assert accepted(short('["Eighth Amendment"]'), "8th Amendment")
    assert accepted(short('["8th Amendment"]'), "eighth amendment")
    assert accepted(short('["30"]'), "thirty")
    assert not accepted(short('["2.5 hours"]'), "2 hours 30 minutes")


def test_the_worked_examples_together() -> None:
    question_set = short('["Eighth Amendment", "*8th*"]', typos=1)
    for given in ("Eigth Amendment", "The Eighth Amendment to the Constitution", "the 8th one"):
        assert accepted(question_set, given), given


def test_typos_must_be_a_small_whole_number() -> None:
    assert "typos must be a whole number from 0 to 3" in errors(
        "- id: s\n  type: short_answer\n  prompt: P\n  answer: [x]\n  typos: 9\n  explanation: E\n"
    )


# Matching with distractors

MATCH = """
- id: m
  type: matching
  prompt: Match
  pairs: {Rubio: friendship, Trump: heartbeat}
  distractors: [threat]
  explanation: E
"""


def test_matching_distractors_are_offered_and_match_nothing() -> None:
    question = load(MATCH).questions[0]
    options, prompts = REGISTRY["matching"].shown(question, 7)
    assert sorted(options) == ["friendship", "heartbeat", "threat"]
    assert prompts == ["Rubio", "Trump"]
    assert grade_response(question, {"Rubio": "threat", "Trump": "heartbeat"}).earned == 0.5
    assert "distractor 'heartbeat' is the match of a pair" in errors(
        MATCH.replace("[threat]", "[heartbeat]")
    )


# Written responses

WRITTEN = """
- id: w
  type: written_response
  prompt: Explain the objection.
  rubric:
    - {points: 2, criterion: States the objection}
    - {points: 1, criterion: Cites the report}
  cite: article
  min_words: 5
  max_words: 20
  explanation: A model answer.
"""


def test_a_written_response_waits_for_the_teacher() -> None:
    question = load(WRITTEN).questions[0]
    assert question.points == 3
    assert [c.points for c in question.rubric] == [2, 1]
    response = clean_response(question, {"text": "It would violate the Eighth.", "cited": ["4"]})
    assert response == {"text": "It would violate the Eighth.", "cited": ["4"]}
    grade = grade_response(question, response)
    assert grade.pending and grade.outcome == "pending" and grade.earned == 0
    assert not grade_response(question, None).pending
    with pytest.raises(InvalidResponse, match="Keep your answer to 20 words; it has 21"):
        clean_response(question, {"text": " ".join(["word"] * 21)})
    with pytest.raises(InvalidResponse, match="at most 3"):
        clean_response(question, {"text": "x", "cited": ["1", "2", "3", "4"]})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("  rubric:\n", "  points: 4\n  rubric:\n"),
        ("    - {points: 1, criterion: Cites the report}\n", ""),
    ],
)
def test_rubric_points_must_add_up(change: str, message: str) -> None:
    text = WRITTEN.replace(change, message)
    if "points: 4" in text:
        assert "the rubric's points add up to 3, not to the question's 4 points" in errors(text)
    else:
        assert load(text).questions[0].points == 2


def test_a_rubric_has_one_to_eight_criteria() -> None:
    nine = "".join(f"    - {{points: 1, criterion: C{n}}}\n" for n in range(9))
    text = WRITTEN.replace(
        "    - {points: 2, criterion: States the objection}\n"
        "    - {points: 1, criterion: Cites the report}\n",
        nine,
    )
    assert "1 to 8 criteria" in errors(text)


# Sources


def test_sources_carry_their_citation() -> None:
    question_set = load(
        EVIDENCE,
        extra_sources="""
        url: https://example.org/report
        publisher: The Daily Example
        author: A. Reporter
        published: 2025-02-04
        """,
    )
    source = question_set.sources["article"]
    assert source.url == "https://example.org/report"
    assert source.citation == "A. Reporter. The Daily Example. 2025-02-04"
    found = errors_with_sources("url: javascript:alert(1)\npublished: yesterday\n")
    assert "url must be a web address" in found
    assert "published must be a date such as 2025-02-04" in found


def errors_with_sources(extra: str) -> str:
    with pytest.raises(QuestionSetError) as caught:
        load(EVIDENCE, extra_sources=extra)
    return "\n".join(str(issue) for issue in caught.value.issues)


# Round trips and earlier sets


def test_every_new_field_survives_a_yaml_export_and_import() -> None:
    question_set = load(
        PAIR + WRITTEN + MATCH + "- id: s\n  type: short_answer\n  prompt: P\n"
        "  answer: ['*x*']\n  typos: 2\n  explanation: E\n"
        + EVIDENCE.replace("- id: ev", "- id: ev2")
        .replace(
            "  answer:", '  passage: "He met … sharp."\n  select: 1\n  scoring: partial\n  answer:'
        )
        .replace('"The U.S. Constitution forbids it."', '"He met Dr. Jones"'),
        extra_sources="url: https://example.org/r\npublisher: P\nauthor: A\npublished: 2025-02-04\n",
    )
    exported = yaml.safe_dump(set_to_document(question_set), allow_unicode=True, sort_keys=False)
    again = load_question_set_text(exported, "again.yaml")
    assert set_to_document(again) == set_to_document(question_set)
    assert content_hash(again) == content_hash(question_set)
    assert again.questions == question_set.questions
    assert [q.sentences for q in again.questions] == [q.sentences for q in question_set.questions]
    stored = set_from_document(json.loads(json.dumps(set_to_document(question_set))))
    assert stored.questions == question_set.questions
    assert stored.sources == question_set.sources
    written = next(q for q in again.questions if q.id == "w")
    assert written.source == "article" and written.min_words == 5 and written.max_words == 20
    assert next(q for q in again.questions if q.id == "part-b").part_of == "part-a"
    assert next(q for q in again.questions if q.id == "m").distractors == ("threat",)


def test_the_shipped_set_grades_as_it_did_before_question_types() -> None:
    """Every key and option of the shipped set, graded by the code before this change."""
    before = json.loads((DATA / "shipped_set_grades_before_question_types.json").read_text())
    questions = {q["id"]: question_from_dict(q) for q in before["questions"]}
    for row in before["grades"]:
        grade = grade_response(questions[row["question"]], row["answer"])
        assert (grade.earned, grade.possible) == (row["earned"], row["possible"]), row


def test_the_shipped_set_still_loads_and_its_keys_earn_full_marks() -> None:
    question_set = load_question_set_file(SHIPPED, require_evidence=True)
    for question in question_set.questions:
        if not REGISTRY[question.type].teacher_scored:
            assert grade_response(question, answer_key(question)).earned == question.points


def test_a_part_b_of_a_broken_part_a_reports_only_the_part_a() -> None:
    found = errors(PAIR.replace("  answer: J. R. Doe\n", "  answer: Nobody\n"))
    assert "answer 'Nobody' is not one of the choices" in found
    assert "part_of" not in found


def test_item_analysis_counts_the_sentences_picked_and_names_them() -> None:
    question = load(EVIDENCE).questions[0]
    rows = [
        GradedResponse(1, "ev", 1.0, 1.0, ["4"]),
        GradedResponse(2, "ev", 0.0, 1.0, ["5"]),
        GradedResponse(3, "ev", 0.0, 1.0, ["5"]),
    ]
    (item,) = analyse([question], rows).items
    assert item.picks == {
        "4. The U.S. Constitution forbids it.": 1,
        "5. Critics agreed.": 2,
    }
    assert item.correct_choices == {"4. The U.S. Constitution forbids it."}


def test_many_wildcards_grade_a_long_answer_at_once() -> None:
    """A regular expression would backtrack for ever here; the matcher is linear."""
    question_set = short(json.dumps(["*a" * 20 + "*b"]))
    started = time.monotonic()
    assert not accepted(question_set, "a" * 499)
    assert accepted(question_set, "a" * 30 + "b")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("pattern", "given", "expected"),
    [
        ("*eighth*", "eighthamendment", True),
        ("the*amendment", "theeighthamendment", True),
        ("the*amendment", "theeighth", False),
        ("ab*ba", "aba", False),
        ("a*", "a", True),
        ("*", "anything", True),
    ],
)
def test_wildcard_matching(pattern: str, given: str, expected: bool) -> None:
    assert accepted(short(json.dumps([pattern])), given) is expected


def test_a_long_paragraph_splits_in_bounded_time() -> None:
    """A source of the largest size, one paragraph of short sentences and abbreviations."""
    text = "Mr. Doe met Dr. Roe at 2.5 p.m. in the U.S. It rained. " * 3_500
    started = time.monotonic()
    sentences = split_sentences(text[:200_000])
    assert time.monotonic() - started < 5
    assert sentences[0].text == "Mr. Doe met Dr. Roe at 2.5 p.m. in the U.S. It rained."
