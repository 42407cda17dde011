"""What every export format shares: the exported file, and the order it writes the questions in.

Kept apart from the Moodle XML writer so that GIFT exports and the download views do not import
lxml, which a worker then loads only for a Moodle XML export or upload.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..i18n import gettext, ngettext
from ..model import Question, QuestionSet
from ..question_types import TYPE_TITLES


@dataclass
class Export:
    """An exported file and the questions it could not hold, with the reason."""

    text: str
    left_out: list[tuple[str, str]] = field(default_factory=list)
    #: Questions that Moodle will grade a little differently, with how.
    notes: list[tuple[str, str]] = field(default_factory=list)

    def report(self) -> list[str]:
        """What a teacher opening the file should read first, a line each: the questions it
        leaves out and those Moodle treats differently (the file's comments carry them)."""
        lines = []
        if self.left_out:
            lines.append(
                ngettext(
                    "%(num)s question of the set is not in this file:",
                    "%(num)s questions of the set are not in this file:",
                    len(self.left_out),
                )
            )
            # Listed with a dash: a GIFT reader takes "// evidence: ..." for an evidence quote,
            # and a question may be called "evidence".
            lines += [f"  - {question_id}: {reason}" for question_id, reason in self.left_out]
        if self.notes:
            lines.append(gettext("Moodle will treat these questions a little differently:"))
            lines += [f"  - {question_id}: {reason}" for question_id, reason in self.notes]
        return lines


@dataclass(frozen=True)
class ExportStep:
    """One question as an export writes it, with what changes before it."""

    question: Question
    #: The category this question starts, when it differs from the one before it.
    new_category: str | None
    #: Whether its instructions differ from those in force before it (a new category ends them).
    new_instructions: bool


def split_held(
    question_set: QuestionSet, writers: dict[str, Any], format_name: str
) -> tuple[list[Question], list[tuple[str, str]]]:
    """The questions a format has a writer for, and (id, reason) for the ones it cannot hold."""
    held = [q for q in question_set.questions if q.type in writers]
    left_out = [
        (
            q.id,
            gettext(
                "%(format)s has no question of the type “%(type)s”",
                format=format_name,
                type=TYPE_TITLES.get(q.type, q.type),
            ),
        )
        for q in question_set.questions
        if q.type not in writers
    ]
    return held, left_out


def export_steps(questions: list[Question]) -> Iterator[ExportStep]:
    """The questions in order, each with the category and instructions changes before it: how
    both GIFT and Moodle XML write categories and description blocks."""
    category: str | None = None
    instructions = ""
    for question in questions:
        new_category = None
        if question.category != category:
            category = new_category = question.category
            instructions = ""
        new_instructions = question.instructions != instructions
        instructions = question.instructions
        yield ExportStep(question, new_category, new_instructions)
