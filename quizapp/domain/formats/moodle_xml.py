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
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ..errors import QuestionSetError, ValidationIssue
from ..limits import MAX_IMAGE_BYTES, MAX_IMAGES_PER_SET, MAX_XML_FILE_BYTES
from ..model import (
    MATCHING,
    MULTIPLE_CHOICE,
    ORDERING,
    PARTIAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    WRITTEN_RESPONSE,
)
from ..question_types.written_response import DEFAULT_MAX_WORDS, MOST_WORDS_ALLOWED
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
    "multianswer": "embedded answers (Cloze)",
    "calculated": "calculated",
    "calculatedsimple": "simple calculated",
    "calculatedmulti": "calculated multichoice",
    "ddwtos": "drag and drop into text",
    "ddimageortext": "drag and drop onto image",
    "ddmarker": "drag and drop markers",
    "gapselect": "select missing words",
    "randomsamatch": "random short-answer matching",
    "random": "random",
}
_CRITERION = re.compile(r"<li>(.*?) \((\d{1,3}) points?\)</li>", re.DOTALL)
MAX_CRITERION_CHARS = 500
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'<>\s?#]+)")
_TAGS = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
#: The marker that stands for an image the set carries, in text stored with the set.
IMAGE_REFERENCE = "@@PLUGINFILE@@/"


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
    images: dict[str, ImageFile] = field(default_factory=dict)
    image_bytes: int = 0


class _Skip(Exception):
    """A question that is read but not imported; the message says why."""


