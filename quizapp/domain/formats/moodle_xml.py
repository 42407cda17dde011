"""Moodle XML question files (Moodle's default export), mapped onto our question types.

The file is read with lxml's incremental parser, one ``<question>`` at a time, with entities
left unresolved, no network and no DTD: a file that declares entities or a DOCTYPE is refused,
since Moodle never writes one. Each question element is dropped once it is read, so memory
grows with the largest question, not with the file.

Moodle's reading is followed where we can hold it: ``fraction`` is a percentage of the
question's mark, ``single`` tells single from multiple answers, ``usecase`` makes short answers
case-sensitive, an empty subquestion of a matching question is an extra answer, and a category
question sets the category of the questions after it.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ..errors import QuestionSetError, ValidationIssue
from ..i18n import gettext, lazy_gettext
from ..limits import (
    MAX_CATEGORY_PATH_CHARS,
    MAX_IMAGE_BYTES,
    MAX_IMAGES_PER_SET,
    MAX_XML_FILE_BYTES,
    describe_bytes,
)
from ..model import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    ORDERING,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    WRITTEN_RESPONSE,
)
from ..question_types.numerical import MAX_NUMERIC_ANSWERS
from ..question_types.written_response import DEFAULT_MAX_WORDS, MOST_WORDS_ALLOWED
from ..rich_text import HTML, MARKDOWN, PLAIN
from .documents import (
    DocumentBuilder,
    IdAllocator,
    ParseResult,
    UploadContext,
    category_slug,
    slugify,
)
from .images import ImageFile, image_type, safe_image_name

FULL_CREDIT = 100.0
#: What Moodle calls the types we do not import, for the teacher's warning.
_OTHER_TYPES = {
    "multianswer": lazy_gettext("embedded answers (Cloze)"),
    "calculated": lazy_gettext("calculated"),
    "calculatedsimple": lazy_gettext("simple calculated"),
    "calculatedmulti": lazy_gettext("calculated multichoice"),
    "ddwtos": lazy_gettext("drag and drop into text"),
    "ddimageortext": lazy_gettext("drag and drop onto image"),
    "ddmarker": lazy_gettext("drag and drop markers"),
    "gapselect": lazy_gettext("select missing words"),
    "randomsamatch": lazy_gettext("random short-answer matching"),
    "random": lazy_gettext("random"),
}
MAX_CRITERION_CHARS = 500
#: Moodle's default mark may be any number; ours are whole points.
MAX_POINTS = 100
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'<>\s?#]+)")
# Never "<[^>]*>": on a text of many "<" without ">" each would scan to the end (quadratic).
_TAGS = re.compile(r"<[^<>]*>")
_POINTS = re.compile(r"(\d{1,3}) points?\)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Text:
    """A piece of Moodle text and its format (html, plain_text, markdown, moodle_auto_format)."""

    text: str
    format: str = "html"


@dataclass
class _Answer:
    text: _Text
    fraction: float
    feedback: _Text
    tolerance: str = ""


@dataclass
class MoodleReading:
    """What the importer keeps between questions: the category, ids, images and notes."""

    builder: DocumentBuilder
    ids: IdAllocator = field(default_factory=IdAllocator)
    category: str = ""
    #: The last description block's text, shown before the questions that follow it.
    instructions: _Text | None = None
    images: dict[str, ImageFile] = field(default_factory=dict)


class _Skip(Exception):
    """A question that is read but not imported; the message says why."""


def parse_moodle_xml(content: bytes, context: UploadContext) -> ParseResult:
    """Parse a Moodle XML file into a native-shaped document, with its embedded images."""
    name = context.filename
    if len(content) > MAX_XML_FILE_BYTES:
        limit = describe_bytes(MAX_XML_FILE_BYTES)
        raise QuestionSetError(
            [
                ValidationIssue(
                    name,
                    gettext(
                        "a Moodle XML file may be at most %(limit)s; export the bank from Moodle "
                        "in parts (one category at a time)",
                        limit=limit,
                    ),
                )
            ]
        )
    if not content.strip():
        raise QuestionSetError([ValidationIssue(name, gettext("the file is empty"), 1)])
    reading = MoodleReading(DocumentBuilder(context))
    for number, element in enumerate(_questions(content, name), 1):
        try:
            _read_question(element, number, reading)
        finally:
            # Keep memory bounded: drop the question and everything read before it.
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    result = reading.builder.result()
    return ParseResult(result.document, result.issues, result.warnings, dict(reading.images))


def _questions(content: bytes, filename: str) -> Any:
    """Each ``<question>`` element of the ``<quiz>`` root, as soon as it has been read."""
    etree.clear_error_log()  # the log is per thread: earlier files' errors must not show
    parser = etree.iterparse(
        io.BytesIO(content),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    try:
        for event, element in parser:
            if event == "start":
                if depth == 0:
                    _check_root(element, filename)
                depth += 1
                continue
            depth -= 1
            if depth == 1 and element.tag == "question":
                yield element
    except etree.XMLSyntaxError as exc:
        raise QuestionSetError([_syntax_issue(exc, filename)]) from None


def _check_root(root: Any, filename: str) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise QuestionSetError(
            [
                ValidationIssue(
                    filename,
                    gettext(
                        "the file declares a DOCTYPE or entities, which Moodle XML files never "
                        "have; they are refused for safety (export the questions from Moodle "
                        "again)"
                    ),
                    1,
                )
            ]
        )
    if root.tag != "quiz":
        raise QuestionSetError(
            [
                ValidationIssue(
                    filename,
                    gettext(
                        "a Moodle XML file starts with <quiz>, not <%(tag)s>; export the "
                        "questions from Moodle's question bank as Moodle XML",
                        tag=root.tag,
                    ),
                    root.sourceline,
                )
            ]
        )


def _syntax_issue(exc: etree.XMLSyntaxError, filename: str) -> ValidationIssue:
    """The first error libxml2 met (the exception may only say where reading stopped)."""
    entries = [entry for entry in exc.error_log if entry.line > 0]
    if entries:
        message, line = str(entries[0].message), int(entries[0].line)
    else:
        message = str(exc.msg or exc)
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else 0
    message = message.split(", line ")[0].strip().rstrip(".")
    if "entity" in message.lower():
        message += gettext(
            "; entities are not read in Moodle XML files (write the character itself)"
        )
    elif "encoding" in message.lower() or "utf-8" in message.lower():
        message += gettext("; export the file from Moodle again, or save it as UTF-8")
    return ValidationIssue(
        filename, gettext("the file is not well-formed XML: %(error)s", error=message), line or None
    )


def _read_question(element: Any, number: int, reading: MoodleReading) -> None:
    kind = (element.get("type") or "").strip()
    line = element.sourceline
    builder = reading.builder
    if kind == "category":
        reading.category = _category_path(_child_text(element, "category"))
        reading.instructions = None  # a description belongs to its own category's questions
        return
    title = _plain(_child_text(element, "name"))
    question_id = reading.ids.allocate(slugify(title) or f"q{number}")
    if kind == "description":
        _keep_files(element.find("questiontext"), reading, question_id)
        text = _child_text(element, "questiontext")
        reading.instructions = text if _has_content(text.text) else None
        return
    reader = _READERS.get(kind)
    if reader is None:
        if kind:
            what = _OTHER_TYPES.get(kind, f"'{kind}'")
            message = gettext("%(type)s questions are not supported; question skipped", type=what)
        else:
            message = gettext("without a type questions are not supported; question skipped")
        builder.warn(message, line, question_id)
        return
    question = _Question(element, reading, question_id, _question_format(element, kind))
    try:
        fields = {"prompt": question.prompt(), **reader(question)}
    except _Skip as skip:
        builder.warn(gettext("%(reason)s; question skipped", reason=skip), line, question_id)
        return
    builder.add_question(_with_common_fields(question, fields), line)


def _with_common_fields(question: _Question, fields: dict[str, Any]) -> dict[str, Any]:
    element, reading = question.element, question.reading
    native: dict[str, Any] = {"id": question.id, "type": fields.pop("type")}
    prompt = fields.pop("prompt")
    if question.text_format != PLAIN:
        native["text_format"] = question.text_format
    if reading.category:
        native["category"] = _native_category(reading.category)
    points = _points(element)
    if points is not None:
        native["points"] = points
    difficulty = _difficulty_tag(element)
    if difficulty:
        native["difficulty"] = difficulty
    if reading.instructions is not None:
        native["instructions"] = question.native(reading.instructions)
    native["prompt"] = prompt
    native.update(fields)
    if "explanation" not in native or not native["explanation"]:
        native["explanation"] = question.explanation("")
    return native


# Reading Moodle's elements ---------------------------------------------------------------


def _child_text(element: Any, tag: str) -> _Text:
    """The ``<text>`` of a child element (``<questiontext format="html"><text>…``)."""
    child = element.find(tag)
    if child is None:
        return _Text("", "plain_text")
    return _text_of(child)


def _text_of(element: Any, default_format: str = "html") -> _Text:
    text_element = element.find("text")
    text = (text_element.text or "") if text_element is not None else (element.text or "")
    return _Text(text.strip(), (element.get("format") or default_format).strip())


def _answer(element: Any) -> _Answer:
    return _Answer(
        _text_of(element),
        _fraction(element.get("fraction")),
        _child_text(element, "feedback"),
        (element.findtext("tolerance") or "").strip(),
    )


def _answers(element: Any) -> list[tuple[_Answer, Any]]:
    """Each ``<answer>`` of the question, read, with its element."""
    return [(_answer(answer), answer) for answer in element.iterfind("answer")]


def _fraction(raw: str | None) -> float:
    try:
        value = float(raw or 0)
    except ValueError:
        return 0.0
    return value if -FULL_CREDIT <= value <= FULL_CREDIT else 0.0


def _flag(element: Any, tag: str, default: bool) -> bool:
    """Moodle writes booleans as true/false or 1/0."""
    raw = (element.findtext(tag) or "").strip().lower()
    if not raw:
        return default
    return raw not in {"0", "false", "no"}


def _points(element: Any) -> int | None:
    raw = (element.findtext("defaultgrade") or "").strip()
    try:
        value = round(float(raw))
    except (ValueError, OverflowError):
        return None
    return value if 1 <= value <= MAX_POINTS else None


def _difficulty_tag(element: Any) -> int:
    """Our exports keep a question's difficulty as a Moodle tag (``difficulty-3``)."""
    for tag in element.iterfind("tags/tag/text"):
        found = re.fullmatch(r"difficulty-([123])", (tag.text or "").strip())
        if found:
            return int(found.group(1))
    return 0


