"""The editor's rules for a draft set: checking it field by field, and changing its questions.

A draft is the native format's plain data, as typed, mistakes and all. ``check_draft`` runs
the one validator (``validate_document``, the same every upload passes) and keys each problem
to the field it is about (``"title"``, ``"questions.2.prompt"``), so the editor can show it
beside that field. The question operations return new data and never change their input.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import QuestionSetError
from .i18n import gettext
from .model import FORMAT_V1, QuestionSet
from .raw_document import PathKey, RawDocument
from .validation import validate_document

#: The key of errors about the set as a whole, not one of its fields.
WHOLE_SET = ""

# The validator's messages (domain/checker.py, validation.py) that the editor rewords or moves
# onto a field. They are matched as the reader's catalogue words them, so the editor finds the
# field in every language; they are the validator's messages, translated with it (held in
# variables here so that this module does not extract them a second time).
_MISSING_KEY = "add the required key '%(key)s'"
_EMPTY_FIELD = "%(name)s must not be empty"
_MISSING_SET_ID = "add an 'id:' for the set, e.g. id: my-civics-set"
#: A type's own "add 'pairs:' mapping ..." names the field it wants: a format keyword, which
#: every language keeps as it is.
_MISSING_FIELD = re.compile(r"'([a-z_]+):'")
_KEY_HOLE = "\x00"
_NEW_ID_TAIL = re.compile(r"-(\d+)$")


@dataclass(frozen=True)
class CheckedDraft:
    """The validator's verdict on a draft: the set when valid, else the problems by field."""

    question_set: QuestionSet | None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Whether the draft can be published as it is."""
        return self.question_set is not None

    def question_errors(self, index: int) -> dict[str, list[str]]:
        """The problems of question ``index``, by its field ("" for the question as a whole)."""
        prefix = f"questions.{index}"
        found: dict[str, list[str]] = {}
        for key, messages in self.errors.items():
            if key == prefix or key.startswith(prefix + "."):
                found.setdefault(key[len(prefix) + 1 :], []).extend(messages)
        return found


def field_key(path: PathKey) -> str:
    """The editor's name for a field of the document: its path joined by dots."""
    return ".".join(str(part) for part in path)


def publishable_data(document: dict[str, Any], set_id: str | None) -> dict[str, Any]:
    """The draft as a file would hold it: the format line and the set id in front."""
    data = {"format": FORMAT_V1}
    if set_id:
        data["id"] = set_id
    data.update({k: v for k, v in document.items() if k not in ("format", "id")})
    return data


def check_draft(document: dict[str, Any], set_id: str | None) -> CheckedDraft:
    """Validate the draft as an upload is validated; key every problem to its field."""
    data = publishable_data(document, set_id)
    paths = _numbered_paths(data)
    # Each value gets a "line" of its own, so a problem's line names the field it is about.
    raw = RawDocument(data, lines={path: number for number, path in enumerate(paths)})
    try:
        question_set = validate_document(raw, f"{set_id or 'draft'}.yaml")
    except QuestionSetError as error:
        errors: dict[str, list[str]] = {}
        for issue in error.issues:
            path = paths[issue.line] if issue.line is not None else ()
            path, message = _plain(path, issue.message)
            errors.setdefault(_editor_key(path), []).append(message)
        return CheckedDraft(None, errors)
    return CheckedDraft(question_set)


def _numbered_paths(data: Any) -> list[PathKey]:
    """Every path in ``data``, the whole document first."""
    paths: list[PathKey] = []

    def walk(value: Any, path: PathKey) -> None:
        paths.append(path)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(data, ())
    return paths


def _key_of(message: str, message_id: str, placeholder: str) -> str | None:
    """The key that ``message`` names if it is ``message_id`` (as the reader's catalogue
    words it) with a key in its ``placeholder``; None if it is another message."""
    worded = re.escape(gettext(message_id, **{placeholder: _KEY_HOLE}))
    found = re.fullmatch(worded.replace(re.escape(_KEY_HOLE), "([a-z_]+)"), message)
    return found.group(1) if found else None


