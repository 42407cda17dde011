"""Moodle GIFT question files, mapped onto our question types.

Escaped characters (``\\~``, ``\\=``, ``\\#``, ``\\{``, ``\\}``, ``\\:``, ``\\n``) are swapped for
private-use placeholders before parsing, so the structure can be read with plain string
operations, and swapped back only in the final text.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n import gettext
from ..limits import MAX_CATEGORY_PATH_CHARS
from ..model import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    WRITTEN_RESPONSE,
)
from ..question_types.short_answer import normalize_short_answer
from ..raw_document import PathKey
from ..rich_text import HTML, MARKDOWN, PLAIN, plain_text
from .documents import (
    DocumentBuilder,
    IdAllocator,
    ParseResult,
    UploadContext,
    category_slug,
    full_stop,
    slugify,
)

_ESCAPABLE = "~=#{}:n\\"
_PLACEHOLDERS = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans(
    {placeholder: ("\n" if char == "n" else char) for char, placeholder in _PLACEHOLDERS.items()}
)
_ESCAPE = re.compile(r"\\([~=#{}:n\\])")
# Leading space is skipped by the callers (str.lstrip), not by a leading \s*, which a search would
# try again from every position of a long run of spaces.
_TITLE = re.compile(r"::(.*?)::", re.DOTALL)
_FORMAT_MARKER = re.compile(r"^\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
#: GIFT's format markers; Moodle's own "moodle" format is HTML with automatic line breaks.
_FORMATS = {"html": HTML, "moodle": HTML, "markdown": MARKDOWN, "plain": PLAIN}
#: The context at the start of a Moodle category path: $course$, $system$, $module$, $cat1$...
_CONTEXT = re.compile(r"\$[a-z0-9]+\$", re.IGNORECASE)
_CATEGORY = re.compile(r"\$CATEGORY:(.*)", re.IGNORECASE)
# One run of space before the colon, never two in a row: two would let the regex split a long run
# of spaces between them in every possible way before it fails (quadratic time).
_EVIDENCE = re.compile(r"//\s*evidence\s*(?:\[([^\]]*)\]\s*)?:(.*)", re.IGNORECASE)
_WEIGHT = re.compile(r"%(-?[0-9]{1,3}(?:\.[0-9]+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
FULL_CREDIT = 100.0
BLANK = "_____"


class _Problem(Exception):
    """A syntax problem in one question: where it is and what to change."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class _Block:
    """The lines of one question (or of a $CATEGORY line), without its comments."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    evidence: list[tuple[int, str, str]] = field(default_factory=list)
    #: The joined text and where each line starts in it, for the lines it was built from: a
    #: question with thousands of answers asks for lines thousands of times.
    _layout: tuple[int, str, list[int]] | None = field(default=None, repr=False, compare=False)

    def text(self) -> str:
        return self._joined()[1]

    def line_at(self, offset: int) -> int:
        """The file line of a character offset into ``text()``."""
        starts = self._joined()[2]
        return self.lines[bisect.bisect_right(starts, offset) - 1][0]

    def _joined(self) -> tuple[int, str, list[int]]:
        if self._layout is None or self._layout[0] != len(self.lines):
            starts, position = [], 0
            for _, text in self.lines:
                starts.append(position)
                position += len(text) + 1
            self._layout = (len(self.lines), "\n".join(text for _, text in self.lines), starts)
        return self._layout


@dataclass
class _Answer:
    """One answer of a choice, short-answer or numerical block, with its weight in percent."""

    text: str
    credit: float
    feedback: str


@dataclass
class _Parsed:
    """What a question's answer block turned into: native fields, and what to warn about."""

    fields: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Reading:
    """What a question takes from the blocks before it: its category and instructions."""

    category: str = ""
    #: The text of the last description block, in its format, until the next category.
    instructions: tuple[str, str] | None = None
    instructions_line: int = 0
    instructions_used: bool = True


