"""The registry of question types: the one place that lists them.

Every part of the app that depends on a question's type (the validator, grading, item
analysis, serialization, the answer form and the templates in
``templates/question_types/<type>/``) asks this registry instead of naming types itself.
"""

from __future__ import annotations

from ..i18n import lazy_gettext
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
#: How teachers see each type named: the editor's type menu, an export's list of what it
#: leaves out.
TYPE_TITLES: dict[str, str] = {
    "single_choice": lazy_gettext("Single choice"),
    "multiple_choice": lazy_gettext("Multiple choice"),
    "true_false": lazy_gettext("True or false"),
    "short_answer": lazy_gettext("Short answer"),
    "numerical": lazy_gettext("Number"),
    "matching": lazy_gettext("Matching"),
    "ordering": lazy_gettext("Ordering"),
    "select_evidence": lazy_gettext("Select the evidence"),
    "written_response": lazy_gettext("Written response (scored by you)"),
}
#: Every type-specific key of any type: a key a question's own type does not take is refused.
TYPE_SPECIFIC_KEYS = frozenset().union(*(kind.keys for kind in REGISTRY.values()))


def question_type(name: str) -> QuestionType:
    """The type registered under ``name`` (KeyError for an unknown one)."""
    return REGISTRY[name]


def type_of(question: Question) -> QuestionType:
    """The type of ``question``."""
    return REGISTRY[question.type]


__all__ = ["QUESTION_TYPES", "REGISTRY", "FieldContext", "QuestionType", "question_type", "type_of"]