def parse_moodle_xml(content: bytes, context: UploadContext) -> ParseResult:
    """Parse a Moodle XML file into a native-shaped document, with its embedded images."""
    name = context.filename
    if len(content) > MAX_XML_FILE_BYTES:
        raise QuestionSetError(
            [ValidationIssue(name, "the file is larger than the limit for Moodle XML files")]
        )
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
                    "the file declares a DOCTYPE or entities, which Moodle XML files never "
                    "have; they are refused for safety (export the questions from Moodle again)",
                    1,
                )
            ]
        )
    if root.tag != "quiz":
        raise QuestionSetError(
            [
                ValidationIssue(
                    filename,
                    f"a Moodle XML file starts with <quiz>, not <{root.tag}>; export the "
                    "questions from Moodle's question bank as Moodle XML",
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
        message += "; entities are not read in Moodle XML files (write the character itself)"
    return ValidationIssue(filename, f"the file is not well-formed XML: {message}", line or None)


def _read_question(element: Any, number: int, reading: MoodleReading) -> None:
    kind = (element.get("type") or "").strip()
    line = element.sourceline
    builder = reading.builder
    if kind == "category":
        reading.category = _category_path(_child_text(element, "category"))
        return
    title = _plain(_child_text(element, "name"))
    question_id = reading.ids.allocate(slugify(title) or f"q{number}")
    reader = _READERS.get(kind)
    if reader is None:
        what = _OTHER_TYPES.get(kind, f"'{kind}'" if kind else "without a type")
        builder.warn(f"{what} questions are not supported; question skipped", line, question_id)
        return
    try:
        fields = reader(element, reading, question_id)
    except _Skip as skip:
        builder.warn(f"{skip}; question skipped", line, question_id)
        return
    if fields is None:
        return
    native: dict[str, Any] = {"id": question_id, **fields}
    if reading.category:
        native["category"] = _native_category(reading.category)
    points = _points(element)
    if points is not None:
        native["points"] = points
    difficulty = _difficulty_tag(element)
    if difficulty:
        native["difficulty"] = difficulty
    builder.add_question(native, line)


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


def _files_of(element: Any) -> list[Any]:
    return list(element.iterfind("file"))


def _answers(element: Any) -> list[_Answer]:
    answers = []
    for answer in element.iterfind("answer"):
        answers.append(
            _Answer(
                _text_of(answer),
                _fraction(answer.get("fraction")),
                _child_text(answer, "feedback"),
                (answer.findtext("tolerance") or "").strip(),
            )
        )
    return answers


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
    except ValueError:
        return None
    return value if value >= 1 else None


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
    while parts and (parts[0].startswith("$") and parts[0].endswith("$")):
        parts.pop(0)
    if parts and parts[0].lower() == "top":
        parts.pop(0)
    return "/".join(parts)


def _native_category(path: str) -> str:
    """The category as the native format holds it; replaced once it keeps paths whole."""
    return category_slug(path.split("/")[-1])


# Text: kept as Moodle wrote it, with its images carried along -----------------------------


def _plain(text: _Text) -> str:
    """Text with tags dropped and white space collapsed, for names and matching sides."""
    if text.format in {"html", "moodle_auto_format"}:
        from html import unescape

        return _SPACE.sub(" ", unescape(_TAGS.sub(" ", text.text))).strip()
    return _SPACE.sub(" ", text.text).strip()


def _rich(element: Any, text: _Text, reading: MoodleReading, question_id: str) -> str:
    """A text field as stored with the set: images it names are carried, others dropped."""
    _keep_files(element, reading, question_id)
    return _native_text(text, reading, question_id, element.sourceline)


def _keep_files(element: Any, reading: MoodleReading, question_id: str) -> None:
    for file_element in _files_of(element):
        _keep_file(file_element, reading, question_id)


def _keep_file(file_element: Any, reading: MoodleReading, question_id: str) -> None:
    builder = reading.builder
    line = file_element.sourceline
    name = safe_image_name(file_element.get("name") or "")
    if not name:
        builder.warn("a file without a usable name is left out", line, question_id)
        return
    if (file_element.get("encoding") or "base64") != "base64":
        builder.warn(f"the file '{name}' is not base64; left out", line, question_id)
        return
    encoded = file_element.text or ""
    if len(encoded) > MAX_IMAGE_BYTES * 4 // 3 + 8:
        builder.warn(f"the image '{name}' is too large; left out", line, question_id)
        return
    try:
        data = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        builder.warn(f"the file '{name}' is not valid base64; left out", line, question_id)
        return
    content_type = image_type(data)
    if content_type is None:
        builder.warn(
            f"the file '{name}' is not a PNG, JPEG, GIF or WebP image; left out", line, question_id
        )
        return
    if name in reading.images:
        return
    if len(reading.images) >= MAX_IMAGES_PER_SET:
        builder.warn(f"too many images; '{name}' is left out", line, question_id)
        return
    reading.images[name] = ImageFile(name, content_type, data)
    reading.image_bytes += len(data)


def _native_text(text: _Text, reading: MoodleReading, question_id: str, line: int) -> str:
    """The text for the native format; replaced once the native format keeps text formats."""
    return _plain(text)


def _explanation(element: Any, reading: MoodleReading, question_id: str, fallback: str) -> str:
    general = element.find("generalfeedback")
    if general is not None:
        text = _rich(general, _text_of(general), reading, question_id)
        if text:
            return text
    return fallback


def _prompt(element: Any, reading: MoodleReading, question_id: str) -> str:
    questiontext = element.find("questiontext")
    if questiontext is None:
        raise _Skip("it has no question text")
    prompt = _rich(questiontext, _text_of(questiontext), reading, question_id)
    if not prompt:
        raise _Skip("its question text is empty")
    return prompt


def _correct_is(answers: list[str]) -> str:
    if len(answers) == 1:
        return f"The correct answer is {answers[0].rstrip('.')}."
    return f"The correct answers are {', '.join(answers[:-1])} and {answers[-1].rstrip('.')}."


# One reader per Moodle type ----------------------------------------------------------------


def _multichoice(element: Any, reading: MoodleReading, qid: str) -> dict[str, Any]:
    prompt = _prompt(element, reading, qid)
    answers = [a for a in _answers(element) if a.text.text]
    if len(answers) < 2:
        raise _Skip("a multiple-choice question needs at least two answers")
    choices = [_choice_text(element, answer, reading, qid) for answer in answers]
    shuffle = _flag(element, "shuffleanswers", True)
    extra: dict[str, Any] = {} if shuffle else {"shuffle": False}
    if _flag(element, "single", True):
        best = max(answer.fraction for answer in answers)
        if best < FULL_CREDIT:
            raise _Skip("no answer is worth full marks")
        right = [c for c, a in zip(choices, answers, strict=True) if a.fraction >= FULL_CREDIT]
        if len(right) > 1:
            raise _Skip("several answers are worth full marks in a one-answer question")
        for choice, answer in zip(choices, answers, strict=True):
            if 0 < answer.fraction < FULL_CREDIT:
                reading.builder.warn(
                    f"partial credit for '{choice}' is not kept; it counts as wrong",
                    element.sourceline,
                    qid,
                )
        return {
            "type": SINGLE_CHOICE,
            "prompt": prompt,
            "choices": choices,
            "answer": right[0],
            **extra,
            "explanation": _explanation(element, reading, qid, _correct_is(right)),
        }
    right = [c for c, a in zip(choices, answers, strict=True) if a.fraction > 0]
    if not right:
        raise _Skip("no answer has a positive fraction")
    fields: dict[str, Any] = {
        "type": MULTIPLE_CHOICE,
        "prompt": prompt,
        "choices": choices,
        "answer": right,
        "scoring": PARTIAL,
        **extra,
        "explanation": _explanation(element, reading, qid, _correct_is(right)),
    }
    return fields


def _choice_text(element: Any, answer: _Answer, reading: MoodleReading, qid: str) -> str:
    return _native_text(answer.text, reading, qid, element.sourceline)


def _truefalse(element: Any, reading: MoodleReading, qid: str) -> dict[str, Any]:
    prompt = _prompt(element, reading, qid)
    answer: bool | None = None
    for position, option in enumerate(_answers(element)):
        said = option.text.text.strip().lower()
        is_true = said == "true" if said in {"true", "false"} else position == 0
        if option.fraction >= FULL_CREDIT:
            answer = is_true
    if answer is None:
        raise _Skip("neither true nor false is worth full marks")
    fallback = f"The statement is {'true' if answer else 'false'}."
    return {
        "type": TRUE_FALSE,
        "prompt": prompt,
        "answer": answer,
        "explanation": _explanation(element, reading, qid, fallback),
    }


def _shortanswer(element: Any, reading: MoodleReading, qid: str) -> dict[str, Any]:
    prompt = _prompt(element, reading, qid)
    answers = [a for a in _answers(element) if a.text.text]
    accepted: list[str] = []
    for answer in answers:
        text = _SPACE.sub(" ", answer.text.text).strip()
        if answer.fraction >= FULL_CREDIT and text not in accepted:
            accepted.append(text)
        elif 0 < answer.fraction < FULL_CREDIT:
            reading.builder.warn(
                f"partial credit for '{text}' is not kept; that answer is not accepted",
                element.sourceline,
                qid,
            )
    if not accepted:
        raise _Skip("no answer is worth full marks")
    if _flag(element, "usecase", False):
        reading.builder.warn(
            "Moodle compares this answer's case; Civics Quiz ignores case", element.sourceline, qid
        )
    return {
        "type": SHORT_ANSWER,
        "prompt": prompt,
        "answer": accepted,
        "explanation": _explanation(element, reading, qid, _correct_is(accepted[:1])),
    }


def _matching(element: Any, reading: MoodleReading, qid: str) -> dict[str, Any]:
    prompt = _prompt(element, reading, qid)
    pairs: dict[str, str] = {}
    distractors: list[str] = []
    for sub in element.iterfind("subquestion"):
        left = _native_text(_text_of(sub), reading, qid, sub.sourceline)
        _keep_files(sub, reading, qid)
        right = _SPACE.sub(" ", sub.findtext("answer/text") or "").strip()
        if not right:
            continue
        if not left:
            distractors.append(right)
        elif left in pairs:
            raise _Skip(f"'{left}' is on the left of two pairs")
        else:
            pairs[left] = right
    if len(pairs) < 2:
        raise _Skip("a matching question needs at least two pairs")
    matches = "; ".join(f"{left} → {right}" for left, right in pairs.items())
    fields: dict[str, Any] = {"type": MATCHING, "prompt": prompt, "pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    fields["explanation"] = _explanation(
        element, reading, qid, f"The correct matches are: {matches}."
    )
    return fields


def _ordering(element: Any, reading: MoodleReading, qid: str) -> dict[str, Any]:
    prompt = _prompt(element, reading, qid)
    answers = [a for a in _answers(element) if a.text.text]
    # Moodle's ordering answers carry their place in the right order as the fraction.
    ordered = sorted(enumerate(answers), key=lambda pair: (pair[1].fraction, pair[0]))
    items = [_native_text(a.text, reading, qid, element.sourceline) for _, a in ordered]
    if len(items) < 2:
        raise _Skip("an ordering question needs at least two items")
    fallback = "The correct order is: " + " → ".join(items) + "."
    return {
        "type": ORDERING,
        "prompt": prompt,
        "items": items,
        "explanation": _explanation(element, reading, qid, fallback),
    }


def _essay(element: Any, reading: MoodleReading, qid: str) -> dict[str, Any]:
    prompt = _prompt(element, reading, qid)
    points = _points(element) or 1
    grader = _child_text(element, "graderinfo")
    fields: dict[str, Any] = {
        "type": WRITTEN_RESPONSE,
        "prompt": prompt,
        "rubric": _rubric(grader, points),
    }
    for tag, key in (("minwordlimit", "min_words"), ("maxwordlimit", "max_words")):
        limit = (element.findtext(tag) or "").strip()
        if limit.isdigit() and 0 < int(limit) <= MOST_WORDS_ALLOWED:
            fields[key] = int(limit)
    if fields.get("min_words", 0) > fields.get("max_words", DEFAULT_MAX_WORDS):
        fields.pop("min_words")
    fields["explanation"] = _explanation(element, reading, qid, "Your teacher scores this answer.")
    return fields


def _rubric(grader: _Text, points: int) -> list[dict[str, Any]]:
    """The grader information as a rubric: a list of criteria with their points, as our export
    writes it, becomes those criteria; anything else is one criterion worth every point."""
    criteria: list[dict[str, Any]] = [
        {"points": int(found.group(2)), "criterion": _plain(_Text(found.group(1)))}
        for found in _CRITERION.finditer(grader.text)
    ]
    if criteria and sum(int(c["points"]) for c in criteria) == points:
        return criteria
    text = _plain(grader) or "Answers the question (scored by the teacher)"
    return [{"points": points, "criterion": text[:MAX_CRITERION_CHARS]}]


def _description(element: Any, reading: MoodleReading, qid: str) -> None:
    """Replaced once the native format has instructions."""
    reading.builder.warn(
        "description blocks are not imported yet; question skipped", element.sourceline, qid
    )


def _numerical(element: Any, reading: MoodleReading, qid: str) -> dict[str, Any]:
    raise _Skip("numerical questions are not supported")


_READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
    "description": _description,
    "numerical": _numerical,
}


def references(text: str) -> list[str]:
    """The image names a stored text refers to (``@@PLUGINFILE@@/map.png``)."""
    return [unquote(name) for name in _PLUGINFILE.findall(text)]
