"""Aiken question files: a question, options such as ``A.`` or ``A)``, then ``ANSWER: A``.

Every Aiken question is a single-choice question. Two optional lines of our own may follow the
options, ``EXPLANATION: ...`` and ``EVIDENCE: quote`` (or ``EVIDENCE [source]: quote``); Moodle
does not know them, so files that use them are for Civics Quiz only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n import gettext
from ..model import SINGLE_CHOICE
from ..raw_document import PathKey
from .documents import DocumentBuilder, ParseResult, UploadContext, full_stop

# A space after "A." or "A)" keeps "U.S. law..." from reading as option U.
_OPTION = re.compile(r"([A-Za-z])[.)](?:\s+(.*))?")
# Current Moodle also reads "A)Correct" with no space: an upper-case letter, then text at once.
# Only the letter that comes next counts so, so "U.S. law" in a question's text stays text.
_UNSPACED_OPTION = re.compile(r"([A-Z])[.)](\S.*)")
_ANSWER = re.compile(r"ANSWER\s*:(.*)", re.IGNORECASE)
_EXPLANATION = re.compile(r"EXPLANATION\s*:(.*)", re.IGNORECASE)
# One run of space before the colon, never two in a row: two would let the regex split a long run
# of spaces between them in every possible way before it fails (quadratic time).
_EVIDENCE = re.compile(r"EVIDENCE\s*(?:\[([^\]]*)\]\s*)?:(.*)", re.IGNORECASE)
_LETTER = re.compile(r"[A-Za-z]")


@dataclass
class _Draft:
    """A question being read, line by line."""

    line: int
    prompt: list[str]
    options: list[tuple[str, str, int]] = field(default_factory=list)
    answer: tuple[str, int] | None = None
    explanation: tuple[str, int] | None = None
    evidence: list[tuple[str, str, int]] = field(default_factory=list)


def parse_aiken(text: str, context: UploadContext) -> ParseResult:
    """Parse an Aiken file into a native-shaped document of single-choice questions."""
    reader = _AikenReader(DocumentBuilder(context))
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            reader.feed(number, line.strip())
    reader.finish()
    return reader.builder.result()


class _AikenReader:
    """Reads lines into drafts; a question ends with its ANSWER line (and our extra lines)."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.draft: _Draft | None = None
        self.count = 0

    def feed(self, number: int, line: str) -> None:
        """Take one non-blank line."""
        draft = self.draft
        if draft is not None and self._extra_line(draft, number, line):
            return
        if draft is None or draft.answer is not None:
            self._start(number, line)
            return
        answer = _ANSWER.fullmatch(line)
        option = _OPTION.fullmatch(line) or self._unspaced_option(draft, line)
        if answer:
            draft.answer = (answer.group(1).strip(), number)
        elif option:
            draft.options.append((option.group(1).upper(), (option.group(2) or "").strip(), number))
        elif draft.options:
            # Text after the options: the previous question never got its ANSWER line.
            self._missing_answer(draft)
            self.draft = None
            self._start(number, line)
        else:
            draft.prompt.append(line)

    @staticmethod
    def _unspaced_option(draft: _Draft, line: str) -> re.Match[str] | None:
        """``A)Correct``: an option when its letter is the next one (A, then B, ...)."""
        found = _UNSPACED_OPTION.fullmatch(line)
        expected = chr(ord("A") + len(draft.options))
        return found if found is not None and found.group(1) == expected else None

    def finish(self) -> None:
        """Close the last question."""
        if self.draft is not None:
            self._close(self.draft)
            self.draft = None

    def _start(self, number: int, line: str) -> None:
        if self.draft is not None:
            self._close(self.draft)
        if _ANSWER.fullmatch(line):
            self.builder.error(gettext("this ANSWER line follows no question and options"), number)
            self.draft = None
            return
        # A question's first line is its text, even when it looks like an option.
        self.count += 1
        self.draft = _Draft(number, [line])

    def _extra_line(self, draft: _Draft, number: int, line: str) -> bool:
        """Take an EXPLANATION or EVIDENCE line for the current question."""
        explanation = _EXPLANATION.fullmatch(line)
        evidence = _EVIDENCE.fullmatch(line)
        if explanation:
            draft.explanation = (explanation.group(1).strip(), number)
        elif evidence:
            draft.evidence.append((evidence.group(1) or "", evidence.group(2).strip(), number))
        return bool(explanation or evidence)

    def _missing_answer(self, draft: _Draft) -> None:
        letters = draft.options[0][0] if draft.options else "A"
        self.builder.error(
            gettext(
                "the question has no 'ANSWER: %(letter)s' line after its options", letter=letters
            ),
            draft.line,
            f"q{self.count}",
        )

    def _close(self, draft: _Draft) -> None:
        if draft.answer is None:
            self._missing_answer(draft)
            return
        choice = self._answer_choice(draft, *draft.answer)
        if choice is not None:
            self.builder.add_question(self._fields(draft, choice), draft.line, _key_lines(draft))

    def _answer_choice(self, draft: _Draft, letter: str, line: int) -> str | None:
        """The text of the option the ANSWER line names, or None after reporting why not."""
        question_id = f"q{self.count}"
        seen: dict[str, int] = {}
        for option_letter, _, option_line in draft.options:
            if option_letter in seen:
                self.builder.error(
                    gettext("there are two options %(letter)s", letter=option_letter),
                    option_line,
                    question_id,
                )
                return None
            seen[option_letter] = option_line
        if not draft.options:
            self.builder.error(
                gettext("the question has no options; write each on its own line as 'A. text'"),
                draft.line,
                question_id,
            )
            return None
        if not _LETTER.fullmatch(letter) or letter.upper() not in seen:
            letters = ", ".join(seen)
            self.builder.error(
                gettext(
                    "'ANSWER: %(letter)s' must name one of the options (%(letters)s)",
                    letter=letter,
                    letters=letters,
                ),
                line,
                question_id,
            )
            return None
        return next(text for option, text, _ in draft.options if option == letter.upper())

    def _fields(self, draft: _Draft, choice: str) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "id": f"q{self.count}",
            "type": SINGLE_CHOICE,
            "prompt": " ".join(draft.prompt),
            "choices": [text for _, text, _ in draft.options],
            "answer": choice,
            "explanation": draft.explanation[0]
            if draft.explanation
            else full_stop(f"The correct answer is {choice}"),
        }
        if draft.evidence:
            fields["evidence"] = [
                self.builder.evidence(ref, quote) for ref, quote, _ in draft.evidence
            ]
        return fields


def _key_lines(draft: _Draft) -> dict[PathKey, int]:
    """Point choice problems at the options and answer problems at the ANSWER line."""
    lines: dict[PathKey, int] = {
        ("choices", i): line for i, (_, _, line) in enumerate(draft.options)
    }
    if draft.options:
        lines[("choices",)] = draft.options[0][2]
    if draft.answer is not None:
        lines[("answer",)] = draft.answer[1]
    if draft.explanation is not None:
        lines[("explanation",)] = draft.explanation[1]
    for index, (_, _, line) in enumerate(draft.evidence):
        lines[("evidence", index)] = line
    if draft.evidence:
        lines[("evidence",)] = draft.evidence[0][2]
    return lines
