"""Grade a student's response to a question: one grader per question type, in a registry."""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from .limits import MAX_SHORT_ANSWER_CHARS
from .model import (
    MATCHING,
    MULTIPLE_CHOICE,
    ORDERING,
    PARTIAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Question,
    Response,
)

CORRECT, PARTLY_CORRECT, INCORRECT, UNANSWERED = "correct", "partial", "incorrect", "unanswered"


class InvalidResponse(ValueError):
    """A response that cannot belong to the question (such as a choice it does not offer)."""


@dataclass(frozen=True)
class Grade:
    """Points earned for one response, out of the question's points."""

    earned: float
    possible: int
    answered: bool = True

    @property
    def outcome(self) -> str:
        """correct, partial, incorrect or unanswered."""
        if not self.answered:
            return UNANSWERED
        if self.earned >= self.possible:
            return CORRECT
        return PARTLY_CORRECT if self.earned > 0 else INCORRECT


class Grader(Protocol):
    """Checks and grades responses to one question type."""

    def clean(self, question: Question, response: Any) -> Response:
        """Return the response in canonical form, or raise InvalidResponse."""
        ...

    def grade(self, question: Question, response: Response) -> Grade:
        """Score a cleaned response."""
        ...

    def key(self, question: Question) -> Response:
        """The correct response, in the same shape as a student's."""
        ...


GRADERS: dict[str, Grader] = {}


def _registers(question_type: str) -> Any:
    def register(cls: type) -> type:
        GRADERS[question_type] = cls()
        return cls

    return register


def grader_for(question: Question) -> Grader:
    """The grader registered for the question's type."""
    return GRADERS[question.type]


def clean_response(question: Question, response: Any) -> Response:
    """Check a raw response against the question; raise InvalidResponse with a message."""
    return grader_for(question).clean(question, response)


def grade_response(question: Question, response: Response) -> Grade:
    """Grade a response; anything the question does not offer earns nothing."""
    if response is None or response in ("", [], {}):
        return Grade(0.0, question.points, answered=False)
    try:
        cleaned = grader_for(question).clean(question, response)
    except InvalidResponse:
        return Grade(0.0, question.points)
    if cleaned is None:
        return Grade(0.0, question.points, answered=False)
    return grader_for(question).grade(question, cleaned)


def answer_key(question: Question) -> Response:
    """The correct response to ``question``."""
    return grader_for(question).key(question)


#: A point, comma or slash between digits is part of a number ("2.5", "1/2"), not punctuation.
_NUMBER_PUNCTUATION = re.compile(r"(?<=\d)[.,/](?=\d)")


def normalize_short_answer(text: str) -> str:
    """Fold case, accents, punctuation and surrounding or repeated white space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    protected = _NUMBER_PUNCTUATION.sub(
        lambda m: {".": "\0", ",": "\0", "/": "\1"}[m.group()], decomposed
    )
    kept = [
        char
        for char in protected
        if not unicodedata.combining(char)
        and not unicodedata.category(char).startswith("P")
        and char not in string.punctuation
    ]
    # A decimal comma and a decimal point are the same number.
    folded = "".join(kept).replace("\0", ".").replace("\1", "/")
    return " ".join(folded.split())


def _compact(text: str) -> str:
    """The normalised answer without spaces, so "Reichlin-Melnick", "Reichlin Melnick" and
    "U.S."/"US" agree."""
    return normalize_short_answer(text).replace(" ", "")


@functools.lru_cache(maxsize=4096)
def _accepted_answers(answers: tuple[str, ...]) -> frozenset[str]:
    """A question's accepted answers, normalised once (every submission grades against them)."""
    return frozenset(_compact(answer) for answer in answers)


@_registers(SINGLE_CHOICE)
class SingleChoiceGrader:
    """Exactly the right choice earns the points."""

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        if not isinstance(response, str) or response not in question.choices:
            raise InvalidResponse("Choose one of the options shown.")
        return response

    def grade(self, question: Question, response: Response) -> Grade:
        return Grade(
            float(question.points) if response == question.answer else 0.0, question.points
        )

    def key(self, question: Question) -> Response:
        return str(question.answer)


