"""Between a question's data and the editor's form: the values a form shows, and the question
data a sent form makes (as typed; the validator judges it after the save)."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from ..domain.i18n import gettext
from ..domain.model import Sentence
from ..domain.question_editor import (
    NUMBER_ROW_KEYS,
    EditorField,
    edited_question,
    evidence_by_source,
    field_value,
)
from ..domain.question_types import question_type
from ..domain.sentences import split_sentences
from .forms import QuestionForm, question_form, sentence_choices

SourceTexts = dict[str, tuple[str, str]]  # key -> (title, text)


def source_texts(document: dict[str, Any]) -> SourceTexts:
    """The draft's sources that have a text, as (title, text) by key."""
    sources = document.get("sources")
    found: SourceTexts = {}
    for key, entry in (sources if isinstance(sources, dict) else {}).items():
        if isinstance(entry, dict) and isinstance(entry.get("text"), str):
            found[str(key)] = (str(entry.get("title") or key), entry["text"])
    return found


def sentences_of(sources: SourceTexts, key: str) -> tuple[Sentence, ...]:
    """The sentences of one of the draft's sources (none for an unknown key)."""
    return split_sentences(sources[key][1]) if key in sources else ()


def _row_count(question: dict[str, Any]) -> int:
    counts = [0]
    for key in ("choices", "pairs", "rubric", "answer"):
        value = question.get(key)
        if isinstance(value, list | dict):
            counts.append(len(value))
    return max(counts)


def _split_quotes(quotes: list[str], sentences: tuple[Sentence, ...]) -> tuple[list[str], str]:
    """Quotes that are whole sentences (shown ticked) and the others (shown typed)."""
    texts = {s.text for s in sentences}
    picked = [q for q in quotes if q.strip() in texts]
    typed = [q for q in quotes if q.strip() not in texts]
    return [q.strip() for q in picked], "\n".join(typed)


def _initial(
    question: dict[str, Any], sources: SourceTexts, fields: tuple[EditorField, ...]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: "" if question.get(key) is None else str(question.get(key))
        for key in ("id", "prompt", "explanation", "points", "category", "part_of")
    }
    data["difficulty"] = str(question.get("difficulty") or "2")
    for spec in fields:
        value = field_value(spec, question)
        if spec.kind == "choices":
            data[spec.key] = value["choices"]
            correct = [str(i) for i in value["correct"]]
            data["choices_correct"] = correct if spec.many else (correct[0] if correct else None)
        elif spec.kind == "pairs":
            data[spec.key] = [{"left": left, "right": right} for left, right in value]
        elif spec.kind == "rubric":
            data[spec.key] = [{"points": p, "criterion": c} for p, c in value]
        elif spec.kind == "lines":
            data[spec.key] = "\n".join(value)
        elif spec.kind == "numbers":
            data[spec.key] = value
        elif spec.kind == "quotes":
            source = str(question.get("source") or next(iter(sources), ""))
            data[f"{spec.key}_pick"], data[spec.key] = _split_quotes(
                value, sentences_of(sources, source)
            )
        else:
            data[spec.key] = value
    by_source = evidence_by_source(question)
    for index, key in enumerate(sources):
        data[f"evidence_{index}_pick"], data[f"evidence_{index}"] = _split_quotes(
            by_source.get(key, []), sentences_of(sources, key)
        )
    return data


def editor_form(
    type_name: str,
    question: dict[str, Any],
    document: dict[str, Any],
    earlier_ids: list[str],
    formdata: MultiDict[str, str] | None = None,
) -> QuestionForm:
    """The form for ``question`` of the draft: filled from ``question``, or from sent fields
    (``formdata``; None: the request's form on a POST)."""
    sources = source_texts(document)
    fields = question_type(type_name).editor_fields
    options: dict[str, Any] = {"data": _initial(question, sources, fields)}
    if formdata is not None:
        options["formdata"] = formdata
    form = question_form(
        type_name,
        _row_count(question),
        tuple((key, title) for key, (title, _) in sources.items()),
        **options,
    )
    form.part_of.choices = [
        SelectChoice("", gettext("None: a question on its own")),
        *(SelectChoice(i, i) for i in earlier_ids),
    ]
    for index, key in enumerate(sources):
        form[f"evidence_{index}_pick"].choices = sentence_choices(sentences_of(sources, key))
    for spec in fields:
        if spec.kind == "quotes":
            key = str(form["source"].data or next(iter(sources), ""))
            form[f"{spec.key}_pick"].choices = sentence_choices(sentences_of(sources, key))
    return form


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").replace("\r", "").split("\n") if line.strip()]


def _picked_and_typed(picked: list[str] | None, typed: str | None) -> list[str]:
    quotes = list(picked or [])
    quotes += [line for line in _lines(typed) if line.strip() not in quotes]
    return quotes


def sent_question(
    form: QuestionForm, type_name: str, original: dict[str, Any], document: dict[str, Any]
) -> dict[str, Any]:
    """The question data the sent form makes, as typed."""
    sources = source_texts(document)
    common: dict[str, Any] = {
        key: form[key].data
        for key in ("id", "prompt", "explanation", "points", "difficulty", "category", "part_of")
    }
    common["evidence"] = {
        key: _picked_and_typed(form[f"evidence_{i}_pick"].data, form[f"evidence_{i}"].data)
        for i, key in enumerate(sources)
    }
    values: dict[str, Any] = {}
    for spec in form.editor_fields:
        field = form[spec.key]
        if spec.kind == "choices":
            correct = form["choices_correct"].data
            chosen = correct if isinstance(correct, list) else [correct] if correct else []
            values[spec.key] = {
                "choices": [entry.data or "" for entry in field.entries],
                "correct": [int(i) for i in chosen if str(i).isdigit()],
            }
        elif spec.kind == "pairs":
            values[spec.key] = [
                (e.form.left.data or "", e.form.right.data or "") for e in field.entries
            ]
        elif spec.kind == "rubric":
            values[spec.key] = [
                (e.form.points.data or "", e.form.criterion.data or "") for e in field.entries
            ]
        elif spec.kind == "numbers":
            values[spec.key] = [
                {key: e.form[key].data or "" for key in NUMBER_ROW_KEYS} for e in field.entries
            ]
        elif spec.kind == "lines":
            values[spec.key] = _lines(field.data)
        elif spec.kind == "quotes":
            values[spec.key] = _picked_and_typed(form[f"{spec.key}_pick"].data, field.data)
        else:
            values[spec.key] = field.data
    return edited_question(original, type_name, form.editor_fields, common, values)
