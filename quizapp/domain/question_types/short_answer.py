"""short_answer: typed text compared with accepted answers, forgiving what a teacher would.

Every answer is compared after folding case, accents, punctuation and spaces. On top of that an
accepted answer may hold ``*`` wildcards (``\\*`` is a star), ``typos: N`` forgives N letter
edits per word of 5 or more letters, and number words read as digits on both sides.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from typing import Any

from ..checker import text_list
from ..i18n import gettext, lazy_gettext
from ..limits import MAX_SHORT_ANSWER_CHARS
from ..model import SHORT_ANSWER, Question, Response, Source
from ._choices import read_credit, read_feedback
from .base import (
    EditorField,
    FieldContext,
    Grade,
    InvalidResponse,
    QuestionType,
    credit_and_feedback_from,
    credit_grade,
    full_marks,
    with_credit_and_feedback,
)

MAX_ACCEPTED_ANSWERS = 50
MAX_TYPOS = 3

#: A point, comma or slash between digits is part of a number ("2.5", "1/2"), not punctuation.
_NUMBER_PUNCTUATION = re.compile(r"(?<=\d)[.,/](?=\d)")


def normalize_short_answer(text: str) -> str:
    """Fold case, accents, punctuation and surrounding or repeated white space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    protected = _NUMBER_PUNCTUATION.sub(
        lambda m: {".": "\0", ",": "\0", "/": "\1"}[m.group()], decomposed
    )
    kept = [
        char
        for char in protected
        if not unicodedata.combining(char)
        and not unicodedata.category(char).startswith("P")
        and char not in string.punctuation
    ]
    # A decimal comma and a decimal point are the same number.
    folded = "".join(kept).replace("\0", ".").replace("\1", "/")
    return " ".join(folded.split())


def _compact(text: str) -> str:
    """The normalised answer without spaces, so "Reichlin-Melnick", "Reichlin Melnick" and
    "U.S."/"US" agree."""
    return normalize_short_answer(text).replace(" ", "")