def _category_path(text: _Text) -> str:
    """Moodle's ``$course$/top/Unit 1/Reading`` as ``Unit 1/Reading`` (the path kept whole)."""
    path = text.text.replace("//", "\0")
    parts = [part.replace("\0", "/").strip() for part in path.split("/")]
    parts = [part for part in parts if part]
    while parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts.pop(0)
    if parts and parts[0].lower() == "top":
        parts.pop(0)
    return "/".join(parts)


def _native_category(path: str) -> str:
    """The path as the native format's category: a slug per folder (``unit-1/reading``)."""
    slugs = [slug for slug in (category_slug(part) for part in path.split("/")) if slug]
    while len("/".join(slugs)) > MAX_CATEGORY_PATH_CHARS:
        slugs.pop(0)  # the innermost folders tell questions apart best
    return "/".join(slugs) or "general"


# Text: kept in its format, with its images carried along ---------------------------------

#: Moodle's text formats as ours. Moodle's "auto format" is HTML in which line breaks count.
_FORMATS = {"html": HTML, "moodle_auto_format": HTML, "markdown": MARKDOWN}
#: Types whose answers are typed by the student, not shown: their format does not count.
_TYPED_ANSWERS = {"shortanswer", "numerical", "truefalse"}
_WRAPPING_PARAGRAPH = re.compile(r"\A\s*<p\b[^>]*>(.*?)</p>\s*\Z", re.DOTALL | re.IGNORECASE)
_BLOCK = re.compile(r"<(?:p|div|br|ul|ol|table|pre|h[1-6])\b", re.IGNORECASE)


