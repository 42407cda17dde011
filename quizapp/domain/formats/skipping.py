"""Importing the valid questions of a file and skipping those with errors, when asked to.

A bank of hundreds of questions from another system often holds a few that cannot arrive (a
typo, a type we do not have). Without being asked, a file with any error is refused, as always;
asked, every question with an error is left out and listed with its line and reason, and the
rest is validated again as a set of its own.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..errors import QuestionSetError, ValidationIssue
from ..model import QuestionSet
from ..raw_document import PathKey, RawDocument

#: Leaving questions out can make others invalid (a Part B whose Part A was left out): the
#: set is validated again, at most this many times.
MAX_PASSES = 5


@dataclass(frozen=True)
class Skipping:
    """The valid part of a file: its document, its set, and what was left out."""

    document: RawDocument
    question_set: QuestionSet
    #: Each problem of a skipped question, with its line and reason.
    skipped: list[ValidationIssue]
    #: How many questions were left out.
    skipped_count: int


def skip_invalid(
    document: RawDocument,
    validate: Callable[[RawDocument], QuestionSet],
    parser_issues: list[ValidationIssue],
) -> Skipping:
    """Validate ``document`` without the questions that have errors.

    ``parser_issues`` are questions the parser could not read (they are not in the document).
    A problem that belongs to no question (a missing source, a bad set id) still refuses the
    file, as does a file with no valid question left.
    """
    fatal = [issue for issue in parser_issues if issue.line is None]
    if fatal:
        raise QuestionSetError(parser_issues)
    skipped = list(parser_issues)
    count = len({issue.line for issue in parser_issues})
    for _ in range(MAX_PASSES):
        try:
            question_set = validate(document)
        except QuestionSetError as error:
            located = [_question_index(document, issue) for issue in error.issues]
            if any(index is None for index in located):
                raise QuestionSetError(sorted(skipped + error.issues, key=_line)) from None
            bad = {index for index in located if index is not None}
            skipped += error.issues
            count += len(bad)
            document = without_questions(document, bad)
            continue
        return Skipping(document, question_set, sorted(skipped, key=_line), count)
    raise QuestionSetError(sorted(skipped, key=_line))


def count_valid(
    document: RawDocument,
    issues: list[ValidationIssue],
    parser_issues: list[ValidationIssue],
) -> tuple[int, int]:
    """How many questions a refused file would keep if its invalid ones were skipped, and how
    many it would skip, from the issues already found (no second validation: a refused upload
    costs no more than before); (0, 0) when skipping would not save it. Leaving out a Part A
    can make its Part B fail too, so the preview of the skipping import has the last word."""
    if any(issue.line is None for issue in parser_issues):
        return 0, 0
    located = [_question_index(document, issue) for issue in issues]
    if any(index is None for index in located):
        return 0, 0
    questions = document.data.get("questions") if isinstance(document.data, dict) else None
    total = len(questions) if isinstance(questions, list) else 0
    bad = {index for index in located if index is not None}
    skipped = len(bad) + len({issue.line for issue in parser_issues})
    valid = total - len(bad)
    return (valid, skipped) if valid > 0 else (0, 0)


def without_questions(document: RawDocument, indices: set[int]) -> RawDocument:
    """The document without the questions at ``indices``; the others keep their lines."""
    questions = document.data.get("questions") if isinstance(document.data, dict) else None
    if not isinstance(questions, list):
        return document
    kept = [index for index in range(len(questions)) if index not in indices]
    new_index = {old: new for new, old in enumerate(kept)}
    data = {**document.data, "questions": [questions[index] for index in kept]}
    return RawDocument(
        data,
        _moved(document.lines, new_index),
        _moved(document.raw_scalars, new_index),
    )


V = TypeVar("V")


def _moved(mapping: dict[PathKey, V], new_index: dict[int, int]) -> dict[PathKey, V]:
    moved: dict[PathKey, V] = {}
    for path, value in mapping.items():
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            if path[1] in new_index:
                moved[("questions", new_index[path[1]], *path[2:])] = value
        else:
            moved[path] = value
    return moved


def _question_index(document: RawDocument, issue: ValidationIssue) -> int | None:
    """The question an issue belongs to (the last one with its id that starts on or before
    its line), or None for an issue of the whole set."""
    if issue.question_id is None:
        return None
    questions = document.data.get("questions") if isinstance(document.data, dict) else None
    total = len(questions) if isinstance(questions, list) else 0
    if issue.question_id.startswith("#") and issue.question_id[1:].isdigit():
        index = int(issue.question_id[1:]) - 1
        return index if 0 <= index < total else None
    ids = [entry.get("id") if isinstance(entry, dict) else None for entry in questions or []]
    if issue.line is not None:
        starts = [document.lines.get(("questions", index), 0) for index in range(total)]
        found = bisect.bisect_right(starts, issue.line) - 1
        if found >= 0 and (ids[found] == issue.question_id or issue.question_id not in ids):
            return found
    return ids.index(issue.question_id) if issue.question_id in ids else None


def _line(issue: ValidationIssue) -> int:
    return issue.line or 0
