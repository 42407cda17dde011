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
QUESTION_TYPES = (SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE, SHORT_ANSWER, MATCHING, ORDERING)

ALL_OR_NOTHING = "all_or_nothing"
PARTIAL = "partial"

#: An answer as the student gave it, in the shape of its question type: a choice (str), picks
#: (list of str), a bool, typed text (str), a left -> right mapping (dict) or an order (list).
Response = str | bool | list[str] | dict[str, str] | None


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
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


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