def _question_format(element: Any, kind: str) -> str:
    """One format for the question's texts: HTML if any of them is, else markdown if any is."""
    formats = set()
    for holder in element.iter("questiontext", "generalfeedback", "feedback", "subquestion"):
        if _has_content(holder.findtext("text") or ""):
            formats.add(_FORMATS.get((holder.get("format") or "html").strip(), PLAIN))
    if kind not in _TYPED_ANSWERS:
        for answer in element.iterfind("answer"):
            if _has_content(answer.findtext("text") or ""):
                formats.add(_FORMATS.get((answer.get("format") or "html").strip(), PLAIN))
    if HTML in formats:
        return HTML
    return MARKDOWN if MARKDOWN in formats else PLAIN


def _has_content(text: str) -> bool:
    return bool(text.strip()) and (bool(_plain(_Text(text))) or "<img" in text.lower())


def _plain(text: _Text) -> str:
    """Text with tags dropped and white space collapsed, for names, ids and criteria."""
    if text.format in {"html", "moodle_auto_format"}:
        return _SPACE.sub(" ", unescape(_TAGS.sub(" ", text.text))).strip()
    return _SPACE.sub(" ", text.text).strip()


def _converted(text: _Text, target: str) -> str:
    """A Moodle text in the question's format: HTML stays HTML, plain text becomes HTML that
    shows it as typed, and Moodle's auto-format keeps its line breaks."""
    source = _FORMATS.get(text.format, PLAIN)
    value = text.text.strip()
    if target == PLAIN:
        return _SPACE.sub(" ", value) if "\n" not in value else value
    if target == HTML and source != HTML:
        return escape(value).replace("\n", "<br>\n")
    if text.format == "moodle_auto_format" and not _BLOCK.search(value):
        return value.replace("\n", "<br>\n")
    return value