def comparison_form(text: str) -> str:
    """A typed answer as the grader first compares it: answers of one form read as the same
    answer (item analysis counts them together, and a teacher accepts them together)."""
    return _compact(text)


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_UNITS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_ORDINAL_TENS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
CARDINALS = {word: n for n, word in enumerate(_UNITS)} | {
    word: 20 + 10 * n for n, word in enumerate(_TENS)
}
ORDINALS = {word: n for n, word in enumerate(_ORDINAL_UNITS)} | {
    word: 20 + 10 * n for n, word in enumerate(_ORDINAL_TENS.split())
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_ORDINAL_SCALES = {"hundredth": 100, "thousandth": 1000, "millionth": 1_000_000}


def _ordinal_suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _number_at(words: list[str], i: int) -> tuple[str, int] | None:
    """The number spelled by the words from ``i`` on, as digits, and how many words it used."""
    total = current = used = 0
    last = ""  # what the previous word was: unit (0..19), ten (20..90) or scale
    ordinal = False
    j = i
    while j < len(words) and not ordinal:
        word = words[j]
        if word in CARDINALS or word in ORDINALS:
            value = CARDINALS[word] if word in CARDINALS else ORDINALS[word]
            kind = "ten" if value >= 20 else "unit"
            # "one two" and "twenty thirty" are two numbers; "twenty one" is one.
            if last == "unit" or (last == "ten" and (kind == "ten" or value >= 10 or not value)):
                break
            current += value
            last, ordinal = kind, word in ORDINALS
        elif (word in _SCALES or word in _ORDINAL_SCALES) and last in ("unit", "ten"):
            scale = _SCALES.get(word) or _ORDINAL_SCALES[word]
            current *= scale
            if scale >= 1000:
                total, current = total + current, 0
            last, ordinal = "scale", word in _ORDINAL_SCALES
        elif word == "and" and last == "scale" and j + 1 < len(words) and words[j + 1] != "a":
            j += 1  # "one hundred and five"
            continue
        else:
            break
        j += 1
        used = j - i
    if not used:
        return None
    value = total + current
    if ordinal:
        return f"{value}{_ordinal_suffix(value)}", used
    # "two and a half" is 2.5.
    if words[i + used : i + used + 3] == ["and", "a", "half"]:
        return f"{value}.5", used + 3
    return str(value), used


def read_numbers(text: str) -> str:
    """``text`` with number words as digits: "two and a half" is "2.5", "eighth" is "8th"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", folded).split()
    out: list[str] = []
    i = 0
    while i < len(words):
        bare = words[i].strip(string.punctuation + "“”‘’")
        found = _number_at([w.strip(string.punctuation + "“”‘’") for w in words], i)
        if found is None or not bare:
            out.append(words[i])
            i += 1
            continue
        digits, used = found
        out.append(digits)
        i += used
    return " ".join(out)


def _edits(a: str, b: str, limit: int) -> int:
    """Letter edits (insert, delete, replace, swap of neighbours) from a to b, up to limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _words_within(given: str, accepted: str, typos: int) -> bool:
    """Each word of 5 or more letters within ``typos`` edits; other words must be equal."""
    given_words, accepted_words = given.split(), accepted.split()
    if len(given_words) != len(accepted_words):
        return False
    for said, meant in zip(given_words, accepted_words, strict=True):
        if said == meant:
            continue
        if len(meant) < 5 or not meant.isalpha() or _edits(said, meant, typos) > typos:
            return False
    return True


_WILDCARD = re.compile(r"(?<!\\)\*")


def readable_form(answer: str) -> str:
    """An accepted answer as a student reads it: each wildcard as "…", an escaped star as one."""
    return _WILDCARD.sub("…", answer).replace("\\*", "*")


@functools.lru_cache(maxsize=4096)
def _accepted_answers(answers: tuple[str, ...]) -> frozenset[str]:
    """A question's accepted answers, normalised once (every submission grades against them)."""
    return frozenset(_compact(answer) for answer in answers)


@functools.lru_cache(maxsize=4096)
def _patterns(answer: str) -> tuple[tuple[str, ...], ...]:
    """An accepted answer as the compact texts between its wildcards, as written and with
    number words as digits."""
    forms = {answer, read_numbers(answer)}
    return tuple(
        tuple(_compact(piece.replace("\\*", "*")) for piece in _WILDCARD.split(form))
        for form in sorted(forms)
    )


def _glob_match(pieces: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` is the pieces in order with anything between them (``*``).

    The first piece starts the text, the last ends it, and each one between is taken at its
    first place: for stars alone that finds a match when there is one, in time linear in the
    pieces times the text (a regular expression can take exponential time on many stars).
    """
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    if not text.startswith(first) or len(text) < len(first) + len(last):
        return False
    position, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return text.endswith(last) and position <= end


def accepts(question: Question, given: str) -> bool:
    """Whether ``given`` matches one of the question's accepted answers."""
    return matches_any(tuple(question.answer), question.typos, given)


def matches_any(answers: tuple[str, ...], typos: int, given: str) -> bool:
    """Whether ``given`` matches one of ``answers`` (wildcards, number words, ``typos``)."""
    compact_given = _compact(given)
    if compact_given in _accepted_answers(answers):
        return True  # the comparison of earlier versions: whatever it accepted stays right
    forms = {compact_given, _compact(read_numbers(given))}
    for answer in answers:
        for pieces in _patterns(answer):
            if any(_glob_match(pieces, form) for form in forms):
                return True
    if typos:
        spaced = {normalize_short_answer(given), normalize_short_answer(read_numbers(given))}
        for answer in answers:
            if _WILDCARD.search(answer):
                continue
            meant = {normalize_short_answer(answer), normalize_short_answer(read_numbers(answer))}
            if any(_words_within(s, m, typos) for s in spaced for m in meant):
                return True
    return False


def matched_answer(question: Question, given: str) -> str | None:
    """The first answer (accepted ones, then those with credit) that ``given`` matches."""
    for answer in (*question.answer, *(text for text, _ in question.credit)):
        if matches_any((answer,), question.typos, given):
            return str(answer)
    return None


class ShortAnswer(QuestionType):
    """Any accepted answer, compared without case, accents, punctuation or extra spaces."""

    name = SHORT_ANSWER
    keys = frozenset({"answer", "typos", "credit", "feedback"})
    hint = lazy_gettext("Type a short answer.")
    form = "text"
    editor_fields = (
        EditorField(
            "answer",
            lazy_gettext("Accepted answers"),
            "lines",
            lazy_gettext(
                "One per line. * matches any run of characters: *eighth* accepts “the Eighth "
                "Amendment”."
            ),
        ),
        EditorField(
            "typos",
            lazy_gettext("Typos forgiven"),
            "number",
            lazy_gettext(
                "Letter mistakes forgiven in each word of 5 or more letters (0 to 3; empty: none)."
            ),
        ),
    )

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        check, entry, path, qid = ctx.check, ctx.entry, ctx.path, ctx.qid
        if "answer" not in entry:
            check.error(path, "add 'answer:' with a list of accepted answers", qid)
            return {}
        value = entry["answer"]
        if not isinstance(value, list):  # one accepted answer, given without a list
            one = check.text(value, (*path, "answer"), "answer", qid)
            if one is None:
                return {}
            value = [one]
        answers = text_list(check, value, (*path, "answer"), "answer", qid, 1, MAX_ACCEPTED_ANSWERS)
        if answers is None:
            return {}
        fields: dict[str, Any] = {"answer": tuple(answers)}
        if isinstance(entry.get("credit"), dict):
            if len(entry["credit"]) > MAX_ACCEPTED_ANSWERS:
                named = format(len(entry["credit"]), ",")
                ctx.error(
                    "credit",
                    gettext(
                        "credit names at most %(most)s answers, not %(count)s",
                        most=MAX_ACCEPTED_ANSWERS,
                        count=named,
                    ),
                )
                return {}
            extra = [str(key).strip() for key in entry["credit"]]
            accepted = set(answers)
            twice = [text for text in extra if text in accepted]
            if twice:
                ctx.error(
                    "credit",
                    gettext(
                        "'%(answer)s' is an accepted answer; leave it out of credit",
                        answer=twice[0],
                    ),
                )
                return {}
        else:
            extra = []
        credit = read_credit(ctx, extra, "answer", low=0.0)
        feedback = read_feedback(ctx, [*answers, *extra], "answer")
        if credit is None or feedback is None:
            return {}
        fields.update(credit=credit, feedback=feedback)
        if "typos" in entry:
            typos = entry["typos"]
            if isinstance(typos, bool) or not isinstance(typos, int) or not 0 <= typos <= 3:
                ctx.error(
                    "typos",
                    gettext("typos must be a whole number from 0 to %(most)s", most=MAX_TYPOS),
                )
                return {}
            fields["typos"] = typos
        return fields

    def to_data(self, question: Question) -> dict[str, Any]:
        data: dict[str, Any] = {"answer": list(question.answer)}
        if question.typos:
            data["typos"] = question.typos
        return with_credit_and_feedback(question, data)

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        return {
            "answer": tuple(data.get("answer") or ()),
            "typos": data.get("typos", 0),
            **credit_and_feedback_from(data),
        }

    def clean(self, question: Question, response: Any) -> Response:
        if response is None:
            return None
        if not isinstance(response, str):
            raise InvalidResponse(gettext("Type your answer as text."))
        if len(response) > MAX_SHORT_ANSWER_CHARS:
            raise InvalidResponse(
                gettext(
                    "Keep your answer under %(limit)s characters.", limit=MAX_SHORT_ANSWER_CHARS
                )
            )
        return response.strip() or None

    def grade(self, question: Question, response: Response) -> Grade:
        if accepts(question, str(response)) or not question.credit:
            return full_marks(question, accepts(question, str(response)))
        matched = matched_answer(question, str(response))
        return credit_grade(question, (question.credit_of(matched) or 0.0) if matched else 0.0)

    def feedback(self, question: Question, response: Response) -> list[str]:
        if not question.feedback or not isinstance(response, str):
            return []
        matched = matched_answer(question, response)
        text = question.feedback_for(matched) if matched else ""
        return [text] if text else []

    def key(self, question: Question) -> Response:
        # Shown, never graded against: a first answer that is a pattern reads as the others do.
        return readable_form(str(question.answer[0]))