def _plain(path: PathKey, message: str) -> tuple[PathKey, str]:
    """A missing field is reported on the field itself, in the editor's words."""
    missing = _key_of(message, _MISSING_KEY, "key")
    if missing:
        return (*path, missing), _fill_in(missing)
    empty = _key_of(message, _EMPTY_FIELD, "name")
    if empty:
        return path, _fill_in(empty)
    wanted = _MISSING_FIELD.search(message)
    if wanted and path[:1] == ("questions",) and len(path) == 2:
        return (*path, wanted.group(1)), message
    if path == () and message == gettext(_MISSING_SET_ID):
        return ("id",), gettext("choose a set id, such as my-civics-set")
    return path, message


def _fill_in(key: str) -> str:
    # The field keeps the name the file format gives it (prompt, choices): a keyword.
    return gettext("fill in the %(field)s", field=key.replace("_", " "))


def _editor_key(path: PathKey) -> str:
    """The form field a path belongs to; the set id is the editor's ``set_id`` box."""
    if path[:1] == ("id",):
        return "set_id"
    if path[:1] == ("format",):
        return WHOLE_SET
    return field_key(path)


def unique_question_id(questions: list[dict[str, Any]], wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``…: an id no question of the list has."""
    taken = {q.get("id") for q in questions if isinstance(q, dict)}
    if wanted not in taken:
        return wanted
    stem = _NEW_ID_TAIL.sub("", wanted) or "question"
    number = 2
    while f"{stem}-{number}" in taken:
        number += 1
    return f"{stem}-{number}"[-64:]


def with_questions_added(
    document: dict[str, Any], questions: list[dict[str, Any]]
) -> dict[str, Any]:
    """The document with ``questions`` appended, each given an id no other question has."""
    kept = list(document.get("questions") or [])
    for question in questions:
        added = copy.deepcopy(question)
        added["id"] = unique_question_id(kept, str(added.get("id") or "question"))
        kept.append(added)
    return {**document, "questions": kept}


def with_question_replaced(
    document: dict[str, Any], index: int, question: dict[str, Any]
) -> dict[str, Any]:
    """The document with question ``index`` replaced; a changed id carries its Part B along."""
    questions = list(document.get("questions") or [])
    old_id = questions[index].get("id") if isinstance(questions[index], dict) else None
    questions[index] = copy.deepcopy(question)
    new_id = question.get("id")
    if old_id and new_id and old_id != new_id:
        for i, other in enumerate(questions):
            if isinstance(other, dict) and other.get("part_of") == old_id:
                questions[i] = {**other, "part_of": new_id}
    return {**document, "questions": questions}


def with_question_duplicated(document: dict[str, Any], index: int) -> dict[str, Any]:
    """The document with a copy of question ``index`` right after it, under a new id.

    A copy of a Part B is a question of its own: a Part A has only one Part B.
    """
    questions = list(document.get("questions") or [])
    copied = copy.deepcopy(questions[index])
    if isinstance(copied, dict):
        copied["id"] = unique_question_id(questions, str(copied.get("id") or "question") + "-2")
        copied.pop("part_of", None)
    questions.insert(index + 1, copied)
    return {**document, "questions": questions}


def with_question_moved(document: dict[str, Any], index: int, to: int) -> dict[str, Any]:
    """The document with question ``index`` moved to position ``to`` (clamped to the list)."""
    questions = list(document.get("questions") or [])
    moved = questions.pop(index)
    questions.insert(max(0, min(to, len(questions))), moved)
    return {**document, "questions": questions}


def with_question_deleted(document: dict[str, Any], index: int) -> dict[str, Any]:
    """The document without question ``index``; its Part B, if any, becomes a question alone."""
    questions = list(document.get("questions") or [])
    removed = questions.pop(index)
    removed_id = removed.get("id") if isinstance(removed, dict) else None
    if removed_id:
        questions = [
            {k: v for k, v in q.items() if k != "part_of"}
            if isinstance(q, dict) and q.get("part_of") == removed_id
            else q
            for q in questions
        ]
    return {**document, "questions": questions}