def _inline(value: str, text_format: str) -> str:
    """A choice, item or matching side: Moodle wraps each in a paragraph, which a label drops."""
    if text_format == HTML:
        found = _WRAPPING_PARAGRAPH.match(value)
        if found and "<p" not in found.group(1).lower():
            return found.group(1).strip()
    return value


@dataclass
class _Question:
    """One question being read: its element, the reading so far, and its text format."""

    element: Any
    reading: MoodleReading
    id: str
    text_format: str

    def native(self, text: _Text) -> str:
        """A text of this question as the native format stores it."""
        return _converted(text, self.text_format)

    def choice(self, text: _Text) -> str:
        """A choice, item or left side of a pair."""
        return _inline(self.native(text), self.text_format)

    def typed(self, text: str) -> str:
        """An answer a student types (short answers, matching's right sides): always plain."""
        return _SPACE.sub(" ", text).strip()

    def shown_plain(self, text: str) -> str:
        """Plain text (a matching right side) shown in this question's format."""
        return escape(text) if self.text_format == HTML else text

    def prompt(self) -> str:
        questiontext = self.element.find("questiontext")
        if questiontext is None or not _has_content(questiontext.findtext("text") or ""):
            raise _Skip(gettext("its question text is empty"))
        _keep_files(questiontext, self.reading, self.id)
        return self.native(_text_of(questiontext))

    def explanation(self, fallback: str) -> str:
        """The general feedback, or ``fallback`` (plain words) when there is none."""
        general = self.element.find("generalfeedback")
        if general is not None and _has_content(general.findtext("text") or ""):
            _keep_files(general, self.reading, self.id)
            return self.native(_text_of(general))
        return self.shown_plain(fallback) if fallback else self.shown_plain(_DEFAULT_WHY)

    def feedback(self, answer: _Answer, element: Any | None = None) -> str:
        """An answer's own feedback, in the question's format ("" when there is none)."""
        if element is not None:
            _keep_files(element.find("feedback"), self.reading, self.id)
        return self.native(answer.feedback) if _has_content(answer.feedback.text) else ""

    def warn(self, message: str) -> None:
        self.reading.builder.warn(message, self.element.sourceline, self.id)


