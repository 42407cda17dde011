"""Content checks for the shipped question bank: coverage, balance and the quality rules of issue #3."""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.loader import load_question_set_file
from quizapp.domain.model import Question, QuestionSet

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "questions"
BANK = QUESTIONS_DIR / "bukele-prison-offer.yaml"

MIN_QUESTIONS = 48
MIN_PER_DIFFICULTY = 12
CATEGORY_MINIMUMS = {
    "who-said-what": 10,
    "legal-basis": 6,
    "legal-objections": 6,
    "arguments": 6,
    "facts": 10,
    "civics": 8,
    "critical-reading": 4,
}
TYPE_MINIMUMS = {
    "single_choice": 3,
    "multiple_choice": 3,
    "true_false": 3,
    "short_answer": 3,
    "matching": 2,
    "ordering": 2,
}
#: The longest choice of a question may be at most this many times longer than its shortest.
MAX_CHOICE_LENGTH_RATIO = 3.0
#: A single_choice answer of at least this many words must not appear in another prompt.
GIVE_AWAY_MIN_WORDS = 4
#: Abbreviations whose full stops do not end a sentence.
ABBREVIATIONS = ("U.S.", "e.g.", "i.e.", "Mr.", "Mrs.", "Dr.", "St.", "No.")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+")
CATCH_ALL_CHOICE = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)
QUOTE_EQUIVALENTS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


@cache
def question_set() -> QuestionSet:
    """The bank as the app loads it, with evidence required as for every shipped set."""
    return load_question_set_file(BANK, require_evidence=True)


@cache
def raw_questions() -> tuple[dict[str, Any], ...]:
    """The questions as written in the file, to check keys the loader fills in with defaults."""
    return tuple(yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"])


def _questions() -> tuple[Question, ...]:
    # Collection must not crash when the file is broken; test_bank_loads reports why.
    try:
        return question_set().questions
    except QuestionSetError:
        return ()


QUESTIONS = _questions()


def _of_type(*types: str) -> list[Question]:
    return [q for q in QUESTIONS if q.type in types]


def _ids(questions: list[Question] | tuple[Question, ...]) -> list[str]:
    return [q.id for q in questions]


def count_sentences(text: str) -> int:
    """Sentences in ``text``: split after . ! or ? (and any closing quote), ignoring abbreviations."""
    for abbreviation in ABBREVIATIONS:
        text = text.replace(abbreviation, abbreviation.replace(".", ""))
    return len([part for part in SENTENCE_END.split(text.strip()) if part.strip()])


def normalize_quote_text(text: str) -> str:
    """The quote normalisation of the format: NFKC, straight quotes, hyphens, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTE_EQUIVALENTS)
    return " ".join(text.split())


def fold_answer(text: str) -> str:
    """Case, accents and punctuation folded away, as short answers are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char)
        and not unicodedata.category(char).startswith("P")
        and char not in string.punctuation
    )
    return " ".join(kept.split())


def test_sentence_counter_counts_sensibly() -> None:
    assert count_sentences("One. Two! Three?") == 3
    assert count_sentences("The U.S. Constitution applies. It says “no.” Then more.") == 3
    assert count_sentences("No full stop at the end") == 1


def test_bank_loads() -> None:
    bank = question_set()
    assert bank.id == "bukele-prison-offer"
    assert set(bank.sources) == {"article", "constitution"}
    assert bank.description
    assert len(bank.questions) >= MIN_QUESTIONS


@pytest.mark.parametrize(("category", "minimum"), sorted(CATEGORY_MINIMUMS.items()))
def test_category_minimum(category: str, minimum: int) -> None:
    count = Counter(q.category for q in question_set().questions)[category]
    assert count >= minimum, f"{category}: {count} questions, need at least {minimum}"


def test_every_category_is_a_known_one() -> None:
    unknown = {q.category for q in question_set().questions} - set(CATEGORY_MINIMUMS)
    assert not unknown


@pytest.mark.parametrize(("qtype", "minimum"), sorted(TYPE_MINIMUMS.items()))
def test_type_minimum(qtype: str, minimum: int) -> None:
    count = Counter(q.type for q in question_set().questions)[qtype]
    assert count >= minimum, f"{qtype}: {count} questions, need at least {minimum}"


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_difficulty_spread(difficulty: int) -> None:
    count = Counter(q.difficulty for q in question_set().questions)[difficulty]
    assert count >= MIN_PER_DIFFICULTY, f"difficulty {difficulty}: only {count} questions"