def parse_gift(text: str, context: UploadContext) -> ParseResult:
    """Parse a GIFT file (questions separated by blank lines) into a native-shaped document."""
    builder = DocumentBuilder(context)
    ids = IdAllocator()
    reading = _Reading()
    number = 0
    for block in _blocks(text):
        category, is_category_only = _category(block, reading.category)
        if category != reading.category:
            _forget_instructions(reading, builder)
            reading.category = category
        if is_category_only and not block.evidence:
            continue
        if not block.lines:
            for line, _, _ in block.evidence:
                builder.warn(
                    gettext("this evidence comment is not next to a question; ignored"), line
                )
            continue
        number += 1
        try:
            _add_question(block, number, reading, ids, builder)
        except _Problem as problem:
            builder.error(str(problem), problem.line)
    _forget_instructions(reading, builder)
    return builder.result()


def _forget_instructions(reading: _Reading, builder: DocumentBuilder) -> None:
    if not reading.instructions_used:
        builder.warn(
            gettext(
                "this description is followed by no question, so it is no question's "
                "instructions; ignored"
            ),
            reading.instructions_line,
        )
    reading.instructions, reading.instructions_used = None, True


def _blocks(text: str) -> list[_Block]:
    """Questions are separated by blank lines; comment lines belong to no question text."""
    escaped = _ESCAPE.sub(lambda match: _PLACEHOLDERS[match.group(1)], text)
    blocks: list[_Block] = []
    current = _Block()
    for number, (raw, line) in enumerate(
        zip(text.split("\n"), escaped.split("\n"), strict=True), 1
    ):
        if not line.strip():
            if current.lines or current.evidence:
                blocks.append(current)
            current = _Block()
        elif line.lstrip().startswith("//"):
            # Comments are not unescaped in GIFT, so evidence quotes come from the raw line.
            evidence = _EVIDENCE.fullmatch(raw.strip())
            if evidence:
                current.evidence.append((number, evidence.group(1) or "", evidence.group(2)))
        else:
            current.lines.append((number, line))
    if current.lines or current.evidence:
        blocks.append(current)
    return blocks


def _category(block: _Block, category: str) -> tuple[str, bool]:
    """Apply a leading ``$CATEGORY:`` line; say whether the block held nothing else."""
    if not block.lines:
        return category, False
    found = _CATEGORY.match(block.lines[0][1].strip())
    if not found:
        return category, False
    del block.lines[0]
    return category_path(_restore(found.group(1))), not block.lines


def category_path(moodle_path: str) -> str:
    """A Moodle category path as ours: ``$course$/top/Unit 1/Reading`` is ``unit-1/reading``.

    The context (``$course$``) and Moodle's ``top`` are left out; each folder becomes a slug, so
    folders of the same name in different units stay apart. Moodle writes a "/" inside a
    folder's name as "//".
    """
    parts = moodle_path.strip().replace("//", "\0").split("/")
    if parts and _CONTEXT.fullmatch(parts[0].strip()):
        parts = parts[1:]
    if parts and parts[0].strip().lower() == "top":
        parts = parts[1:]
    slugs = [category_slug(part.replace("\0", "/")) for part in parts]
    kept: list[str] = []
    for slug in reversed([slug for slug in slugs if slug]):
        if len("/".join([slug, *kept])) > MAX_CATEGORY_PATH_CHARS:
            break  # a very deep path keeps its innermost folders
        kept.insert(0, slug)
    return "/".join(kept)


def _add_question(
    block: _Block, number: int, reading: _Reading, ids: IdAllocator, builder: DocumentBuilder
) -> None:
    text = block.text()
    title, body_offset = _title(text, block.lines[0][0])
    if text.find("{", body_offset) < 0 and text.find("}", body_offset) < 0:
        _read_description(block, text[body_offset:], reading)
        return
    question_id = ids.allocate(slugify(title) or f"q{number}")
    try:
        _read_question(block, body_offset, question_id, reading, builder)
    except _Problem as problem:
        builder.error(str(problem), problem.line, question_id)