_DEFAULT_WHY = "Your teacher can explain this answer."


def _keep_files(element: Any, reading: MoodleReading, question_id: str) -> None:
    if element is None:
        return
    for file_element in element.iterfind("file"):
        _keep_file(file_element, reading, question_id)


def _keep_file(file_element: Any, reading: MoodleReading, question_id: str) -> None:
    builder = reading.builder
    line = file_element.sourceline
    name = safe_image_name(file_element.get("name") or "")
    if not name:
        builder.warn(gettext("a file without a usable name is left out"), line, question_id)
        return
    if (file_element.get("encoding") or "base64") != "base64":
        builder.warn(
            gettext("the file '%(name)s' is not base64; left out", name=name), line, question_id
        )
        return
    encoded = file_element.text or ""
    if len(encoded) > MAX_IMAGE_BYTES * 4 // 3 + 8:
        builder.warn(
            gettext("the image '%(name)s' is too large; left out", name=name), line, question_id
        )
        return
    try:
        data = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        builder.warn(
            gettext("the file '%(name)s' is not valid base64; left out", name=name),
            line,
            question_id,
        )
        return
    content_type = image_type(data)
    if content_type is None:
        builder.warn(
            gettext(
                "the file '%(name)s' is not a PNG, JPEG, GIF or WebP image; left out", name=name
            ),
            line,
            question_id,
        )
        return
    if name in reading.images:
        return
    if len(reading.images) >= MAX_IMAGES_PER_SET:
        builder.warn(
            gettext("too many images; '%(name)s' is left out", name=name), line, question_id
        )
        return
    reading.images[name] = ImageFile(name, content_type, data)


def _correct_is(answers: list[str]) -> str:
    if len(answers) == 1:
        return f"The correct answer is {answers[0].rstrip('.')}."
    return f"The correct answers are {', '.join(answers[:-1])} and {answers[-1].rstrip('.')}."


def _percent(value: float) -> float | int:
    return int(value) if value.is_integer() else value


# One reader per Moodle type ----------------------------------------------------------------


def _shown_answers(question: _Question) -> list[tuple[_Answer, Any, str]]:
    """Each answer with text: the answer, its element and its text as the question shows it."""
    shown = []
    for answer, element in _answers(question.element):
        if _has_content(answer.text.text):
            _keep_files(element, question.reading, question.id)
            shown.append((answer, element, question.choice(answer.text)))
    return shown


def _multichoice(question: _Question) -> dict[str, Any]:
    shown = _shown_answers(question)
    if len(shown) < 2:
        raise _Skip(gettext("a multiple-choice question needs at least two answers"))
    choices = [text for _, _, text in shown]
    if len(set(choices)) < len(choices):
        raise _Skip(gettext("two of its answers are the same"))
    feedback = {
        text: said
        for answer, element, text in shown
        if (said := question.feedback(answer, element))
    }
    fields: dict[str, Any] = {"choices": choices}
    if not _flag(question.element, "shuffleanswers", True):
        fields["shuffle"] = False
    if _flag(question.element, "single", True):
        right = [text for answer, _, text in shown if answer.fraction >= FULL_CREDIT]
        if not right:
            raise _Skip(gettext("no answer is worth full marks"))
        credit = {
            text: _percent(answer.fraction)
            for answer, _, text in shown
            if answer.fraction > 0 and text != right[0]
        }
        fields = {"type": SINGLE_CHOICE, **fields, "answer": right[0]}
        fallback = _correct_is(right)
    else:
        credit = {text: _percent(answer.fraction) for answer, _, text in shown if answer.fraction}
        right = [text for answer, _, text in shown if answer.fraction > 0]
        if not right:
            raise _Skip(gettext("no answer has a positive fraction"))
        fields = {"type": MULTIPLE_CHOICE, **fields}
        fallback = _correct_is(right)
    if credit:
        fields["credit"] = credit
    if feedback:
        fields["feedback"] = feedback
    fields["explanation"] = question.explanation(fallback)
    return fields


