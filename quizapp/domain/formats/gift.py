"""Moodle GIFT question files, mapped onto our question types.

Escaped characters (``\\~``, ``\\=``, ``\\#``, ``\\{``, ``\\}``, ``\\:``, ``\\n``) are swapped for
private-use placeholders before parsing, so the structure can be read with plain string
operations, and swapped back only in the final text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import (
    MATCHING,
    MULTIPLE_CHOICE,
    PARTIAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    WRITTEN_RESPONSE,
)
from ..yaml_reader import PathKey
from .documents import (
    DocumentBuilder,
    IdAllocator,
    ParseResult,
    UploadContext,
    category_slug,
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
_FORMAT_MARKER = re.compile(r"^\s*\[(?:html|moodle|markdown|plain)\]", re.IGNORECASE)
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
    marker: str
    text: str
    weight: float | None
    feedback: str

    def credit(self) -> float:
        """The answer's weight in percent; '=' means full credit unless a weight says otherwise."""
        if self.weight is not None:
            return self.weight
        return FULL_CREDIT if self.marker == "=" else 0.0


@dataclass
class _Parsed:
    """What a question's answer block turned into: native fields, or a reason to skip it."""

    fields: dict[str, Any] = field(default_factory=dict)
    skip_reason: str = ""
    warnings: list[str] = field(default_factory=list)


def parse_gift(text: str, context: UploadContext) -> ParseResult:
    """Parse a GIFT file (questions separated by blank lines) into a native-shaped document."""
    builder = DocumentBuilder(context)
    ids = IdAllocator()
    category = ""
    number = 0
    for block in _blocks(text):
        category, is_category_only = _category(block, category)
        if is_category_only and not block.evidence:
            continue
        if not block.lines:
            for line, _, _ in block.evidence:
                builder.warn("this evidence comment is not next to a question; ignored", line)
            continue
        number += 1
        try:
            _add_question(block, number, category, ids, builder)
        except _Problem as problem:
            builder.error(str(problem), problem.line)
    return builder.result()


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
    # Moodle categories are paths such as $course$/top/Civics/Who said what: keep the last part.
    # Moodle writes a "/" inside a category's name as "//".
    path = _restore(found.group(1)).strip().replace("//", "\0")
    last_part = path.rstrip("/").split("/")[-1].replace("\0", "/")
    return category_slug(last_part), not block.lines


def _add_question(
    block: _Block, number: int, category: str, ids: IdAllocator, builder: DocumentBuilder
) -> None:
    text = block.text()
    title, body_offset = _title(text, block.lines[0][0])
    question_id = ids.allocate(slugify(title) or f"q{number}")
    try:
        _read_question(block, body_offset, question_id, category, builder)
    except _Problem as problem:
        builder.error(str(problem), problem.line, question_id)


def _read_question(
    block: _Block, body_offset: int, question_id: str, category: str, builder: DocumentBuilder
) -> None:
    """Add the question (or warn why it is skipped); raise _Problem for a syntax error."""
    text = block.text()
    start = block.lines[0][0]
    opening = _answer_block_start(text, body_offset, block)
    if opening is None:
        builder.warn(
            "this question has no answer block { }; Moodle treats it as a description, "
            "which Civics Quiz does not import",
            start,
            question_id,
        )
        return
    closing = text.find("}", opening)
    if closing < 0:
        raise _Problem(
            f"the answer block opened with '{{' on line {block.line_at(opening)} is never "
            "closed with '}'; write \\{ for a literal brace",
            block.line_at(opening),
        )
    _check_single_block(text, closing, block)
    parsed = _parse_answers(text[opening + 1 : closing], block.line_at(opening))
    for warning in parsed.warnings:
        builder.warn(warning, block.line_at(opening), question_id)
    if parsed.skip_reason:
        builder.warn(parsed.skip_reason, start, question_id)
        return
    fields: dict[str, Any] = {
        "id": question_id,
        "prompt": _prompt(text[body_offset:opening], text[closing + 1 :]),
        **parsed.fields,
    }
    if category:
        fields["category"] = category
    if block.evidence:
        fields["evidence"] = [builder.evidence(ref, quote) for _, ref, quote in block.evidence]
    builder.add_question(fields, start, _key_lines(block, text, opening, fields))


