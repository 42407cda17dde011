"""The answer form, built for each question type, and reading a response out of it."""

from __future__ import annotations

import functools
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain.i18n import lazy_gettext
from ..domain.limits import MAX_SHORT_ANSWER_CHARS
from ..domain.model import Response as Answer
from ..domain.question_types import REGISTRY, question_type
from ..services.attempts import PresentedQuestion

TRUE_FALSE_CHOICES = [
    SelectChoice("true", lazy_gettext("True")),
    SelectChoice("false", lazy_gettext("False")),
]
#: The field names of a Part B start with this, so both parts fit in one form on one page.
PART_B_PREFIX = "part_b"


def prompt_field_name(kind: str, index: int, prefix: str = "") -> str:
    """The name of the select for prompt ``index`` of a matching or ordering question (its
    type names the prefix); the form, the page and the tests all take the names from here."""
    name = f"{question_type(kind).prompt_field}_{index}"
    return f"{prefix}-{name}" if prefix else name


#: The prefixes of the selects of the types answered with a select per prompt.
_PROMPT_FIELD_PREFIXES = tuple(
    f"{kind.prompt_field}_" for kind in REGISTRY.values() if kind.prompt_field
)


def is_answer_field(name: str) -> bool:
    """Whether ``name`` is one of the answer form's fields (not the token nor a button); a
    Part B's fields are the same names after the Part B prefix."""
    name = name.removeprefix(f"{PART_B_PREFIX}-")
    return name in ("answer", "cited") or name.startswith(_PROMPT_FIELD_PREFIXES)


def prompt_fields(form: FlaskForm, shown: PresentedQuestion) -> list[Field]:
    """The selects of a matching or ordering question in its prompts' order (none for others)."""
    kind = shown.question.type
    if question_type(kind).form != "prompts":
        return []
    return [form[prompt_field_name(kind, i)] for i in range(len(shown.prompts))]


class CheckboxesField(SelectMultipleField):
    """Several choices as check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class JoinClassForm(FlaskForm):
    """The code a teacher gives a class."""

    code = StringField(
        lazy_gettext("Class code"),
        validators=[
            DataRequired(message=lazy_gettext("Enter the code your teacher gave you.")),
            Length(max=20),
        ],
        description=lazy_gettext("8 letters and digits, for example KQ7MPX4D."),
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
    """The form fields for one question, by the shape of form its type asks for. Choices are
    checked by the grader, not WTForms."""
    shape = question_type(kind).form
    if shape == "one":
        return {"answer": RadioField(label, choices=list(options), validate_choice=False)}
    if shape == "truth":
        return {"answer": RadioField(label, choices=TRUE_FALSE_CHOICES, validate_choice=False)}
    if shape == "many":
        return {"answer": CheckboxesField(label, choices=list(options), validate_choice=False)}
    if shape == "sentences":
        return {"answer": CheckboxesField(label, choices=list(options), validate_choice=False)}
    if shape == "written":
        return {
            "answer": TextAreaField(label),
            "cited": CheckboxesField(
                lazy_gettext("Evidence"), choices=list(options), validate_choice=False
            ),
        }
    if shape == "text":
        # Lazy: the form class is cached and serves every language.
        too_long = lazy_gettext(
            "Keep your answer under %(limit)s characters.", limit=MAX_SHORT_ANSWER_CHARS
        )
        return {
            "answer": StringField(
                label, validators=[Length(max=MAX_SHORT_ANSWER_CHARS, message=too_long)]
            )
        }
    if shape == "prompts" and options:  # matching: the options are the matches
        choices = [SelectChoice("", lazy_gettext("Choose a match")), *options]
        return {
            prompt_field_name(kind, i): SelectField(left, choices=choices, validate_choice=False)
            for i, left in enumerate(prompts)
        }
    # ordering: the options are the positions
    positions = [SelectChoice("", lazy_gettext("Choose a position"))] + [
        str(n) for n in range(1, len(prompts) + 1)
    ]
    return {
        prompt_field_name(kind, i): SelectField(item, choices=positions, validate_choice=False)
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
    """Field values that show a saved answer again, by the shape of form the type asks for."""
    question = shown.question
    kind = question_type(question.type)
    if saved is None:
        return {}
    if kind.form == "truth":
        return {"answer": "true" if saved else "false"}
    if kind.form == "written" and isinstance(saved, dict):
        return {"answer": saved.get("text", ""), "cited": saved.get("cited", [])}
    if kind.form == "prompts":
        values = kind.prompt_values(question, shown.prompts, saved)
        return {prompt_field_name(question.type, i): value for i, value in enumerate(values)}
    return {"answer": saved}


def answer_form(shown: PresentedQuestion, saved: Answer, prefix: str = "") -> AnswerForm:
    """The answer form for a question, filled from the request or from the saved answer."""
    question = shown.question
    form_class = _form_class(
        question.type, question.prompt, tuple(shown.options), tuple(shown.prompts)
    )
    return form_class(data=_initial_data(shown, saved), prefix=prefix)


def answer_form_from(
    shown: PresentedQuestion, fields: MultiDict[str, str], prefix: str = ""
) -> AnswerForm:
    """The answer form filled from fields sent earlier (an answer kept when it could not be
    saved), as if they had just been sent."""
    question = shown.question
    form_class = _form_class(
        question.type, question.prompt, tuple(shown.options), tuple(shown.prompts)
    )
    return form_class(formdata=fields, prefix=prefix)


def error_messages(form: AnswerForm) -> list[str]:
    """Every error the form's validators found."""
    return [message for errors in form.errors.values() for message in errors]


def submitted_answer(form: AnswerForm, shown: PresentedQuestion) -> Any:
    """The raw response the student sent, in the question type's shape (checked later)."""
    question = shown.question
    kind = question_type(question.type)
    if kind.form == "prompts":
        values = [field.data or "" for field in prompt_fields(form, shown)]
        return kind.from_prompt_values(question, shown.prompts, values)
    data = form["answer"].data
    if kind.form == "written":
        return {"text": data or "", "cited": form["cited"].data or []}
    if kind.form == "truth":
        return {"true": True, "false": False}.get(data, data) if data else None
    return data


def error_field(form: AnswerForm, shown: PresentedQuestion) -> Field:
    """The field an answer error is shown next to (the first one for grouped questions)."""
    grouped = prompt_fields(form, shown)
    return grouped[0] if grouped else form["answer"]