def _truefalse(question: _Question) -> dict[str, Any]:
    answer: bool | None = None
    feedback: dict[str, str] = {}
    for position, (option, element) in enumerate(_answers(question.element)):
        said = option.text.text.strip().lower()
        # Old exports wrote the words in the teacher's language: true came first.
        is_true = said == "true" if said in {"true", "false"} else position == 0
        if option.fraction >= FULL_CREDIT:
            answer = is_true
        text = question.feedback(option, element)
        if text:
            feedback["true" if is_true else "false"] = text
    if answer is None:
        raise _Skip(gettext("neither true nor false is worth full marks"))
    fields: dict[str, Any] = {"type": TRUE_FALSE, "answer": answer}
    if feedback:
        fields["feedback"] = feedback
    fields["explanation"] = question.explanation(
        f"The statement is {'true' if answer else 'false'}."
    )
    return fields


def _shortanswer(question: _Question) -> dict[str, Any]:
    accepted: list[str] = []
    credit: dict[str, float | int] = {}
    feedback: dict[str, str] = {}
    for answer, element in _answers(question.element):
        text = question.typed(answer.text.text)
        if not text or text in accepted or text in credit or answer.fraction <= 0:
            continue  # Moodle never matches an answer twice, nor gives credit below 0
        if answer.fraction >= FULL_CREDIT:
            accepted.append(text)
        else:
            credit[text] = _percent(answer.fraction)
        said = question.feedback(answer, element)
        if said:
            feedback[text] = said
    if not accepted:
        raise _Skip(gettext("no answer is worth full marks"))
    if _flag(question.element, "usecase", False):
        question.warn(gettext("Moodle compares this answer's case; Civics Quiz ignores case"))
    fields: dict[str, Any] = {"type": SHORT_ANSWER, "answer": accepted}
    if credit:
        fields["credit"] = credit
    if feedback:
        fields["feedback"] = feedback
    fields["explanation"] = question.explanation(_correct_is(accepted[:1]))
    return fields


def _numerical(question: _Question) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    for answer, element in _answers(question.element):
        value, tolerance = _finite(answer.text.text), _finite(answer.tolerance or "0")
        if answer.text.text.strip() == "*":
            question.warn(gettext("the answer * (any other number) is not kept"))
            continue
        if value is None or tolerance is None or answer.fraction < 0:
            continue
        entry: dict[str, Any] = {"value": _percent(value)}
        if tolerance:
            entry["tolerance"] = abs(tolerance)
        if answer.fraction < FULL_CREDIT:
            entry["credit"] = _percent(answer.fraction)
        said = question.feedback(answer, element)
        if said:
            entry["feedback"] = said
        answers.append(entry)
    if not any("credit" not in entry for entry in answers):
        raise _Skip(gettext("no number is worth full marks"))
    if question.element.find("units/unit") is not None:
        question.warn(gettext("units are not kept: students type the number alone"))
    best = next(entry for entry in answers if "credit" not in entry)
    return {
        "type": NUMERICAL,
        "answer": answers[:MAX_NUMERIC_ANSWERS],
        "explanation": question.explanation(_correct_is([str(best["value"])])),
    }


