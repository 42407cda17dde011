"""The registry of question types: the one place that lists them.

Every part of the app that depends on a question's type (the validator, grading, item
analysis, serialization, the answer form and the templates in
``templates/question_types/<type>/``) asks this registry instead of naming types itself.
"""

from __future__ import annotations

from ..model import Question
from .base import FieldContext, QuestionType
from .matching import Matching
from .multiple_choice import MultipleChoice
from .numerical import Numerical
from .ordering import Ordering
from .select_evidence import SelectEvidence
from .short_answer import ShortAnswer
from .single_choice import SingleChoice
from .true_false import TrueFalse
from .written_response import WrittenResponse

REGISTRY: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (
        SingleChoice(),
        MultipleChoice(),
        TrueFalse(),
        ShortAnswer(),
        Matching(),
        Ordering(),
        SelectEvidence(),
        WrittenResponse(),
        Numerical(),
    )
}
QUESTION_TYPES = tuple(REGISTRY)
#: Every type-specific key of any type: a key a question's own type does not take is refused.
TYPE_SPECIFIC_KEYS = frozenset().union(*(kind.keys for kind in REGISTRY.values()))


def question_type(name: str) -> QuestionType:
    """The type registered under ``name`` (KeyError for an unknown one)."""
    return REGISTRY[name]


def type_of(question: Question) -> QuestionType:
    """The type of ``question``."""
    return REGISTRY[question.type]


__all__ = ["QUESTION_TYPES", "REGISTRY", "FieldContext", "QuestionType", "question_type", "type_of"]
