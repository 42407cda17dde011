"""Write a set as GIFT, the plain-text format Moodle (and Civics Quiz) import.

GIFT holds less than our format: no points, difficulty or choice order, no ordering or
evidence-sentence questions. Those questions are left out and listed; evidence quotes travel as
``// evidence [source]: quote`` comments, which Moodle ignores and Civics Quiz reads back.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import (
    MATCHING,
    MULTIPLE_CHOICE,
    PARTIAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    WRITTEN_RESPONSE,
    Question,
    QuestionSet,
)
from .moodle_xml_export import Export

_SPECIAL = "\\~=#{}:"


def escape_gift(text: str) -> str:
    """Text with GIFT's special characters escaped and line breaks written as ``\\n``."""
    escaped = "".join(f"\\{char}" if char in _SPECIAL else char for char in text)
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def export_gift(question_set: QuestionSet) -> Export:
    """The set as a GIFT file; the questions GIFT cannot hold are listed as left out."""
    lines = [f"// {question_set.title} (Civics Quiz set {question_set.id})", ""]
    left_out: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    category = None
    for question in question_set.questions:
        writer = _WRITERS.get(question.type)
        if writer is None:
            left_out.append((question.id, f"GIFT has no {question.type} question"))
            continue
        if question.category != category:
            category = question.category
            lines += [f"$CATEGORY: {category}", ""]
        for evidence in question.evidence:
            quote = " ".join(evidence.quote.split())
            lines.append(f"// evidence [{evidence.source}]: {quote}")
        answers = writer(question)
        general = f"####{escape_gift(question.explanation)}" if question.explanation else ""
        lines.append(f"::{escape_gift(question.id)}::{escape_gift(question.prompt)} {{")
        lines += [f"\t{answer}" for answer in answers]
        if general:
            lines.append(f"\t{general}")
        lines += ["}", ""]
        notes += _notes(question)
    return Export("\n".join(lines), left_out, notes)


def _notes(question: Question) -> list[tuple[str, str]]:
    notes = []
    if question.points != 1:
        notes.append((question.id, "GIFT has no points: Moodle gives it its default mark"))
    if (
        question.type == MULTIPLE_CHOICE
        and question.scoring != PARTIAL
        and len(question.answer) > 1
    ):
        notes.append(
            (question.id, "GIFT weights give partial credit for some of the right answers")
        )
    return notes


def _single_choice(question: Question) -> list[str]:
    return [
        f"{'=' if choice == question.answer else '~'}{escape_gift(choice)}"
        for choice in question.choices
    ]


def _multiple_choice(question: Question) -> list[str]:
    """Weights as Moodle adds them: each right answer 1/n, each wrong one -1/n (our partial
    scoring), or -100% for all-or-nothing."""
    right = set(question.answer)
    share = _percent(100 / len(right))
    wrong = f"-{share}" if question.scoring == PARTIAL else "-100"
    return [
        f"~%{share if choice in right else wrong}%{escape_gift(choice)}"
        for choice in question.choices
    ]


def _percent(value: float) -> str:
    """A GIFT weight: Moodle reads up to five decimals (33.33333)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _true_false(question: Question) -> list[str]:
    return ["TRUE" if question.answer else "FALSE"]


def _short_answer(question: Question) -> list[str]:
    return [f"={escape_gift(accepted)}" for accepted in question.answer]


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
}
