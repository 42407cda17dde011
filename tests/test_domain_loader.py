"""The question-set loader: valid files load, and every broken file reports what to fix."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.loader import load_question_set_file, load_question_set_text
from quizapp.domain.model import MATCHING, ORDERING, TRUE_FALSE

DATA = Path(__file__).resolve().parent / "data"
BROKEN = sorted((DATA / "broken").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\?|\d+) \| (\S+) \| (.+)$", re.MULTILINE)


def expectations(path: Path) -> list[tuple[int | None, str | None, str]]:
    """The errors a broken file declares in its ``# expect: line | question | message`` lines."""
    found = []
    for line, question, message in EXPECT.findall(path.read_text(encoding="utf-8")):
        found.append(
            (None if line == "?" else int(line), None if question == "-" else question, message)
        )
    assert found, f"{path.name} declares no expected error"
    return found


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_reports_each_error_with_line_and_question(path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(QuestionSetError) as caught:
        load_question_set_file(path)
    assert time.monotonic() - started < 5, "a broken file must be refused quickly"
    issues = caught.value.issues
    for line, question, message in expectations(path):
        matching = [i for i in issues if message in i.message]
        assert matching, (
            f"{path.name}: no error mentions {message!r}; got {[str(i) for i in issues]}"
        )
        issue = matching[0]
        if line is not None:
            assert issue.line == line, f"{path.name}: {message!r} reported on line {issue.line}"
        assert issue.question_id == question
        assert str(issue).startswith(path.name)


def test_all_errors_are_reported_at_once() -> None:
    text = """\
format: quizapp/1
id: many-errors
title: Many errors
sources:
  a: {title: A, text: "Text."}
questions:
  - {id: one, type: single_choice, prompt: P, choices: [A, B], answer: C, explanation: E}
  - {id: two, type: true_false, prompt: P, answer: maybe, explanation: E}
  - {id: three, type: ordering, prompt: P, items: [X], explanation: E}
"""
    with pytest.raises(QuestionSetError) as caught:
        load_question_set_text(text, "many.yaml")
    reported = {(issue.question_id, issue.line) for issue in caught.value.issues}
    assert reported == {("one", 7), ("two", 8), ("three", 9)}


def test_mini_set_loads_every_type() -> None:
    loaded = load_question_set_file(DATA / "sets" / "civics-mini.yaml", require_evidence=True)
    assert loaded.id == "civics-mini"
    assert {q.type for q in loaded.questions} == {
        "single_choice",
        "multiple_choice",
        TRUE_FALSE,
        "short_answer",
        MATCHING,
        ORDERING,
    }
    assert loaded.question("vote-held").answer is False
    assert loaded.question("what-was-raised").scoring == "partial"
    assert loaded.question("what-was-raised").points == 2
    assert loaded.sources["report"].text.startswith("The town council met")


MINIMAL = """\
format: quizapp/1
id: minimal-set
title: Minimal
sources:
  a: {title: A, text: "He said “yes”. It’s true."}
questions:
"""


def test_defaults_and_extension_keys() -> None:
    text = (
        MINIMAL
        + "  - {id: q1, type: true_false, prompt: P, answer: true, explanation: E, x-author: me}\n"
    )
    question = load_question_set_text(text, "m.yaml").questions[0]
    assert (question.category, question.difficulty, question.points, question.shuffle) == (
        "general",
        2,
        1,
        True,
    )
    assert question.extras == {"x-author": "me"}


def test_yaml_booleans_and_numbers_in_text_fields_keep_what_was_typed() -> None:
    text = MINIMAL + (
        "  - {id: q1, type: single_choice, prompt: P, choices: [Yes, No, 1787], answer: Yes, explanation: E}\n"
    )
    question = load_question_set_text(text, "m.yaml").questions[0]
    assert question.choices == ("Yes", "No", "1787")
    assert question.answer == "Yes"


def test_numbers_typed_where_ids_answers_and_sources_are_expected_keep_what_was_typed() -> None:
    text = """\
format: quizapp/1
id: 2024
title: Numbers
sources:
  1787: {title: The Constitution, text: "Signed in 1787 at Philadelphia."}
questions:
  - id: 1
    category: 2024
    type: short_answer
    prompt: In which year was it signed?
    answer: 1787
    explanation: E
    evidence: [{source: 1787, quote: Signed in 1787}]
  - {id: 2, type: multiple_choice, prompt: P, choices: [1787, 1791], answer: 1787, explanation: E}
"""
    loaded = load_question_set_text(text, "numbers.yaml")
    year, choice = loaded.questions
    assert loaded.id == "2024"
    assert (year.id, year.category, year.answer) == ("1", "2024", ("1787",))
    assert year.evidence[0].source == "1787"
    assert (choice.id, choice.answer) == ("2", ("1787",))


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("id", "id 'minimal-set\n' must be 3 to 64 characters"),
        ("category", "category must be a slug"),
        ("question id", "id 'q1\n' must use only a-z"),
    ],
)
def test_a_slug_with_a_hidden_trailing_newline_is_refused(key: str, message: str) -> None:
    values = {"id": "minimal-set", "category": "general", "question id": "q1"}
    values[key] += "\n"
    text = (
        MINIMAL.replace("id: minimal-set", f"id: {json.dumps(values['id'])}")
        + f"  - {{id: {json.dumps(values['question id'])}, category: "
        f"{json.dumps(values['category'])}, type: true_false, prompt: P, answer: true, "
        "explanation: E}\n"
    )
    with pytest.raises(QuestionSetError) as caught:
        load_question_set_text(text, "m.yaml")
    assert any(message in issue.message for issue in caught.value.issues)