def _read_description(block: _Block, text: str, reading: _Reading) -> None:
    """A description (text without { }) becomes the instructions of the questions after it;
    descriptions one after another are read as one."""
    text_format, body = _text_format(text)
    cleaned = _clean(body, text_format)
    if reading.instructions is not None and not reading.instructions_used:
        first_format, first = reading.instructions
        joined = _in_format(text_format, cleaned, first_format)
        reading.instructions = (
            first_format,
            f"{first}{'' if first_format == HTML else ' '}{joined}",
        )
    else:
        reading.instructions = (text_format, cleaned)
        reading.instructions_line = block.lines[0][0]
    reading.instructions_used = False


def _read_question(
    block: _Block, body_offset: int, question_id: str, reading: _Reading, builder: DocumentBuilder
) -> None:
    """Add the question; raise _Problem for a syntax error."""
    text = block.text()
    start = block.lines[0][0]
    opening = _answer_block_start(text, body_offset, block)
    if opening is None:  # only a stray "}" gets here, and _answer_block_start raised for it
        return
    closing = text.find("}", opening)
    if closing < 0:
        raise _Problem(
            gettext(
                "the answer block opened with '{' on line %(line)s is never closed with '}'; "
                "write \\{ for a literal brace",
                line=block.line_at(opening),
            ),
            block.line_at(opening),
        )
    _check_single_block(text, closing, block)
    text_format, before = _text_format(text[body_offset:opening])
    parsed = _parse_answers(text[opening + 1 : closing], block.line_at(opening), text_format)
    for warning in parsed.warnings:
        builder.warn(warning, block.line_at(opening), question_id)
    fields: dict[str, Any] = {
        "id": question_id,
        "prompt": _prompt(before, text[closing + 1 :], text_format),
        **parsed.fields,
    }
    if text_format != PLAIN:
        fields["text_format"] = text_format
    if reading.instructions is not None:
        fields["instructions"] = _in_format(*reading.instructions, text_format)
        reading.instructions_used = True
    if reading.category:
        fields["category"] = reading.category
    if block.evidence:
        fields["evidence"] = [builder.evidence(ref, quote) for _, ref, quote in block.evidence]
    builder.add_question(fields, start, _key_lines(block, text, opening, fields))


def _text_format(text: str) -> tuple[str, str]:
    """The format a question's text starts with (``[html]``...), and the text without it."""
    found = _FORMAT_MARKER.match(text)
    if found is None:
        return PLAIN, text
    return _FORMATS[found.group(1).lower()], text[found.end() :]


def _in_format(source_format: str, text: str, text_format: str) -> str:
    """Instructions written in one format, for a question written in another."""
    if source_format == text_format:
        return text
    if text_format == PLAIN:
        return plain_text(text, source_format)
    words = plain_text(text, source_format)
    return html.escape(words) if text_format == HTML else words


def _title(text: str, start: int) -> tuple[str, int]:
    """The ``::title::`` (if any) and where the question text begins after it."""
    if not text.lstrip().startswith("::"):
        return "", 0
    found = _TITLE.match(text, _first_visible(text))
    if found is None:
        raise _Problem(gettext("the title opened with '::' is never closed with '::'"), start)
    return _restore(found.group(1)).strip(), found.end()


def _answer_block_start(text: str, offset: int, block: _Block) -> int | None:
    opening = text.find("{", offset)
    stray = text.find("}", offset, opening if opening >= 0 else len(text))
    if stray >= 0:
        raise _Problem(
            gettext("a '}' closes no answer block; write \\} for a literal brace"),
            block.line_at(stray),
        )
    return None if opening < 0 else opening


def _check_single_block(text: str, closing: int, block: _Block) -> None:
    for brace in "{}":
        extra = text.find(brace, closing + 1)
        if extra >= 0:
            raise _Problem(
                gettext(
                    "a question has one answer block { }; separate questions with a blank "
                    "line, or write \\%(brace)s for a literal brace",
                    brace=brace,
                ),
                block.line_at(extra),
            )


def _prompt(before: str, after: str, text_format: str) -> str:
    """The question text; text after the answer block makes it a missing-word question."""
    if after.strip():
        return _clean(f"{before}{BLANK}{after}", text_format)
    return _clean(before, text_format)


