"""What every question type provides: its fields, its grader, its key and its statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..checker import Checker
from ..grades import Grade, InvalidResponse
from ..limits import MAX_CHOICES
from ..model import Question, Response, Source
from ..question_editor import EditorField
from ..raw_document import PathKey
from ..shuffling import seeded_shuffle

MIN_CHOICES = 2


@dataclass(frozen=True)
class FieldContext:
    """One question's raw entry while it is validated, and where to report its problems."""

    check: Checker
    entry: dict[str, Any]
    path: PathKey
    qid: str
    sources: dict[str, Source]

    def error(self, key: str | None, message: str) -> None:
        """Report a problem at ``key`` of the question (or at the question itself)."""
        at = (*self.path, key) if key is not None and key in self.entry else self.path
        self.check.error(at, message, self.qid)


class QuestionType:
    """A question type: subclasses override what differs, and register in the registry."""

    #: The name files use in ``type:``.
    name: ClassVar[str]
    #: The type-specific keys this type takes (any other is refused).
    keys: ClassVar[frozenset[str]] = frozenset()
    #: What the student is asked to do, shown under the prompt.
    hint: ClassVar[str] = ""
    #: How the answer form asks: one (radio buttons), truth (True and False), many (check
    #: boxes), text, prompts (a select per prompt), sentences (picked in the text) or written
    #: (a text box).
    form: ClassVar[str] = "one"
    #: prompts forms: the select for prompt i is named f"{prompt_field}_{i}".
    prompt_field: ClassVar[str] = ""
    #: The teacher scores the response; until then its grade is pending.
    teacher_scored: ClassVar[bool] = False
    #: The answer itself is the evidence shown after grading, so ``evidence:`` may be left out.
    answer_is_evidence: ClassVar[bool] = False
    #: The type's own fields in the browser editor, in the order the form shows them.
    editor_fields: ClassVar[tuple[EditorField, ...]] = ()

    # Validation and serialization

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        """Check the type's fields in a raw entry; return Question fields (empty on errors)."""
        raise NotImplementedError

    def to_data(self, question: Question) -> dict[str, Any]:
        """The type's fields as native-format data, in the order a file writes them."""
        raise NotImplementedError

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        """Question fields from data written by ``to_data`` (already validated)."""
        raise NotImplementedError

    # Taking and grading

    def shown(self, question: Question, seed: int) -> tuple[list[str], list[str]]:
        """The options and the prompts as one attempt shows them (seeded order)."""
        return [], []

    def clean(self, question: Question, response: Any) -> Response:
        """Return the response in canonical form, or raise InvalidResponse."""
        raise NotImplementedError

    def grade(self, question: Question, response: Response) -> Grade:
        """Score a cleaned response."""
        raise NotImplementedError

    def key(self, question: Question) -> Response:
        """The correct response, in the same shape as a student's."""
        raise NotImplementedError

    def feedback(self, question: Question, response: Response) -> list[str]:
        """The feedback written for the answers this response gave (picked or typed)."""
        if isinstance(response, bool):
            picked = ["true" if response else "false"]
        elif isinstance(response, str):
            picked = [response]
        elif isinstance(response, list):
            picked = [item for item in response if isinstance(item, str)]
        else:
            picked = []
        return [text for text in map(question.feedback_for, picked) if text]

    def answer_lines(self, question: Question, answer: Response) -> list[str]:
        """An answer (the student's or the key) as lines of plain text."""
        if isinstance(answer, list):
            return [str(item) for item in answer]
        return [str(answer)]

    # A question answered with a select per prompt (form "prompts")

    def prompt_values(self, question: Question, prompts: list[str], saved: Response) -> list[str]:
        """The value of each prompt's select that shows a saved answer again."""
        return [""] * len(prompts)

    def from_prompt_values(self, question: Question, prompts: list[str], values: list[str]) -> Any:
        """The raw response that the selects' values make, or InvalidResponse."""
        return None

    # Item analysis

    #: Item analysis lists every option, or only those picked or right (a long passage).
    lists_every_option: ClassVar[bool] = True

    def pick_labels(self, question: Question) -> list[str]:
        """The options whose picks item analysis counts (none: it counts no picks)."""
        return []

    def picked(self, question: Question, answer: Response) -> list[str]:
        """The options among ``pick_labels`` that an answer picked."""
        return []

    def right_choices(self, question: Question) -> list[str]:
        """The options item analysis marks as right: those the answer key picks."""
        return self.picked(question, self.key(question))


def full_marks(question: Question, right: bool) -> Grade:
    """All the question's points, or none."""
    return Grade(float(question.points) if right else 0.0, question.points)


#: How far below 100% a sum of credit may fall and still be all the points: Moodle and GIFT
#: files write a third as 33.33333 or 33.333.
CREDIT_ROUNDING = 1e-4


def credit_grade(question: Question, percent: float) -> Grade:
    """The points that ``percent`` of the question's points make, floored at 0, capped at all."""
    fraction = min(1.0, max(0.0, percent / 100))
    if fraction > 1.0 - CREDIT_ROUNDING:
        fraction = 1.0  # three choices of 33.33333% each, as Moodle writes them, are all right
    return Grade(question.points * fraction, question.points)


def with_credit_and_feedback(question: Question, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the question's ``credit`` and ``feedback``, when it has them."""
    from ._choices import credit_to_data

    if question.credit:
        data["credit"] = credit_to_data(question.credit)
    if question.feedback:
        data["feedback"] = dict(question.feedback)
    return data


def credit_and_feedback_from(data: dict[str, Any]) -> dict[str, Any]:
    """The ``credit`` and ``feedback`` fields of stored native data."""
    return {
        "credit": tuple((str(k), float(v)) for k, v in (data.get("credit") or {}).items()),
        "feedback": tuple((str(k), str(v)) for k, v in (data.get("feedback") or {}).items()),
    }


def maybe_shuffled(question: Question, options: list[str], seed: int) -> list[str]:
    """Options in the attempt's order, unless the question says ``shuffle: false``."""
    return seeded_shuffle(options, seed, question.id) if question.shuffle else options


__all__ = [
    "MAX_CHOICES",
    "EditorField",
    "FieldContext",
    "Grade",
    "InvalidResponse",
    "QuestionType",
    "credit_and_feedback_from",
    "credit_grade",
    "full_marks",
    "maybe_shuffled",
    "with_credit_and_feedback",
]