def test_a_character_yaml_never_allows_is_reported_with_its_line() -> None:
    with pytest.raises(QuestionSetError) as caught:
        load_question_set_text('format: quizapp/1\nid: x-set\ntitle: "a\uffffb"\n', "m.yaml")
    [issue] = caught.value.issues
    assert (issue.line, issue.message) == (
        3,
        "the file holds a character that YAML does not allow (U+FFFF); remove it",
    )


def test_a_null_id_is_missing_not_the_text_null() -> None:
    text = MINIMAL + "  - {id: null, type: true_false, prompt: P, answer: true, explanation: E}\n"
    with pytest.raises(QuestionSetError, match="add an 'id:'"):
        load_question_set_text(text, "m.yaml")


def test_categories_may_be_slugs_in_any_script() -> None:
    text = MINIMAL + (
        "  - {id: q1, category: кто-сказал, type: true_false, prompt: P, answer: true, "
        "explanation: E}\n"
    )
    assert load_question_set_text(text, "m.yaml").questions[0].category == "кто-сказал"
    hindi = text.replace("кто-сказал", "राजनीति")
    assert load_question_set_text(hindi, "m.yaml").questions[0].category == "राजनीति"
    with pytest.raises(QuestionSetError, match="category must be a slug"):
        load_question_set_text(text.replace("кто-сказал", "Кто сказал"), "m.yaml")


def test_an_explicitly_empty_sources_mapping_means_no_sources() -> None:
    text = MINIMAL.replace('  a: {title: A, text: "He said “yes”. It’s true."}\n', "")
    question_line = "  - {id: q1, type: true_false, prompt: P, answer: true, explanation: E}\n"
    loaded = load_question_set_text(
        text.replace("sources:", "sources: {}") + question_line, "m.yaml"
    )
    assert loaded.sources == {}
    with pytest.raises(QuestionSetError, match="add 'sources:'"):
        load_question_set_text(text.replace("sources:\n", "") + question_line, "m.yaml")


def test_long_texts_are_bounded_by_the_file_size_only() -> None:
    prompt = "Why? " * 4_000  # 20,000 characters
    text = MINIMAL + (
        f"  - {{id: q1, type: true_false, prompt: {json.dumps(prompt)}, answer: true, "
        "explanation: E}\n"
    )
    assert load_question_set_text(text, "m.yaml").questions[0].prompt == prompt.strip()


def test_evidence_is_required_for_shipped_sets_only() -> None:
    text = MINIMAL + "  - {id: q1, type: true_false, prompt: P, answer: true, explanation: E}\n"
    assert load_question_set_text(text, "m.yaml").questions[0].evidence == ()
    with pytest.raises(QuestionSetError, match="add 'evidence:'"):
        load_question_set_text(text, "m.yaml", require_evidence=True)


def test_json_file_with_the_same_structure_loads() -> None:
    text = (
        '{"format": "quizapp/1", "id": "json-set", "title": "JSON", '
        '"sources": {"a": {"title": "A", "text": "Some text."}}, '
        '"questions": [{"id": "q1", "type": "short_answer", "prompt": "P", '
        '"answer": ["x"], "explanation": "E", "evidence": [{"source": "a", "quote": "Some text"}]}]}'
    )
    loaded = load_question_set_text(text, "set.json")
    assert loaded.questions[0].answer == ("x",)