def _key_lines(
    block: _Block, text: str, opening: int, fields: dict[str, Any]
) -> dict[PathKey, int]:
    """Point answer problems at the answer block and evidence problems at their comments."""
    answer_line = block.line_at(opening)
    lines: dict[PathKey, int] = {
        (key,): answer_line for key in ("choices", "answer", "pairs", "explanation", "scoring")
    }
    general = text.find("####", opening)
    if general >= 0:
        lines[("explanation",)] = block.line_at(general)
    for index, (line, _, _) in enumerate(block.evidence):
        lines[("evidence", index)] = line
    if "evidence" in fields:
        lines[("evidence",)] = block.evidence[0][0]
    return lines


def _parse_answers(inside: str, line: int, text_format: str) -> _Parsed:
    """Turn the text between ``{`` and ``}`` into native fields, deciding the type as Moodle
    does: empty is an essay, ``#`` a number, any ``~`` a choice, ``=`` with ``->`` matching,
    T/F true/false, and anything else a short answer."""
    body, separator, general_text = inside.rpartition("####")
    if not separator:
        body, general_text = inside, ""
    body = body.strip()
    general = _clean(general_text, text_format)
    if not body:
        return _essay(general)
    if body.startswith("#"):
        return _numerical(body[1:], general, line, text_format)
    if "~" in body:
        return _choice(_choice_answers(body, text_format), general, "=" in body, line)
    if "=" in body and "->" in body:
        return _matching(body, general, line, text_format)
    true_false = body.split("#")[0].strip().upper()
    if true_false in _TRUE_FALSE:
        return _true_false(body, _TRUE_FALSE[true_false], general, text_format)
    return _short_answer(_weighted_answers(body, "=", text_format), general, line)


def _weight(piece: str, default: float) -> tuple[float, str]:
    """A leading ``%50%`` weight (or ``default``) and the answer after it."""
    found = _WEIGHT.match(piece, _first_visible(piece))
    if found is None:
        return default, piece
    return float(found.group(1)), piece[found.end() :]


def _answer(piece: str, credit: float, text_format: str) -> _Answer:
    text, _, feedback = piece.partition("#")
    return _Answer(_clean(text, text_format), credit, _clean(feedback, text_format))


def _choice_answers(body: str, text_format: str) -> list[_Answer]:
    """Choices as Moodle reads them: each ``=`` or ``~`` starts one, text before the first is
    one too, and an empty choice is dropped."""
    pieces = body.replace("=", "~=").split("~")
    answers = []
    for piece in pieces:
        piece = piece.strip()
        if piece.startswith("="):
            credit, piece = _weight(piece[1:], FULL_CREDIT)
        else:
            credit, piece = _weight(piece, 0.0)
        answer = _answer(piece, credit, text_format)
        if answer.text:
            answers.append(answer)
    return answers


def _weighted_answers(body: str, marker: str, text_format: str) -> list[_Answer]:
    """Short or numerical answers: each ``=`` starts one (full credit unless weighted)."""
    answers = []
    for piece in body.split(marker):
        credit, rest = _weight(piece.strip(), FULL_CREDIT)
        answer = _answer(rest, credit, text_format)
        if answer.text:
            answers.append(answer)
    return answers


def _true_false(body: str, answer: bool, general: str, text_format: str) -> _Parsed:
    # Moodle's order: {TRUE#feedback for a wrong answer#feedback for the right answer}.
    parts = [_clean(part, text_format) for part in body.split("#", 2)[1:]] + ["", ""]
    wrong, right = parts[0], parts[1]
    feedback = {str(answer).lower(): right, str(not answer).lower(): wrong}
    explanation = general or f"The statement is {'true' if answer else 'false'}."
    fields: dict[str, Any] = {"type": TRUE_FALSE, "answer": answer, "explanation": explanation}
    if any(feedback.values()):
        fields["feedback"] = {key: text for key, text in feedback.items() if text}
    return _Parsed(fields)