def _title(text: str, start: int) -> tuple[str, int]:
    """The ``::title::`` (if any) and where the question text begins after it."""
    if not text.lstrip().startswith("::"):
        return "", 0
    found = _TITLE.match(text, _first_visible(text))
    if found is None:
        raise _Problem("the title opened with '::' is never closed with '::'", start)
    return _restore(found.group(1)).strip(), found.end()


def _answer_block_start(text: str, offset: int, block: _Block) -> int | None:
    opening = text.find("{", offset)
    stray = text.find("}", offset, opening if opening >= 0 else len(text))
    if stray >= 0:
        raise _Problem(
            "a '}' closes no answer block; write \\} for a literal brace", block.line_at(stray)
        )
    return None if opening < 0 else opening


def _check_single_block(text: str, closing: int, block: _Block) -> None:
    for brace in "{}":
        extra = text.find(brace, closing + 1)
        if extra >= 0:
            raise _Problem(
                "a question has one answer block { }; separate questions with a blank line, "
                f"or write \\{brace} for a literal brace",
                block.line_at(extra),
            )


def _prompt(before: str, after: str) -> str:
    """The question text; text after the answer block makes it a missing-word question."""
    if after.strip():
        return _clean(f"{before}{BLANK}{after}")
    return _clean(before)


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


def _parse_answers(inside: str, line: int) -> _Parsed:
    """Turn the text between ``{`` and ``}`` into native fields for one of our types."""
    body, _, general = inside.partition("####")
    if not body.strip():
        return _essay(_clean(general))
    if body.lstrip().startswith("#"):
        return _Parsed(
            skip_reason="numerical questions ({#...}) are not supported; question skipped"
        )
    true_false = body.split("#")[0].strip().upper()
    if true_false in _TRUE_FALSE:
        return _true_false(body, _TRUE_FALSE[true_false], _clean(general))
    answers = _split_answers(body, line)
    if any("->" in answer.text for answer in answers):
        return _matching(answers, _clean(general), line)
    if all(answer.marker == "=" for answer in answers):
        return _short_answer(answers, _clean(general), line)
    return _choice(answers, _clean(general), line)


def _split_answers(body: str, line: int) -> list[_Answer]:
    pieces = re.split(r"([=~])", body)
    if pieces[0].strip() or len(pieces) == 1:
        raise _Problem(
            "start each answer inside { } with = (right) or ~ (wrong); write \\= or \\~ for "
            "a literal sign",
            line,
        )
    answers = []
    for marker, rest in zip(pieces[1::2], pieces[2::2], strict=True):
        weight = _WEIGHT.match(rest, _first_visible(rest))
        if weight:
            rest = rest[weight.end() :]
        text, _, feedback = rest.partition("#")
        answers.append(
            _Answer(marker, text, float(weight.group(1)) if weight else None, _clean(feedback))
        )
    return answers


def _true_false(body: str, answer: bool, general: str) -> _Parsed:
    # Moodle's order: {TRUE#feedback for a wrong answer#feedback for the right answer}.
    feedback = [_clean(part) for part in body.split("#")[1:]]
    right = feedback[1] if len(feedback) > 1 else ""
    explanation = general or right or f"The statement is {'true' if answer else 'false'}."
    return _Parsed({"type": TRUE_FALSE, "answer": answer, "explanation": explanation})


def _essay(general: str) -> _Parsed:
    """An essay ({}) is a written response that the teacher scores, one criterion for all."""
    return _Parsed(
        {
            "type": WRITTEN_RESPONSE,
            "rubric": [{"points": 1, "criterion": "Answers the question (scored by the teacher)"}],
            "explanation": general or "Your teacher scores this answer.",
        }
    )