@_registers(MULTIPLE_CHOICE)
class MultipleChoiceGrader:
    """All-or-nothing, or partial: (right picks - wrong picks) / correct count, floored at 0."""

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        picks = [response] if isinstance(response, str) else response
        if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
            raise InvalidResponse("Tick the options that apply.")
        unknown = [p for p in picks if p not in question.choices]
        if unknown:
            raise InvalidResponse("Choose only from the options shown.")
        # Keep the question's own order and drop repeated picks.
        return [choice for choice in question.choices if choice in picks] or None

    def grade(self, question: Question, response: Response) -> Grade:
        picks = set(response) if isinstance(response, list) else set()
        correct = set(question.answer)
        if question.scoring == PARTIAL:
            fraction = max(0.0, (len(picks & correct) - len(picks - correct)) / len(correct))
        else:
            fraction = 1.0 if picks == correct else 0.0
        return Grade(question.points * fraction, question.points)

    def key(self, question: Question) -> Response:
        return list(question.answer)


@_registers(TRUE_FALSE)
class TrueFalseGrader:
    """The right truth value earns the points."""

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        if isinstance(response, bool):
            return response
        if isinstance(response, str) and response.lower() in ("true", "false"):
            return response.lower() == "true"
        raise InvalidResponse("Choose True or False.")

    def grade(self, question: Question, response: Response) -> Grade:
        return Grade(
            float(question.points) if response is question.answer else 0.0, question.points
        )

    def key(self, question: Question) -> Response:
        return bool(question.answer)


@_registers(SHORT_ANSWER)
class ShortAnswerGrader:
    """Any accepted answer, compared without case, accents, punctuation or extra spaces."""

    def clean(self, question: Question, response: Any) -> Response:
        if response is None:
            return None
        if not isinstance(response, str):
            raise InvalidResponse("Type your answer as text.")
        if len(response) > MAX_SHORT_ANSWER_CHARS:
            raise InvalidResponse(f"Keep your answer under {MAX_SHORT_ANSWER_CHARS} characters.")
        return response.strip() or None

    def grade(self, question: Question, response: Response) -> Grade:
        given = _compact(str(response))
        accepted = _accepted_answers(tuple(question.answer))
        return Grade(float(question.points) if given in accepted else 0.0, question.points)

    def key(self, question: Question) -> Response:
        return str(question.answer[0])


@_registers(MATCHING)
class MatchingGrader:
    """Each pair is scored: points x (right pairs / all pairs)."""

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        if not isinstance(response, dict):
            raise InvalidResponse("Match each item on the left.")
        lefts = {left for left, _ in question.pairs}
        rights = {right for _, right in question.pairs}
        cleaned: dict[str, str] = {}
        for left, right in response.items():
            if left not in lefts:
                raise InvalidResponse("Match only the items shown.")
            if right in (None, ""):
                continue
            if right not in rights:
                raise InvalidResponse("Choose each match from the options shown.")
            cleaned[left] = right
        return cleaned or None

    def grade(self, question: Question, response: Response) -> Grade:
        given = response if isinstance(response, dict) else {}
        right = sum(1 for left, match in question.pairs if given.get(left) == match)
        return Grade(question.points * right / len(question.pairs), question.points)

    def key(self, question: Question) -> Response:
        return dict(question.pairs)


@_registers(ORDERING)
class OrderingGrader:
    """The whole order must be right (all-or-nothing)."""

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, ""):
            return None
        if not isinstance(response, list) or sorted(response) != sorted(question.items):
            raise InvalidResponse("Put every item in a different position.")
        return list(response)

    def grade(self, question: Question, response: Response) -> Grade:
        return Grade(
            float(question.points) if response == list(question.items) else 0.0, question.points
        )

    def key(self, question: Question) -> Response:
        return list(question.items)