def _essay(general: str) -> _Parsed:
    """An essay ({}) is a written response that the teacher scores, one criterion for all."""
    return _Parsed(
        {
            "type": WRITTEN_RESPONSE,
            "rubric": [{"points": 1, "criterion": "Answers the question (scored by the teacher)"}],
            "explanation": general or "Your teacher scores this answer.",
        }
    )


def _matching(body: str, general: str, line: int, text_format: str) -> _Parsed:
    pairs: dict[str, str] = {}
    distractors: list[str] = []
    warnings: list[str] = []
    for piece in body.split("="):
        if not piece.strip():
            continue
        left, arrow, right = piece.partition("->")
        if not arrow:
            raise _Problem(
                gettext("in a matching question write every answer as =left -> right"), line
            )
        if "->" in right:
            # Moodle reads it the same way (the first arrow splits), so it stays valid; but it
            # is most often a pair whose '=' was lost, run into the match before it.
            warnings.append(
                gettext(
                    "the match of '%(left)s' holds a second '->': if it is another pair, start"
                    " its line with '='",
                    left=_clean(left, text_format),
                )
            )
        left, right = _clean(left, text_format), _clean(right, text_format)
        if not left:
            # Moodle's extra answers: offered as matches, but the match of no item.
            distractors.append(right)
        elif left in pairs:
            raise _Problem(gettext("'%(left)s' is on the left of two pairs", left=left), line)
        else:
            pairs[left] = right
    matches = "; ".join(f"{left} → {right}" for left, right in pairs.items())
    explanation = general or f"The correct matches are: {matches}."
    fields: dict[str, Any] = {"type": MATCHING, "pairs": pairs, "explanation": explanation}
    # A distractor that is also some item's match is offered once, as that match.
    extra = [right for right in dict.fromkeys(distractors) if right not in pairs.values()]
    if extra:
        fields["distractors"] = extra
    return _Parsed(fields, warnings)


def _short_answer(answers: list[_Answer], general: str, line: int) -> _Parsed:
    parsed = _Parsed()
    best: dict[str, _Answer] = {}
    for answer in answers:
        # The same answer twice (as typed, or as the grader compares it) counts once, at the
        # better of its credits: Moodle would match the first.
        # A wildcard (*eighth*) is compared as written: normalised it would read as "eighth".
        wildcard = "*" in answer.text.replace("\\*", "")
        key = answer.text if wildcard else normalize_short_answer(answer.text) or answer.text
        if key not in best or answer.credit > best[key].credit:
            best[key] = _Answer(answer.text, answer.credit, answer.feedback or "")
        elif not best[key].feedback:
            best[key].feedback = answer.feedback
    kept = list(best.values())
    accepted = [answer for answer in kept if answer.credit >= FULL_CREDIT]
    if not accepted:
        raise _Problem(
            gettext("no accepted answer: start at least one answer with = and no partial weight"),
            line,
        )
    texts = [answer.text for answer in accepted]
    fields: dict[str, Any] = {
        "type": SHORT_ANSWER,
        "answer": texts,
        "explanation": general or _correct_is(texts[:1]),
    }
    partial = [answer for answer in kept if answer.credit < FULL_CREDIT]
    if partial:
        fields["credit"] = {answer.text: max(0.0, answer.credit) for answer in partial}
    feedback = {answer.text: answer.feedback for answer in kept if answer.feedback}
    if feedback:
        fields["feedback"] = feedback
    parsed.fields = fields
    return parsed


