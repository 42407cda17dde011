"""The editor's forms: a draft's settings, and a question form built from its type's fields.

The question form takes what was typed as it is: the one validator checks the saved draft and
its problems are shown beside the fields (``show_problems``), so no field here refuses a value.
"""

from __future__ import annotations

import functools
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..domain.i18n import lazy_gettext
from ..domain.model import ALL_OR_NOTHING, PARTIAL, Sentence
from ..domain.question_editor import EditorField, editor_key
from ..domain.question_types import question_type
from ..domain.question_types.base import MAX_CHOICES
from ..domain.validation import SET_ID
from ..student.forms import CheckboxesField

#: Rows offered for choices, pairs and criteria: those typed and two more, at least four.
MIN_ROWS, SPARE_ROWS = 4, 2
MAX_ROWS = MAX_CHOICES


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class _SetFields(FlaskForm):
    title = StringField(
        lazy_gettext("Title"),
        validators=[DataRequired(message=lazy_gettext("Give the set a title.")), Length(max=200)],
        filters=[_stripped],
        description=lazy_gettext("Students see it above every question."),
    )
    set_id = StringField(
        lazy_gettext("Set id"),
        validators=[
            Optional(),
            Regexp(
                SET_ID.pattern + r"\Z",
                message=lazy_gettext(
                    "Use 3 to 64 lower-case letters, digits and '-', e.g. unit-3-congress."
                ),
            ),
        ],
        filters=[_stripped],
        description=lazy_gettext(
            "3 to 64 lower-case letters, digits and '-'. Publishing under the id of "
            "one of your sets makes a new version of it."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class NewDraftForm(_SetFields):
    """A new set: its title and id, and optionally the article its questions quote."""

    article = TextAreaField(
        lazy_gettext("Article text (optional)"),
        filters=[_stripped],
        description=lazy_gettext(
            "Paste the story the questions are about; evidence is quoted from it. "
            "Leave a blank line between paragraphs."
        ),
        render_kw={"rows": 10},
    )
    source_title = StringField(
        lazy_gettext("Article title"), filters=[_stripped], validators=[Length(max=200)]
    )
    publisher = StringField(lazy_gettext("Publisher"), filters=[_stripped])
    author = StringField(lazy_gettext("Author"), filters=[_stripped])
    published = StringField(
        lazy_gettext("Date published"),
        filters=[_stripped],
        description=lazy_gettext("For example 2025-02-04."),
    )
    url = StringField(lazy_gettext("Web address"), filters=[_stripped])


class DraftSettingsForm(_SetFields):
    """A draft's title and the id it will publish under."""

    revision = HiddenField()


class DuplicateSetForm(_SetFields):
    """The id and title of a copy of a set."""


class _PairForm(Form):
    left = StringField(lazy_gettext("Item"))
    right = StringField(lazy_gettext("Its match"))


class _CriterionForm(Form):
    points = StringField(lazy_gettext("Points"), render_kw={"inputmode": "numeric", "size": 3})
    criterion = StringField(lazy_gettext("Criterion"))


class _NumberForm(Form):
    """One answer of a numerical question: a value and tolerance, or a range from min to max."""

    value = StringField(lazy_gettext("value"), filters=[_stripped], render_kw={"size": 8})
    tolerance = StringField(
        lazy_gettext("tolerance"),
        filters=[_stripped],
        render_kw={"inputmode": "decimal", "size": 6},
    )
    min = StringField(lazy_gettext("or from"), filters=[_stripped], render_kw={"size": 8})
    max = StringField(lazy_gettext("to"), filters=[_stripped], render_kw={"size": 8})
    credit = StringField(
        lazy_gettext("credit %"), filters=[_stripped], render_kw={"inputmode": "decimal", "size": 4}
    )
    feedback = StringField(lazy_gettext("feedback"), filters=[_stripped])


class QuestionForm(FlaskForm):
    """The fields every question has; ``question_form`` adds its type's own."""

    id = StringField(
        lazy_gettext("Question id"),
        filters=[_stripped],
        description=lazy_gettext("Lower-case letters, digits and '-'; unique in the set."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    prompt = TextAreaField(lazy_gettext("Question"), filters=[_stripped], render_kw={"rows": 3})
    explanation = TextAreaField(
        lazy_gettext("Explanation"),
        filters=[_stripped],
        description=lazy_gettext(
            "Shown after the answer: say why, and name the sentence that shows it."
        ),
        render_kw={"rows": 3},
    )
    points = StringField(
        lazy_gettext("Points"), filters=[_stripped], render_kw={"inputmode": "numeric"}
    )
    difficulty = SelectField(
        lazy_gettext("Difficulty"),
        choices=[
            SelectChoice("1", lazy_gettext("1: easy")),
            SelectChoice("2", lazy_gettext("2: medium")),
            SelectChoice("3", lazy_gettext("3: hard")),
        ],
        default="2",
    )
    category = StringField(
        lazy_gettext("Category"),
        filters=[_stripped],
        description=lazy_gettext("Optional, e.g. who-said-what."),
    )
    part_of = SelectField(
        lazy_gettext("Part B of"),
        choices=[SelectChoice("", lazy_gettext("None: a question on its own"))],
        description=lazy_gettext(
            "A Part B is shown with its Part A, and scores only when Part A is right."
        ),
    )
    revision = HiddenField()

    #: Set by ``question_form``: the type's editor fields, and the evidence fields by source.
    editor_fields: tuple[EditorField, ...] = ()
    evidence_sources: tuple[str, ...] = ()
    general_errors: list[str]

    def spec(self, key: str) -> EditorField:
        """The type's editor field of this key (its label, kind and hint)."""
        return next(spec for spec in self.editor_fields if spec.key == key)

    def show_problems(self, problems: dict[str, list[str]]) -> None:
        """Put the validator's problems of this question beside their fields; those about the
        question as a whole, or a field the form does not show, go above the form."""
        self.general_errors = []
        evidence_sources = list(self.evidence_sources)
        for key, messages in problems.items():
            name = editor_key(key)
            if name == "evidence":
                target = self._evidence_field(key, evidence_sources)
            elif name == "answer" and "choices" in self:
                target = self["choices_correct"]
            elif name and name in self and name not in ("csrf_token", "revision"):
                target = self[name]
            else:
                target = None
            if target is None:
                self.general_errors.extend(messages)
            else:
                target.errors = [*_errors_list(target), *messages]

    def _evidence_field(self, key: str, sources: list[str]) -> Field | None:
        if not sources:
            return None
        return self["evidence_0"]


def _errors_list(field: Field) -> list[str]:
    errors = field.errors
    if isinstance(errors, dict):  # a FieldList's errors are by entry
        return []
    return list(errors or [])


def _rows(count: int) -> int:
    return max(MIN_ROWS, min(MAX_ROWS, count + SPARE_ROWS))


def _type_fields(
    spec: EditorField, rows: int, source_choices: list[SelectChoice]
) -> dict[str, Field]:
    label, hint = spec.label, spec.hint
    kind = spec.kind
    if kind == "lines":
        return {spec.key: TextAreaField(label, description=hint, render_kw={"rows": 4})}
    if kind == "quotes":
        return {
            spec.key: TextAreaField(
                lazy_gettext("%(field)s: quotes typed or selected", field=label),
                description=hint,
                render_kw={"rows": 3},
            ),
            f"{spec.key}_pick": CheckboxesField(label, choices=[], validate_choice=False),
        }
    if kind == "long_text":
        return {spec.key: TextAreaField(label, description=hint, render_kw={"rows": 3})}
    if kind == "number":
        return {
            spec.key: StringField(
                label, description=hint, filters=[_stripped], render_kw={"inputmode": "numeric"}
            )
        }
    if kind == "decimal":
        return {
            spec.key: StringField(
                label, description=hint, filters=[_stripped], render_kw={"inputmode": "decimal"}
            )
        }
    if kind == "numbers":
        return {
            spec.key: FieldList(FormField(_NumberForm), label, min_entries=rows, max_entries=rows)
        }
    if kind == "truth":
        return {
            spec.key: RadioField(
                label,
                choices=[
                    SelectChoice("true", lazy_gettext("True")),
                    SelectChoice("false", lazy_gettext("False")),
                ],
                validate_choice=False,
            )
        }
    if kind == "flag":
        return {spec.key: BooleanField(label, default=True)}
    if kind == "scoring":
        return {
            spec.key: RadioField(
                label,
                choices=[
                    SelectChoice(ALL_OR_NOTHING, lazy_gettext("All or nothing")),
                    SelectChoice(
                        PARTIAL, lazy_gettext("Partial: a share of the points per right pick")
                    ),
                ],
                default=ALL_OR_NOTHING,
                validate_choice=False,
            )
        }
    if kind == "source":
        choices = source_choices[1:] if spec.required else source_choices
        return {
            spec.key: SelectField(label, description=hint, choices=choices, validate_choice=False)
        }
    if kind == "choices":
        numbers = [
            SelectChoice(str(i), lazy_gettext("Choice %(number)s is right", number=i + 1))
            for i in range(rows)
        ]
        correct: Field = (
            CheckboxesField(lazy_gettext("Right choices"), choices=numbers, validate_choice=False)
            if spec.many
            else RadioField(lazy_gettext("Right choice"), choices=numbers, validate_choice=False)
        )
        return {
            spec.key: FieldList(
                StringField(lazy_gettext("Choice")), label, min_entries=rows, max_entries=rows
            ),
            "choices_correct": correct,
        }
    if kind == "pairs":
        return {
            spec.key: FieldList(FormField(_PairForm), label, min_entries=rows, max_entries=rows)
        }
    if kind == "rubric":
        return {
            spec.key: FieldList(
                FormField(_CriterionForm), label, min_entries=rows, max_entries=rows
            )
        }
    return {spec.key: StringField(label, description=hint, filters=[_stripped])}


@functools.lru_cache(maxsize=256)
def _form_class(
    type_name: str, rows: int, sources: tuple[tuple[str, str], ...]
) -> type[QuestionForm]:
    """One class per type, row count and set of sources: building a class is slow."""
    fields: dict[str, Any] = {}
    source_choices = [
        SelectChoice("", lazy_gettext("None")),
        *(SelectChoice(k, t) for k, t in sources),
    ]
    kind = question_type(type_name)
    for spec in kind.editor_fields:
        fields.update(_type_fields(spec, rows, source_choices))
    for index, (_key, title) in enumerate(sources):
        fields[f"evidence_{index}"] = TextAreaField(
            lazy_gettext("Evidence quoted from “%(title)s”", title=title),
            description=lazy_gettext(
                "One quote per line, copied exactly. Tick sentences below, or select "
                "words in the text and press “Use as evidence”."
            ),
            render_kw={"rows": 3},
        )
        fields[f"evidence_{index}_pick"] = CheckboxesField(
            lazy_gettext("Sentences of “%(title)s” used as evidence", title=title),
            choices=[],
            validate_choice=False,
        )
    fields["editor_fields"] = kind.editor_fields
    fields["evidence_sources"] = tuple(key for key, _ in sources)
    return type("TypeQuestionForm", (QuestionForm,), fields)


def question_form(
    type_name: str,
    rows: int,
    sources: tuple[tuple[str, str], ...],
    **options: Any,
) -> QuestionForm:
    """The question form for a type, with ``rows`` rows for choices, pairs or criteria and an
    evidence box for each of the set's sources (``(key, title)``)."""
    form = _form_class(type_name, _rows(rows), sources)(**options)
    form.general_errors = []
    return form


def sentence_choices(sentences: tuple[Sentence, ...]) -> list[SelectChoice]:
    """The check boxes of a source's sentences, valued by sentence number."""
    return [SelectChoice(str(s.number), s.text) for s in sentences]
