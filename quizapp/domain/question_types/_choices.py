"""Reading ``choices`` and ``answer``: shared by single_choice and multiple_choice."""

from __future__ import annotations

from typing import Any

from ..checker import scoring, text_list
from ..i18n import gettext
from ..model import ALL_OR_NOTHING, PARTIAL
from .base import MAX_CHOICES, MIN_CHOICES, FieldContext


def read_choice_fields(ctx: FieldContext, many: bool) -> dict[str, Any]:
    """Choices and the answer among them (a list of them when ``many``), with the choices'
    credit and feedback."""
    check, entry, path, qid = ctx.check, ctx.entry, ctx.path, ctx.qid
    choices = text_list(
        check, entry.get("choices"), (*path, "choices"), "choices", qid, MIN_CHOICES, MAX_CHOICES
    )
    if choices is None:
        return {}
    credit = read_credit(ctx, choices, "choice")
    feedback = read_feedback(ctx, choices, "choice")
    if credit is None or feedback is None:
        return {}
    extra: dict[str, Any] = {"credit": credit, "feedback": feedback}
    if many and credit:
        if "scoring" in entry:
            ctx.error("scoring", gettext("credit gives each choice its score; remove 'scoring:'"))
            return {}
        weighted = [choice for choice in choices if (dict(credit).get(choice) or 0) > 0]
        if not weighted:
            ctx.error("credit", gettext("give at least one choice a positive credit"))
            return {}
        if "answer" not in entry:
            return {
                "choices": tuple(choices),
                "answer": tuple(weighted),
                "scoring": PARTIAL,
                **extra,
            }
    if "answer" not in entry:
        check.error(path, gettext("add 'answer:' with the correct choice"), qid)
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
        chosen_scoring = PARTIAL if credit else scoring(check, entry, path, qid)
    else:
        one = check.text(raw_answer, answer_path, "answer", qid)
        answers = None if one is None else [one]
    if answers is None:
        return {}
    missing = [a for a in answers if a not in choices]
    if missing:
        check.error(
            answer_path,
            gettext(
                "answer '%(answer)s' is not one of the choices; copy it exactly from the choices",
                answer=missing[0],
            ),
            qid,
        )
        return {}
    if many and credit and set(answers) != set(weighted):
        check.error(
            answer_path,
            gettext("answer must list exactly the choices whose credit is above 0"),
            qid,
        )
        return {}
    if not many and answers[0] in dict(credit):
        ctx.error(
            "credit",
            gettext(
                "the answer '%(answer)s' earns full credit; leave it out of credit",
                answer=answers[0],
            ),
        )
        return {}
    answer: Any = tuple(answers) if many else answers[0]
    return {"choices": tuple(choices), "answer": answer, "scoring": chosen_scoring, **extra}


#: The range of a choice's or an answer's credit, in percent: negative credit takes points off
#: a multiple_choice question's sum (which never goes below 0).
MIN_CREDIT, MAX_CREDIT = -100.0, 100.0


def read_credit(
    ctx: FieldContext, allowed: list[str], what: str, low: float = MIN_CREDIT
) -> tuple[tuple[str, float], ...] | None:
    """``credit:``, a mapping of some of ``allowed`` to a percent; None when it has errors."""
    raw = ctx.entry.get("credit")
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        ctx.error("credit", _credit_not_a_mapping(what))
        return None
    known = set(allowed)
    credit: list[tuple[str, float]] = []
    for key, value in raw.items():
        text = str(key).strip() if not isinstance(key, bool) else str(key).lower()
        if text not in known:
            ctx.error("credit", _credit_names_unknown(what, text))
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            ctx.error(
                "credit",
                gettext(
                    "the credit of '%(text)s' must be a number of percent, such as 50", text=text
                ),
            )
            return None
        if not low <= value <= MAX_CREDIT:
            lowest, highest = format(low, "g"), format(MAX_CREDIT, "g")
            ctx.error(
                "credit",
                gettext(
                    "the credit of '%(text)s' must be from %(low)s to %(high)s percent",
                    text=text,
                    low=lowest,
                    high=highest,
                ),
            )
            return None
        credit.append((text, float(value)))
    return tuple(credit)


def read_feedback(
    ctx: FieldContext, allowed: list[str], what: str
) -> tuple[tuple[str, str], ...] | None:
    """``feedback:``, a mapping of some of ``allowed`` to the text a student who gave that
    answer reads; None when it has errors."""
    raw = ctx.entry.get("feedback")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        ctx.error("feedback", _feedback_not_a_mapping(what))
        return None
    known = set(allowed)
    feedback: list[tuple[str, str]] = []
    for key, value in raw.items():
        text = str(key).lower() if isinstance(key, bool) else str(key).strip()
        if text not in known:
            ctx.error("feedback", _feedback_names_unknown(what, text))
            return None
        if not isinstance(value, str):
            ctx.error("feedback", gettext("the feedback for '%(text)s' must be text", text=text))
            return None
        if value.strip():
            feedback.append((text, value.strip()))
    return tuple(feedback)


def credit_to_data(credit: tuple[tuple[str, float], ...]) -> dict[str, float | int]:
    """Credit as native data: whole percents written without a decimal point."""
    return {text: int(value) if value.is_integer() else value for text, value in credit}


# One whole message per kind of entry (``what``: "choice", "answer", or true_false's
# "answer (true or false)"), so that other languages can make the words agree.


def _credit_not_a_mapping(what: str) -> str:
    """The message for a ``credit:`` that is not a mapping of ``what`` to percents."""
    if what == "choice":
        return gettext("credit must map each choice to a percent, such as 50 or -25")
    return gettext("credit must map each answer to a percent, such as 50 or -25")


def _credit_names_unknown(what: str, text: str) -> str:
    """The message for a ``credit:`` key that is not one of the allowed entries."""
    if what == "choice":
        return gettext("credit names '%(text)s', which is not one of the choices", text=text)
    return gettext("credit names '%(text)s', which is not one of the answers", text=text)


def _feedback_not_a_mapping(what: str) -> str:
    """The message for a ``feedback:`` that is not a mapping of ``what`` to texts."""
    if what == "choice":
        return gettext("feedback must map a choice to the text its student reads")
    if what == "answer":
        return gettext("feedback must map a answer to the text its student reads")
    return gettext("feedback must map a answer (true or false) to the text its student reads")


def _feedback_names_unknown(what: str, text: str) -> str:
    """The message for a ``feedback:`` key that is not one of the allowed entries."""
    if what == "choice":
        return gettext("feedback names '%(text)s', which is not one of the choices", text=text)
    if what == "answer":
        return gettext("feedback names '%(text)s', which is not one of the answers", text=text)
    return gettext(
        "feedback names '%(text)s', which is not one of the answer (true or false)s", text=text
    )