def _finite(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _matching(question: _Question) -> dict[str, Any]:
    pairs: dict[str, str] = {}
    distractors: list[str] = []
    for sub in question.element.iterfind("subquestion"):
        _keep_files(sub, question.reading, question.id)
        left_text = _text_of(sub)
        left = question.choice(left_text) if _has_content(left_text.text) else ""
        right = question.shown_plain(question.typed(sub.findtext("answer/text") or ""))
        if not right:
            continue
        if not left:
            distractors.append(right)
        elif left in pairs:
            raise _Skip(gettext("'%(left)s' is on the left of two pairs", left=_plain(left_text)))
        else:
            pairs[left] = right
    if len(pairs) < 2:
        raise _Skip(gettext("a matching question needs at least two pairs"))
    fields: dict[str, Any] = {"type": MATCHING, "pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    matches = "; ".join(f"{left} → {right}" for left, right in pairs.items())
    fields["explanation"] = question.explanation(f"The correct matches are: {matches}.")
    return fields


def _ordering(question: _Question) -> dict[str, Any]:
    shown = _shown_answers(question)
    # Moodle's ordering answers carry their place in the right order as the fraction.
    ordered = sorted(enumerate(shown), key=lambda pair: (pair[1][0].fraction, pair[0]))
    items = [text for _, (_, _, text) in ordered]
    if len(items) < 2:
        raise _Skip(gettext("an ordering question needs at least two items"))
    grading = (question.element.findtext("gradingtype") or "").strip().upper()
    if grading and grading != "ALL_OR_NOTHING":
        question.warn(
            gettext(
                "Moodle gives part of the points for items in their place; Civics Quiz gives the "
                "points for the whole order only"
            )
        )
    select = (question.element.findtext("selecttype") or "ALL").strip().upper()
    if select != "ALL":
        question.warn(gettext("Moodle shows a subset of the items; Civics Quiz shows all of them"))
    return {
        "type": ORDERING,
        "items": items,
        "explanation": question.explanation("The correct order is: " + " → ".join(items) + "."),
    }


def _essay(question: _Question) -> dict[str, Any]:
    element = question.element
    points = _points(element) or 1
    fields: dict[str, Any] = {
        "type": WRITTEN_RESPONSE,
        "rubric": _rubric(_child_text(element, "graderinfo"), points),
    }
    for tag, key in (("minwordlimit", "min_words"), ("maxwordlimit", "max_words")):
        limit = (element.findtext(tag) or "").strip()
        if limit.isdigit() and 0 < int(limit) <= MOST_WORDS_ALLOWED:
            fields[key] = int(limit)
    if fields.get("min_words", 0) > fields.get("max_words", DEFAULT_MAX_WORDS):
        fields.pop("min_words")
    fields["explanation"] = question.explanation("Your teacher scores this answer.")
    return fields


def _rubric(grader: _Text, points: int) -> list[dict[str, Any]]:
    """The grader information as a rubric: a list of criteria with their points, as our export
    writes it, becomes those criteria; anything else is one criterion worth every point."""
    criteria: list[dict[str, Any]] = []
    for piece in grader.text.split("<li>")[1:]:
        item, closed, _ = piece.partition("</li>")
        criterion, opened, worth = item.rpartition(" (")
        found = _POINTS.fullmatch(worth)
        if closed and opened and found:
            criteria.append({"points": int(found.group(1)), "criterion": _plain(_Text(criterion))})
    if criteria and sum(int(c["points"]) for c in criteria) == points:
        return criteria
    text = _plain(grader) or "Answers the question (scored by the teacher)"
    return [{"points": points, "criterion": text[:MAX_CRITERION_CHARS]}]


_READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
    "numerical": _numerical,
}


def references(text: str) -> list[str]:
    """The image names a stored text refers to (``@@PLUGINFILE@@/map.png``)."""
    return [unquote(name) for name in _PLUGINFILE.findall(text)]