def _numerical(body: str, general: str, line: int, text_format: str) -> _Parsed:
    """``{#1822:2}``, ``{#1800..1850}`` or ``{#=1822 =%50%1822:5}``: value and tolerance, or a
    range, each with its credit and feedback."""
    parsed = _Parsed()
    body, tilde, _ = body.partition("~")
    if tilde:
        parsed.warnings.append(
            gettext(
                "the feedback for other numbers (~#...) is not kept; students who give another "
                "number read the explanation"
            )
        )
    entries: list[dict[str, Any]] = []
    for answer in _weighted_answers(body, "=", text_format):
        entry = _number_entry(answer.text.replace(" ", ""), line)
        if answer.credit != FULL_CREDIT:
            entry["credit"] = max(0.0, answer.credit)
        if answer.feedback:
            entry["feedback"] = answer.feedback
        entries.append(entry)
    if not entries:
        raise _Problem(
            gettext("a numerical question needs a number after {#, such as {#1787}"), line
        )
    best = max(entries, key=lambda entry: entry.get("credit", FULL_CREDIT))
    value = best.get("value", (best.get("min", 0) + best.get("max", 0)) / 2)
    shown = str(int(value)) if float(value).is_integer() else str(value)
    parsed.fields = {
        "type": NUMERICAL,
        "answer": entries,
        "explanation": general or _correct_is([shown]),
    }
    return parsed


def _number_entry(text: str, line: int) -> dict[str, Any]:
    low, dots, high = text.partition("..")
    value, colon, tolerance = text.partition(":")
    try:
        if dots and low:
            return {"min": float(low), "max": float(high)}
        if colon and value:
            return {"value": float(value), "tolerance": abs(float(tolerance))}
        return {"value": float(text)}
    except ValueError:
        raise _Problem(
            gettext(
                "'%(text)s' is not a number; write {#1787}, {#1787:2} (a tolerance) or "
                "{#1780..1790} (a range)",
                text=text,
            ),
            line,
        ) from None


def _choice(answers: list[_Answer], general: str, single: bool, line: int) -> _Parsed:
    """With an ``=`` answer, one choice is picked (single_choice); without, several may be
    (multiple_choice), scored by their weights as Moodle scores them."""
    if len(answers) < 2:
        raise _Problem(
            gettext("a choice question needs at least two answers that are not empty"), line
        )
    choices = [answer.text for answer in answers]
    feedback = {answer.text: answer.feedback for answer in answers if answer.feedback}
    if single:
        right = [answer for answer in answers if answer.credit >= FULL_CREDIT]
        if not right:
            raise _Problem(
                gettext(
                    "0 answers are marked fully right with =; start the right answer with = and "
                    "no partial weight"
                ),
                line,
            )
        fields: dict[str, Any] = {
            "type": SINGLE_CHOICE,
            "choices": choices,
            "answer": right[0].text,
            "explanation": general or _correct_is([right[0].text]),
        }
        credit = {a.text: a.credit for a in answers if a is not right[0] and a.credit != 0}
    else:
        positive = [answer.text for answer in answers if answer.credit > 0]
        if not positive:
            raise _Problem(
                gettext(
                    "no answer is marked right: start the right answer with = (or give each "
                    "right answer a positive weight such as ~%50%)"
                ),
                line,
            )
        fields = {
            "type": MULTIPLE_CHOICE,
            "choices": choices,
            "explanation": general or _correct_is(positive),
        }
        credit = {answer.text: answer.credit for answer in answers if answer.credit != 0}
    if credit:
        fields["credit"] = {text: _whole(percent) for text, percent in credit.items()}
    if feedback:
        fields["feedback"] = feedback
    return _Parsed(fields)


def _whole(percent: float) -> float | int:
    return int(percent) if percent.is_integer() else percent


def _first_visible(text: str) -> int:
    """Where ``text`` starts once leading white space is skipped."""
    return len(text) - len(text.lstrip())


def _correct_is(answers: list[str]) -> str:
    if len(answers) == 1:
        return full_stop(f"The correct answer is {answers[0]}")
    return full_stop(f"The correct answers are {', '.join(answers[:-1])} and {answers[-1]}")


def _clean(text: str, text_format: str = PLAIN) -> str:
    """The text without a format marker, escapes turned back into characters, and white space
    collapsed (markdown keeps its line breaks, which are part of its meaning)."""
    text = _FORMAT_MARKER.sub("", text)
    if text_format == MARKDOWN:
        lines = [" ".join(line.split()) for line in _restore(text).strip().split("\n")]
        return "\n".join(lines)
    return _restore(" ".join(text.split()))


def _restore(text: str) -> str:
    return text.translate(_RESTORE)
