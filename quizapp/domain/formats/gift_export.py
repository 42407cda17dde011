"""Write a set as GIFT, the plain-text format Moodle (and Civics Quiz) import.

GIFT holds less than our format: no points, difficulty or choice order, no ordering or
evidence-sentence questions. Those questions are left out and listed; evidence quotes travel as
``// evidence [source]: quote`` comments, which Moodle ignores and Civics Quiz reads back.
"""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import gettext
from ..model import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    PARTIAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    WRITTEN_RESPONSE,
    Question,
    QuestionSet,
)
from ..question_types.numerical import format_number
from ..rich_text import image_sources, question_texts
from .exporting import Export, export_steps, split_held

_SPECIAL = "\\~=#{}:"
#: GIFT's marker for the question's text format (plain text needs none).
_MARKERS = {"html": "[html]", "markdown": "[markdown]"}


def escape_gift(text: str) -> str:
    """Text with GIFT's special characters escaped and line breaks written as ``\\n``."""
    escaped = "".join(f"\\{char}" if char in _SPECIAL else char for char in text)
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def export_gift(question_set: QuestionSet) -> Export:
    """The set as a GIFT file; the questions GIFT cannot hold are listed as left out."""
    lines = [f"// {question_set.title} (Civics Quiz set {question_set.id})", ""]
    notes: list[tuple[str, str]] = []
    held, left_out = split_held(question_set, _WRITERS, "GIFT")
    for step in export_steps(held):
        question, writer = step.question, _WRITERS[step.question.type]
        if step.new_category is not None:
            lines += [f"$CATEGORY: $course$/top/{step.new_category}", ""]
        if step.new_instructions:
            instructions = question.instructions
            if instructions:
                # A GIFT question without an answer block is a description.
                marker = _MARKERS.get(question.text_format, "")
                lines += [f"::instructions-{question.id}::{marker}{escape_gift(instructions)}", ""]
            else:
                notes.append((question.id, gettext("GIFT cannot end the instructions before it")))
        for evidence in question.evidence:
            quote = " ".join(evidence.quote.split())
            lines.append(f"// evidence [{evidence.source}]: {quote}")
        answers = writer(question)
        general = f"####{escape_gift(question.explanation)}" if question.explanation else ""
        marker = _MARKERS.get(question.text_format, "")
        lines.append(f"::{escape_gift(question.id)}::{marker}{escape_gift(question.prompt)} {{")
        lines += [f"\t{answer}" for answer in answers]
        if general:
            lines.append(f"\t{general}")
        lines += ["}", ""]
        notes += _notes(question)
    export = Export("", left_out, notes)
    report = export.report()
    if report:  # under the title, where a teacher opening the file looks first
        lines[1:1] = [f"// {line}" for line in report] + [""] * (lines[1] != "")
    export.text = "\n".join(lines)
    return export


def _notes(question: Question) -> list[tuple[str, str]]:
    notes = []
    if any(image_sources(text, question.text_format) for text in question_texts(question)):
        notes.append((question.id, gettext("GIFT cannot carry images: add them again in Moodle")))
    if question.points != 1:
        notes.append((question.id, gettext("GIFT has no points: Moodle gives it its default mark")))
    if (
        question.type == MULTIPLE_CHOICE
        and question.scoring != PARTIAL
        and len(question.answer) > 1
    ):
        notes.append(
            (
                question.id,
                gettext("GIFT weights give partial credit for some of the right answers"),
            )
        )
    return notes


def _with_feedback(answer: str, question: Question, key: str) -> str:
    feedback = question.feedback_for(key)
    return f"{answer}#{escape_gift(feedback)}" if feedback else answer


def _weight(credit: float) -> str:
    return f"%{_percent(credit)}%"


def _single_choice(question: Question) -> list[str]:
    lines = []
    for choice in question.choices:
        credit = 100.0 if choice == question.answer else question.credit_of(choice) or 0.0
        sign = "=" if credit >= 100 else f"~{_weight(credit)}" if credit else "~"
        lines.append(_with_feedback(f"{sign}{escape_gift(choice)}", question, choice))
    return lines


def _multiple_choice(question: Question) -> list[str]:
    """Weights as Moodle adds them: the credit of each choice, or for a set without credit each
    right answer 1/n and each wrong one -1/n (our partial scoring), or -100% (all-or-nothing)."""
    right = set(question.answer)
    share = 100 / len(right)
    wrong = -share if question.scoring == PARTIAL else -100.0
    lines = []
    for choice in question.choices:
        if question.credit:
            credit = question.credit_of(choice) or 0.0
        else:
            credit = share if choice in right else wrong
        answer = f"~{_weight(credit)}{escape_gift(choice)}" if credit else f"~{escape_gift(choice)}"
        lines.append(_with_feedback(answer, question, choice))
    return lines


def _percent(value: float) -> str:
    """A GIFT weight: Moodle reads up to five decimals (33.33333)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _true_false(question: Question) -> list[str]:
    # Moodle's order: the feedback for a wrong answer first, then for the right one.
    right = "true" if question.answer else "false"
    wrong = "false" if question.answer else "true"
    feedback = [question.feedback_for(wrong), question.feedback_for(right)]
    word = "TRUE" if question.answer else "FALSE"
    if not any(feedback):
        return [word]
    return [word + "".join(f"#{escape_gift(text)}" for text in feedback)]


def _short_answer(question: Question) -> list[str]:
    lines = [
        _with_feedback(f"={escape_gift(accepted)}", question, accepted)
        for accepted in question.answer
    ]
    lines += [
        _with_feedback(f"={_weight(credit)}{escape_gift(other)}", question, other)
        for other, credit in question.credit
    ]
    return lines


def _numerical(question: Question) -> list[str]:
    lines = ["#"]
    for answer in question.answer:
        weight = "" if answer.credit >= 100 else _weight(answer.credit)
        written = f"={weight}{format_number(answer.value)}:{format_number(answer.tolerance)}"
        if answer.feedback:
            written += f"#{escape_gift(answer.feedback)}"
        lines.append(written)
    return lines


def _matching(question: Question) -> list[str]:
    pairs = [f"={escape_gift(left)} -> {escape_gift(right)}" for left, right in question.pairs]
    return pairs + [f"= -> {escape_gift(extra)}" for extra in question.distractors]


def _written_response(question: Question) -> list[str]:
    return []


_WRITERS: dict[str, Callable[[Question], list[str]]] = {
    SINGLE_CHOICE: _single_choice,
    MULTIPLE_CHOICE: _multiple_choice,
    TRUE_FALSE: _true_false,
    SHORT_ANSWER: _short_answer,
    MATCHING: _matching,
    WRITTEN_RESPONSE: _written_response,
    NUMERICAL: _numerical,
}