def test_difficulty_is_set_explicitly() -> None:
    missing = [q.get("id") for q in raw_questions() if "difficulty" not in q]
    assert not missing, f"set difficulty explicitly on: {missing}"


def test_some_multiple_choice_questions_give_partial_credit() -> None:
    assert any(q.scoring == "partial" for q in _of_type("multiple_choice"))


def test_who_said_what_has_a_matching_question() -> None:
    assert any(
        q.type == "matching" for q in question_set().questions if q.category == "who-said-what"
    )


def test_prompts_are_unique() -> None:
    prompts = Counter(" ".join(q.prompt.casefold().split()) for q in question_set().questions)
    assert not [prompt for prompt, count in prompts.items() if count > 1]


@pytest.mark.parametrize("question", QUESTIONS, ids=_ids(QUESTIONS))
def test_explanation_has_one_to_three_sentences(question: Question) -> None:
    assert 1 <= count_sentences(question.explanation) <= 3, question.explanation


@pytest.mark.parametrize("question", QUESTIONS, ids=_ids(QUESTIONS))
def test_evidence_quotes_sit_inside_one_paragraph(question: Question) -> None:
    assert question.evidence, "every question needs at least one evidence quote"
    sources = question_set().sources
    for evidence in question.evidence:
        paragraphs = [normalize_quote_text(p) for p in sources[evidence.source].text.splitlines()]
        quote = normalize_quote_text(evidence.quote)
        assert any(quote in paragraph for paragraph in paragraphs), evidence.quote


@pytest.mark.parametrize(
    "question",
    [q for q in QUESTIONS if q.category == "civics"],
    ids=_ids([q for q in QUESTIONS if q.category == "civics"]),
)
def test_civics_questions_quote_the_constitution(question: Question) -> None:
    assert any(evidence.source == "constitution" for evidence in question.evidence)


CHOICE_QUESTIONS = _of_type("single_choice", "multiple_choice")


@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=_ids(CHOICE_QUESTIONS))
def test_choices_are_distinct_and_fair(question: Question) -> None:
    folded = [" ".join(choice.casefold().split()) for choice in question.choices]
    assert len(set(folded)) == len(folded), "choices differ only in case or spacing"
    assert not [c for c in question.choices if CATCH_ALL_CHOICE.search(c)], (
        "no all/none of the above"
    )
    lengths = [len(choice) for choice in question.choices]
    assert max(lengths) <= MAX_CHOICE_LENGTH_RATIO * min(lengths), question.choices


@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=_ids(CHOICE_QUESTIONS))
def test_answers_are_among_the_choices(question: Question) -> None:
    answers = [question.answer] if question.type == "single_choice" else list(question.answer)
    assert answers
    assert set(answers) <= set(question.choices)
    if question.type == "multiple_choice":
        assert len(set(answers)) == len(answers)


SHORT_ANSWERS = _of_type("short_answer")


@pytest.mark.parametrize("question", SHORT_ANSWERS, ids=_ids(SHORT_ANSWERS))
def test_short_answers_accept_distinct_non_empty_forms(question: Question) -> None:
    folded = [fold_answer(answer) for answer in question.answer]
    assert folded
    assert all(folded), "an accepted answer is empty once punctuation is removed"
    assert len(set(folded)) == len(folded), "variants that differ only in case/accents/punctuation"


#: single_choice questions whose answer is long enough to give away if another prompt quotes it;
#: short answers such as names legitimately recur in other prompts.
LONG_ANSWERS = [
    q for q in _of_type("single_choice") if len(q.answer.split()) >= GIVE_AWAY_MIN_WORDS
]


@pytest.mark.parametrize("question", LONG_ANSWERS, ids=_ids(LONG_ANSWERS))
def test_no_other_prompt_gives_the_answer_away(question: Question) -> None:
    answer = " ".join(question.answer.casefold().split())
    revealing = [
        other.id
        for other in question_set().questions
        if other.id != question.id and answer in " ".join(other.prompt.casefold().split())
    ]
    assert not revealing, f"the answer '{question.answer}' appears in the prompts of {revealing}"


TRUE_FALSE = _of_type("true_false")


@pytest.mark.parametrize("question", TRUE_FALSE, ids=_ids(TRUE_FALSE))
def test_true_false_answers_are_booleans(question: Question) -> None:
    assert isinstance(question.answer, bool)


def test_true_false_answers_are_not_all_the_same() -> None:
    assert {q.answer for q in TRUE_FALSE} == {True, False}
