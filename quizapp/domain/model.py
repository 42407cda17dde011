"""The in-memory question set that every file format is parsed into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMAT_V1 = "quizapp/1"

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"
SHORT_ANSWER = "short_answer"
MATCHING = "matching"
ORDERING = "ordering"
SELECT_EVIDENCE = "select_evidence"
WRITTEN_RESPONSE = "written_response"
NUMERICAL = "numerical"

ALL_OR_NOTHING = "all_or_nothing"
PARTIAL = "partial"

#: An answer as the student gave it, in the shape of its question type: a choice (str), picks
#: (list of str), a bool, typed text (str), a left -> right mapping (dict), an order (list),
#: sentence numbers (list of str), or a written response ({"text": str, "cited": [str]}).
Response = str | bool | list[str] | dict[str, str] | dict[str, object] | None


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote from one of the set's sources that backs a question's answer."""

    source: str
    quote: str


@dataclass(frozen=True)
class Source:
    """A text that evidence quotes are taken from."""

    key: str
    title: str
    text: str
    attribution: str = ""
    url: str = ""
    publisher: str = ""
    author: str = ""
    #: The date of publication as written in the file (ISO 8601, such as 2025-02-04).
    published: str = ""

    @property
    def citation(self) -> str:
        """Author, publisher, date and title as one line, as a reader would cite the text."""
        parts = [self.author, self.publisher, self.published]
        return ". ".join(part for part in parts if part)


@dataclass(frozen=True)
class Sentence:
    """One sentence a select_evidence question offers, where it lies in its source."""

    #: The sentence's number among those offered, from 1: what the student's answer names.
    number: int
    #: The number of the source paragraph it is in, from 0.
    paragraph: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Criterion:
    """One line of a written response's rubric."""

    points: int
    criterion: str


@dataclass(frozen=True)
class NumericAnswer:
    """One answer of a numerical question: any number within ``tolerance`` of ``value``."""

    value: float
    tolerance: float = 0.0
    #: Percent of the question's points this answer earns.
    credit: float = 100.0
    feedback: str = ""

    def accepts(self, number: float) -> bool:
        """Whether ``number`` is within this answer's range (ends included)."""
        return abs(number - self.value) <= self.tolerance * (1 + 1e-12) + 1e-12


@dataclass(frozen=True)
class Question:
    """One validated question; fields that do not apply to its type are empty."""

    id: str
    type: str
    prompt: str
    explanation: str
    category: str = "general"
    difficulty: int = 2
    points: int = 1
    choices: tuple[str, ...] = ()
    #: single_choice: the choice; multiple_choice and short_answer: a tuple; true_false: a bool.
    answer: Any = None
    pairs: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    shuffle: bool = True
    scoring: str = ALL_OR_NOTHING
    evidence: tuple[Evidence, ...] = ()
    #: Part B of a pair: the id of its Part A (an earlier question of the set).
    part_of: str = ""
    #: short_answer: letter edits forgiven per word of 5 or more letters.
    typos: int = 0
    #: matching: right-hand answers that match no left item.
    distractors: tuple[str, ...] = ()
    #: select_evidence: the source key; written_response: the source to cite (``cite``).
    source: str = ""
    #: select_evidence: the passage as written in the file (empty: the whole source).
    passage: str = ""
    #: select_evidence: how many sentences the student may pick.
    select: int = 0
    #: select_evidence and cited written responses: the sentences offered, and (for
    #: select_evidence) the numbers of the right ones, derived from the source text.
    sentences: tuple[Sentence, ...] = field(default=(), compare=False)
    right_sentences: frozenset[int] = frozenset()
    rubric: tuple[Criterion, ...] = ()
    min_words: int = 0
    max_words: int = 0
    #: How the prompt, choices, feedback and explanation are written: plain, html or markdown.
    text_format: str = "plain"
    #: Instructions shown before the question (what a Moodle description said before it).
    instructions: str = ""
    #: single_choice, multiple_choice and short_answer: percent of the points each choice or
    #: answer earns (multiple_choice: the picked ones' sum, floored at 0 and capped at 100).
    credit: tuple[tuple[str, float], ...] = ()
    #: Feedback per choice or answer (true_false: "true" and "false"), shown only to the
    #: student who gave that answer.
    feedback: tuple[tuple[str, str], ...] = ()
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def credit_of(self, answer: str) -> float | None:
        """The percent ``answer`` earns by the question's ``credit``, or None if not listed."""
        return next((percent for text, percent in self.credit if text == answer), None)

    def feedback_for(self, answer: str) -> str:
        """The feedback written for ``answer`` (empty when there is none)."""
        return next((text for key, text in self.feedback if key == answer), "")


@dataclass(frozen=True)
class QuestionSet:
    """A validated question set, ready to be stored or taken."""

    id: str
    title: str
    questions: tuple[Question, ...]
    sources: dict[str, Source]
    description: str = ""
    language: str = "en"
    grade_levels: str = ""
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def question(self, question_id: str) -> Question:
        """Return the question with this id (KeyError when there is none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)