JSON_SET = {
    "format": "quizapp/1",
    "id": "json-set",
    "title": "Emoji 🗳 and tabs",
    "sources": {"a": {"title": "A", "text": "Vote 🗳 today.\tThen rest."}},
    "questions": [
        {
            "id": "q1",
            "type": "short_answer",
            "prompt": "What do you do today? 🗳",
            "answer": ["vote"],
            "explanation": "E",
            "evidence": [{"source": "a", "quote": "Vote 🗳 today."}],
        }
    ],
}


@pytest.mark.parametrize(
    "options",
    [
        {"indent": "\t"},  # tabs, which YAML refuses as indentation
        {"indent": 2},  # emoji escaped as surrogate pairs (\ud83d\uddf3), json.dumps' default
        {"indent": "\t", "ensure_ascii": False},
    ],
)
def test_any_valid_json_loads(options: dict[str, object]) -> None:
    loaded = load_question_set_text(json.dumps(JSON_SET, **options), "set.json")  # type: ignore[arg-type]
    assert loaded.title == "Emoji 🗳 and tabs"
    assert loaded.questions[0].prompt == "What do you do today? 🗳"
    assert loaded.sources["a"].text == "Vote 🗳 today.\tThen rest."


def test_broken_json_gets_the_json_error_and_its_line() -> None:
    text = '{\n\t"format": "quizapp/1",\n\t"id": "x"\n\t"title": "T"\n}'
    with pytest.raises(QuestionSetError) as caught:
        load_question_set_text(text, "set.json")
    [issue] = caught.value.issues
    assert (issue.line, issue.message) == (4, "JSON syntax error: Expecting ',' delimiter")


def test_only_the_first_wrong_quotes_get_a_closest_passage_hint() -> None:
    # Each hint searches the whole source: a file of thousands of wrong quotes must not hold
    # a worker for minutes.
    sentences = [f"Sentence {n} says the council met on day {n} of the year." for n in range(3_000)]
    source = " ".join(sentences)
    questions = "".join(
        f"  - {{id: q{n}, type: true_false, prompt: P, answer: true, explanation: E, "
        f"evidence: [{{source: a, quote: 'The mayor met on day {n} of the month.'}}]}}\n"
        for n in range(60)
    )
    text = MINIMAL.replace('"He said “yes”. It’s true."', json.dumps(source)) + questions
    with pytest.raises(QuestionSetError) as caught:
        load_question_set_text(text, "m.yaml")
    messages = [issue.message for issue in caught.value.issues]
    assert len(messages) == 60
    hinted = [m for m in messages if "Closest passage" in m]
    assert len(hinted) == 20, "the first wrong quotes get a hint; the rest only the error"
    assert 'Closest passage: "Sentence 0 says the council met on day 0 of the year.' in hinted[0]


def test_markup_is_kept_as_plain_text() -> None:
    text = (
        MINIMAL
        + '  - {id: q1, type: true_false, prompt: "<b>bold</b> {{7*7}}", answer: true, explanation: E}\n'
    )
    assert load_question_set_text(text, "m.yaml").questions[0].prompt == "<b>bold</b> {{7*7}}"


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(MINIMAL + "# " + "x" * (4 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match="larger than 4 MiB"):
        load_question_set_file(big)


def test_too_many_questions_are_refused() -> None:
    rows = "".join(
        f"  - {{id: q{i}, type: true_false, prompt: P{i}, answer: true, explanation: E}}\n"
        for i in range(5_001)
    )
    with pytest.raises(QuestionSetError, match="at most 5,000 questions"):
        load_question_set_text(MINIMAL + rows, "m.yaml")


def test_source_text_over_the_limit_is_refused() -> None:
    text = MINIMAL.replace('"He said “yes”. It’s true."', '"' + "a" * 200_001 + '"')
    text += "  - {id: q1, type: true_false, prompt: P, answer: true, explanation: E}\n"
    with pytest.raises(QuestionSetError, match="longer than 200,000 characters"):
        load_question_set_text(text, "m.yaml")


def test_source_needs_file_or_text_not_both() -> None:
    text = MINIMAL.replace('text: "He said “yes”. It’s true."', 'text: "x", file: a.txt')
    text += "  - {id: q1, type: true_false, prompt: P, answer: true, explanation: E}\n"
    with pytest.raises(QuestionSetError, match="exactly one of 'file:' or 'text:'"):
        load_question_set_text(text, "m.yaml")


def test_not_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    text = MINIMAL.replace("“yes”. It’s", "yes. It is")
    text += "  - {id: q1, type: true_false, prompt: caf\xe9, answer: true, explanation: E}\n"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(QuestionSetError, match="not UTF-8"):
        load_question_set_file(path)
