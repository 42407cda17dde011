"""A draft's questions as students see them: the student's own answer partials, with every
field disabled (a preview answers nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import Field

from ..domain.model import QuestionSet as SetContent
from ..domain.question_types import type_of
from ..services.attempts import PresentedQuestion
from ..student.forms import AnswerForm, answer_form, prompt_fields

#: The order a preview shows options in: the same for every preview of the set.
PREVIEW_SEED = 0


@dataclass(frozen=True)
class StudentView:
    """One question as the question page shows it."""

    shown: PresentedQuestion
    form: AnswerForm
    prompt_fields: list[Field]
    heading_id: str


def student_views(content: SetContent) -> list[StudentView]:
    """Every question of the set as a student's question page shows it, numbered in order."""
    views = []
    total = len(content.questions)
    for number, question in enumerate(content.questions, start=1):
        options, prompts = type_of(question).shown(question, PREVIEW_SEED)
        shown = PresentedQuestion(number, total, question, options, prompts)
        # Each question's fields get a prefix of their own: the page holds them all.
        form = answer_form(shown, None, prefix=f"q{number}")
        views.append(StudentView(shown, form, prompt_fields(form, shown), f"student-q{number}"))
    return views
