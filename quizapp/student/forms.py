"""The answer form, built for each question type, and reading a response out of it."""

from __future__ import annotations

import functools
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain.grading import InvalidResponse
from ..domain.limits import MAX_SHORT_ANSWER_CHARS
from ..domain.model import (
    MATCHING,
    MULTIPLE_CHOICE,
    ORDERING,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
)
from ..domain.model import Response as Answer
from ..services.attempts import PresentedQuestion

TRUE_FALSE_CHOICES = [SelectChoice("true", "True"), SelectChoice("false", "False")]

#: A matching or ordering question has one select per prompt, named PREFIX_<index>. The form,
#: the page and the tests all take the names from prompt_field_name.
_PROMPT_FIELD_PREFIX = {MATCHING: "match", ORDERING: "position"}


def prompt_field_name(kind: str, index: int) -> str:
    """The name of the select for prompt ``index`` of a matching or ordering question."""
    return f"{_PROMPT_FIELD_PREFIX[kind]}_{index}"


def is_answer_field(name: str) -> bool:
    """Whether ``name`` is one of the answer form's fields (not the token nor a button)."""
    return name == "answer" or any(
        name.startswith(f"{prefix}_") for prefix in _PROMPT_FIELD_PREFIX.values()
    )


def prompt_fields(form: FlaskForm, shown: PresentedQuestion) -> list[Field]:
    """The selects of a matching or ordering question in its prompts' order (none for others)."""
    kind = shown.question.type
    if kind not in _PROMPT_FIELD_PREFIX:
        return []
    return [form[prompt_field_name(kind, i)] for i in range(len(shown.prompts))]


class CheckboxesField(SelectMultipleField):
    """Several choices as check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class JoinClassForm(FlaskForm):
    """The code a teacher gives a class."""

    code = StringField(
        "Class code",
        validators=[DataRequired(message="Enter the code your teacher gave you."), Length(max=20)],
        description="8 letters and digits, for example KQ7MPX4D.",
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class AnswerForm(FlaskForm):
    """Base of every answer form; fields are added per question."""

    class Meta:
        # CSRFProtect checks the token of every POST before any view runs (a missing or forged
        # one gets 400), so the form does not check it again, nor sign a new token for a POST
        # that only saves and moves on; the page writes the token with csrf_token().
        csrf = False


def _fields(
    kind: str, label: str, options: tuple[str, ...], prompts: tuple[str, ...]
) -> dict[str, Field]:
    """The form fields for one question. Choices are checked by the grader, not WTForms."""
    if kind == SINGLE_CHOICE:
        return {"answer": RadioField(label, choices=list(options), validate_choice=False)}
    if kind == TRUE_FALSE:
        return {"answer": RadioField(label, choices=TRUE_FALSE_CHOICES, validate_choice=False)}
    if kind == MULTIPLE_CHOICE:
        return {"answer": CheckboxesField(label, choices=list(options), validate_choice=False)}
    if kind == SHORT_ANSWER:
        too_long = f"Keep your answer under {MAX_SHORT_ANSWER_CHARS} characters."
        return {
            "answer": StringField(
                label, validators=[Length(max=MAX_SHORT_ANSWER_CHARS, message=too_long)]
            )
        }
    if kind == MATCHING:
        choices = [SelectChoice("", "Choose a match"), *options]
        return {
            prompt_field_name(MATCHING, i): SelectField(
                left, choices=choices, validate_choice=False
            )
            for i, left in enumerate(prompts)
        }
    positions = [SelectChoice("", "Choose a position")] + [
        str(n) for n in range(1, len(prompts) + 1)
    ]
    return {
        prompt_field_name(ORDERING, i): SelectField(item, choices=positions, validate_choice=False)
        for i, item in enumerate(prompts)
    }


@functools.lru_cache(maxsize=2048)
def _form_class(
    kind: str, label: str, options: tuple[str, ...], prompts: tuple[str, ...]
) -> type[AnswerForm]:
    """One form class per question as shown (its options in order): building a class is slow,
    and the classes are reused the way module-level form classes are."""
    return type("QuestionAnswerForm", (AnswerForm,), _fields(kind, label, options, prompts))


def _initial_data(shown: PresentedQuestion, saved: Answer) -> dict[str, Any]:
    """Field values that show a saved answer again."""
    question = shown.question
    if saved is None:
        return {}
    if question.type == TRUE_FALSE:
        return {"answer": "true" if saved else "false"}
    if question.type == MATCHING and isinstance(saved, dict):
        return {
            prompt_field_name(MATCHING, i): saved.get(left, "")
            for i, left in enumerate(shown.prompts)
        }
    if question.type == ORDERING and isinstance(saved, list):
        return {
            prompt_field_name(ORDERING, i): str(saved.index(item) + 1) if item in saved else ""
            for i, item in enumerate(shown.prompts)
        }
    return {"answer": saved}


def answer_form(shown: PresentedQuestion, saved: Answer) -> AnswerForm:
    """The answer form for a question, filled from the request or from the saved answer."""
    question = shown.question
    form_class = _form_class(
        question.type, question.prompt, tuple(shown.options), tuple(shown.prompts)
    )
    return form_class(data=_initial_data(shown, saved))


def answer_form_from(shown: PresentedQuestion, fields: MultiDict[str, str]) -> AnswerForm:
    """The answer form filled from fields sent earlier (an answer kept when it could not be
    saved), as if they had just been sent."""
    question = shown.question
    form_class = _form_class(
        question.type, question.prompt, tuple(shown.options), tuple(shown.prompts)
    )
    return form_class(formdata=fields)


def error_messages(form: AnswerForm) -> list[str]:
    """Every error the form's validators found."""
    return [message for errors in form.errors.values() for message in errors]


def submitted_answer(form: AnswerForm, shown: PresentedQuestion) -> Any:
    """The raw response the student sent, in the question type's shape (checked later)."""
    question = shown.question
    if question.type == MATCHING:
        matches = zip(shown.prompts, prompt_fields(form, shown), strict=True)
        return {left: field.data for left, field in matches if field.data}
    if question.type == ORDERING:
        fields = zip(shown.prompts, prompt_fields(form, shown), strict=True)
        positions = {item: field.data for item, field in fields}
        if not any(positions.values()):
            return None
        if not all(positions.values()):
            raise InvalidResponse("Give every item a position, or leave them all empty.")
        if len(set(positions.values())) != len(positions):
            raise InvalidResponse("Use each position only once.")
        try:
            return sorted(positions, key=lambda item: int(positions[item]))
        except ValueError:
            raise InvalidResponse("Choose each position from the list.") from None
    data = form["answer"].data
    if question.type == TRUE_FALSE:
        return {"true": True, "false": False}.get(data, data) if data else None
    return data


def error_field(form: AnswerForm, shown: PresentedQuestion) -> Field:
    """The field an answer error is shown next to (the first one for grouped questions)."""
    grouped = prompt_fields(form, shown)
    return grouped[0] if grouped else form["answer"]