def _matching(answers: list[_Answer], general: str, line: int) -> _Parsed:
    parsed = _Parsed()
    pairs: dict[str, str] = {}
    distractors: list[str] = []
    for answer in answers:
        left, arrow, right = answer.text.partition("->")
        if answer.marker != "=" or not arrow:
            raise _Problem("in a matching question write every answer as =left -> right", line)
        left, right = _clean(left), _clean(right)
        if not left:
            # Moodle's extra answers: offered as matches, but the match of no item.
            distractors.append(right)
        elif left in pairs:
            raise _Problem(f"'{left}' is on the left of two pairs", line)
        else:
            pairs[left] = right
    matches = "; ".join(f"{left} → {right}" for left, right in pairs.items())
    explanation = general or f"The correct matches are: {matches}."
    parsed.fields = {"type": MATCHING, "pairs": pairs, "explanation": explanation}
    if distractors:
        parsed.fields["distractors"] = distractors
    return parsed


def _short_answer(answers: list[_Answer], general: str, line: int) -> _Parsed:
    parsed = _Parsed()
    accepted = [answer for answer in answers if answer.credit() >= FULL_CREDIT]
    for answer in answers:
        if answer.credit() < FULL_CREDIT:
            parsed.warnings.append(
                f"partial credit for '{_clean(answer.text)}' is not supported; that answer "
                "is not accepted"
            )
    if not accepted:
        raise _Problem(
            "no accepted answer: start each accepted answer with = and no partial weight", line
        )
    texts = [_clean(answer.text) for answer in accepted]
    feedback = next((answer.feedback for answer in accepted if answer.feedback), "")
    explanation = general or feedback or _correct_is(texts[:1])
    parsed.fields = {"type": SHORT_ANSWER, "answer": texts, "explanation": explanation}
    return parsed


def _choice(answers: list[_Answer], general: str, line: int) -> _Parsed:
    """Single choice when one answer is marked '='; several weighted answers: multiple choice."""
    choices = [_clean(answer.text) for answer in answers]
    if any(answer.marker == "=" for answer in answers):
        return _single_choice(answers, choices, general, line)
    correct = [answer for answer in answers if answer.credit() > 0]
    if not correct:
        raise _Problem(
            "no answer is marked right: start the right answer with = (or give each right "
            "answer a positive weight such as ~%50%)",
            line,
        )
    texts = [_clean(answer.text) for answer in correct]
    feedback = " ".join(answer.feedback for answer in correct if answer.feedback)
    fields: dict[str, Any] = {
        "type": MULTIPLE_CHOICE,
        "choices": choices,
        "answer": texts,
        "explanation": general or feedback or _correct_is(texts),
    }
    if any(answer.credit() < FULL_CREDIT for answer in correct):
        fields["scoring"] = PARTIAL
    return _Parsed(fields)


def _single_choice(answers: list[_Answer], choices: list[str], general: str, line: int) -> _Parsed:
    parsed = _Parsed()
    right = [answer for answer in answers if answer.credit() >= FULL_CREDIT]
    if len(right) != 1:
        raise _Problem(
            f"{len(right)} answers are marked fully right with =; mark exactly one, or use "
            "~%50% weights for a question with several right answers",
            line,
        )
    for answer in answers:
        if 0 < answer.credit() < FULL_CREDIT:
            parsed.warnings.append(
                f"partial credit for '{_clean(answer.text)}' is not supported; it counts as wrong"
            )
    right_text = _clean(right[0].text)
    explanation = general or right[0].feedback or _correct_is([right_text])
    parsed.fields = {
        "type": SINGLE_CHOICE,
        "choices": choices,
        "answer": right_text,
        "explanation": explanation,
    }
    return parsed


def _first_visible(text: str) -> int:
    """Where ``text`` starts once leading white space is skipped."""
    return len(text) - len(text.lstrip())


def _correct_is(answers: list[str]) -> str:
    if len(answers) == 1:
        return f"The correct answer is {answers[0]}."
    return f"The correct answers are {', '.join(answers[:-1])} and {answers[-1]}."


def _clean(text: str) -> str:
    """Plain text: no format marker, white space collapsed, escapes turned back into characters."""
    text = _FORMAT_MARKER.sub("", text)
    return _restore(" ".join(text.split()))


def _restore(text: str) -> str:
    return text.translate(_RESTORE)
