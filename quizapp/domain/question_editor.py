"""How the browser editor shows a question's fields, and reads what the teacher typed back.

Each question type names its editor fields (``QuestionType.editor_fields``): a key of the
native format, a label, and a kind that says how the field is typed. This module turns a
question's data into the values of those fields and back, as typed: it never corrects nor
refuses (the one validator does that, and its problems are shown beside the fields), so a
question saved from the editor holds exactly what the teacher typed.

Kinds and their values:

- ``lines``: a list of texts, typed one per line (accepted answers, items, distractors).
- ``text`` / ``long_text``: one text; ``source``: the key of one of the set's sources.
- ``number``: a whole number, kept as typed text when it is not one.
- ``truth``: ``"true"`` or ``"false"``; ``flag``: ticked or not (``shuffle``, on by default).
- ``scoring``: ``all_or_nothing`` (left out of the data) or ``partial``.
- ``choices``: rows of choice texts, with the indexes of the right ones (``answer``).
- ``pairs``: rows of (left, right); ``rubric``: rows of (points, criterion).
- ``quotes``: the sentences a ``select_evidence`` question accepts, verbatim quotes.
- ``decimal``: a number that may have decimals (a tolerance), kept as typed text when it is
  not one.
- ``numbers``: rows of a ``numerical`` question's answers: (value, tolerance, min, max, credit,
  feedback), each typed text; a row with only a value is written as a plain number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .model import ALL_OR_NOTHING, PARTIAL

#: The fields every question has, edited above the type's own fields.
COMMON_KEYS: tuple[str, ...] = ("id", "type", "category", "difficulty", "points", "part_of")
COMMON_KEYS += ("prompt", "explanation", "evidence")


@dataclass(frozen=True)
class EditorField:
    """One field of a question type in the editor."""

    key: str
    label: str
    kind: str
    hint: str = ""
    #: ``choices``: whether several choices may be right.
    many: bool = False
    #: ``source``: whether the question needs one (then the first source is offered first).
    required: bool = False


def _number(text: str) -> int | str:
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() else stripped


def _shown_number(value: Any) -> str:
    return "" if value is None else str(value)


#: The parts of a row of a ``numbers`` field, in the order the row shows them.
NUMBER_ROW_KEYS = ("value", "tolerance", "min", "max", "credit", "feedback")


def _decimal(text: str) -> int | float | str:
    """A typed number as a number (1787, 2.5), or the text as typed for the validator."""
    stripped = text.strip()
    try:
        number = float(stripped)
    except ValueError:
        return stripped
    if not math.isfinite(number):
        return stripped
    return int(number) if number.is_integer() and "." not in stripped else number


def _number_rows(value: Any) -> list[dict[str, str]]:
    entries = value if isinstance(value, list) else [] if value is None else [value]
    rows = []
    for entry in entries:
        fields = entry if isinstance(entry, dict) else {"value": entry}
        rows.append({key: _shown_number(fields.get(key)) for key in NUMBER_ROW_KEYS})
    return rows


def _number_entry(row: dict[str, str]) -> Any:
    typed = {key: str(row.get(key) or "").strip() for key in NUMBER_ROW_KEYS}
    entry: dict[str, Any] = {
        key: text if key == "feedback" else _decimal(text) for key, text in typed.items() if text
    }
    return entry["value"] if list(entry) == ["value"] else entry


def field_value(spec: EditorField, question: dict[str, Any]) -> Any:
    """The value the editor shows in ``spec``'s field for a question's data."""
    value = question.get(spec.key)
    if spec.kind == "lines" or spec.kind == "quotes":
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if spec.kind in ("number", "decimal"):
        return _shown_number(value)
    if spec.kind == "numbers":
        return _number_rows(value)
    if spec.kind == "truth":
        return {True: "true", False: "false"}.get(value, "") if isinstance(value, bool) else ""
    if spec.kind == "flag":
        return value is not False
    if spec.kind == "scoring":
        return PARTIAL if value == PARTIAL else ALL_OR_NOTHING
    if spec.kind == "choices":
        choices = [str(c) for c in value] if isinstance(value, list) else []
        answer = question.get("answer")
        right = answer if isinstance(answer, list) else [answer]
        correct = [i for i, choice in enumerate(choices) if choice in right]
        return {"choices": choices, "correct": correct}
    if spec.kind == "pairs":
        return [(str(k), str(v)) for k, v in value.items()] if isinstance(value, dict) else []
    if spec.kind == "rubric":
        rows = value if isinstance(value, list) else []
        return [
            (_shown_number(row.get("points")), str(row.get("criterion") or ""))
            for row in rows
            if isinstance(row, dict)
        ]
    return "" if value is None else str(value)


def data_from_field(spec: EditorField, value: Any) -> dict[str, Any]:
    """The question data one editor field gives; empty when the field was left empty."""
    key = spec.key
    if spec.kind in ("lines", "quotes"):
        lines = [line.strip() for line in value if line.strip()]
        return {key: lines} if lines else {}
    if spec.kind == "number":
        return {key: _number(value)} if str(value).strip() else {}
    if spec.kind == "decimal":
        return {key: _decimal(str(value))} if str(value or "").strip() else {}
    if spec.kind == "numbers":
        typed = [row for row in value if any(str(v or "").strip() for v in row.values())]
        entries = [_number_entry(row) for row in typed]
        return {key: entries} if entries else {}
    if spec.kind == "truth":
        return {key: {"true": True, "false": False}[value]} if value in ("true", "false") else {}
    if spec.kind == "flag":
        return {} if value else {key: False}
    if spec.kind == "scoring":
        return {key: PARTIAL} if value == PARTIAL else {}
    if spec.kind == "choices":
        rows = [(i, text.strip()) for i, text in enumerate(value["choices"])]
        kept = [(i, text) for i, text in rows if text]
        data: dict[str, Any] = {key: [text for _, text in kept]} if kept else {}
        right = [text for i, text in kept if i in value["correct"]]
        if spec.many and right:
            data["answer"] = right
        elif right:
            data["answer"] = right[0]
        return data
    if spec.kind == "pairs":
        pairs = {left.strip(): right.strip() for left, right in value if left.strip()}
        return {key: pairs} if pairs else {}
    if spec.kind == "rubric":
        rubric = [
            {"points": _number(points), "criterion": criterion.strip()}
            for points, criterion in value
            if str(points).strip() or criterion.strip()
        ]
        return {key: rubric} if rubric else {}
    text = str(value or "").strip()
    return {key: text} if text else {}


def edited_question(
    original: dict[str, Any],
    type_name: str,
    fields: tuple[EditorField, ...],
    common: dict[str, Any],
    values: dict[str, Any],
) -> dict[str, Any]:
    """The question the editor's form makes: the common fields, the type's own fields, and
    whatever else the original held that the editor does not show (``x-`` keys)."""
    shown = set(COMMON_KEYS) | {spec.key for spec in fields}
    if any(spec.kind == "choices" for spec in fields):
        shown.add("answer")  # the ticked choices are the answer
    question: dict[str, Any] = {"id": str(common.get("id") or "").strip(), "type": type_name}
    for key in ("category", "part_of"):
        text = str(common.get(key) or "").strip()
        if text:
            question[key] = text
    for key in ("difficulty", "points"):
        if str(common.get(key) or "").strip():
            question[key] = _number(str(common[key]))
    for key in ("prompt", "explanation"):
        question[key] = str(common.get(key) or "").strip()
    for spec in fields:
        question.update(data_from_field(spec, values.get(spec.key)))
    evidence = [
        {"source": source, "quote": quote.strip()}
        for source, quotes in (common.get("evidence") or {}).items()
        for quote in quotes
        if quote.strip()
    ]
    if evidence:
        question["evidence"] = evidence
    question.update({k: v for k, v in original.items() if k not in shown and k not in question})
    return question


def evidence_by_source(question: dict[str, Any]) -> dict[str, list[str]]:
    """A question's evidence quotes, by the key of the source they quote."""
    found: dict[str, list[str]] = {}
    for entry in question.get("evidence") or []:
        if isinstance(entry, dict):
            found.setdefault(str(entry.get("source") or ""), []).append(str(entry.get("quote", "")))
    return found


def editor_key(error_key: str) -> str:
    """The editor field a validator problem of a question belongs to (``choices.2`` ->
    ``choices``); "" for the question as a whole."""
    return error_key.split(".", 1)[0]
