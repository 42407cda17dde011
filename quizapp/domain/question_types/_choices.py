"""Reading ``choices`` and ``answer``: shared by single_choice and multiple_choice."""

from __future__ import annotations

from typing import Any

from ..checker import scoring, text_list
from ..model import ALL_OR_NOTHING
from .base import MAX_CHOICES, MIN_CHOICES, FieldContext


def read_choice_fields(ctx: FieldContext, many: bool) -> dict[str, Any]:
    """Choices and the answer among them (a list of them when ``many``)."""
    check, entry, path, qid = ctx.check, ctx.entry, ctx.path, ctx.qid
    choices = text_list(
        check, entry.get("choices"), (*path, "choices"), "choices", qid, MIN_CHOICES, MAX_CHOICES
    )
    if "answer" not in entry:
        check.error(path, "add 'answer:' with the correct choice", qid)
        return {}
    answer_path = (*path, "answer")
    raw_answer = entry["answer"]
    chosen_scoring = ALL_OR_NOTHING
    if many:
        if not isinstance(raw_answer, list):  # one correct choice, given without a list
            one = check.text(raw_answer, answer_path, "answer", qid)
            raw_answer = None if one is None else [one]
        answers = (
            None
            if raw_answer is None
            else text_list(check, raw_answer, answer_path, "answer", qid, 1, MAX_CHOICES)
        )
        chosen_scoring = scoring(check, entry, path, qid)
    else:
        one = check.text(raw_answer, answer_path, "answer", qid)
        answers = None if one is None else [one]
    if choices is None or answers is None:
        return {}
    missing = [a for a in answers if a not in choices]
    if missing:
        check.error(
            answer_path,
            f"answer '{missing[0]}' is not one of the choices; copy it exactly from the choices",
            qid,
        )
        return {}
    answer: Any = tuple(answers) if many else answers[0]
    return {"choices": tuple(choices), "answer": answer, "scoring": chosen_scoring}
