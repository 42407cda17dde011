"""Write a set as Moodle XML, the file Moodle's question bank imports.

Each of our types becomes the Moodle type that grades it the same way; what Moodle cannot hold
is left out and listed (``Export.left_out``), never changed into something that grades
differently. A category question opens each run of questions of one category, and the
question's id is its name, so that importing the file back gives the same ids.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from typing import Any, TypeAlias

from lxml import etree

from ..i18n import gettext
from ..model import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    ORDERING,
    PARTIAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    WRITTEN_RESPONSE,
    Question,
    QuestionSet,
)
from ..question_types.numerical import format_number
from .exporting import Export, export_steps, split_held
from .images import ImageFile
from .moodle_xml import references

#: lxml has no type information: its elements are Any to mypy.
_Element: TypeAlias = Any
#: Moodle's text formats by ours.
TEXT_FORMATS = {"plain": "plain_text", "html": "html", "markdown": "markdown"}


def export_moodle_xml(
    question_set: QuestionSet, images: dict[str, ImageFile] | None = None
) -> Export:
    """The set as a Moodle XML document (UTF-8), images embedded where the text names them."""
    quiz = etree.Element("quiz")
    title = f" {question_set.title} (Civics Quiz set {question_set.id}) "
    quiz.append(etree.Comment(_comment_text(title)))
    held, left_out = split_held(question_set, _WRITERS, "Moodle")
    for step in export_steps(held):
        question, writer = step.question, _WRITERS[step.question.type]
        if step.new_category is not None:
            quiz.append(_category(step.new_category))
        if step.new_instructions:
            # Civics Quiz reads a description as the instructions of what follows it; an empty
            # one ends them.
            description = _description(question)
            _attach_images(description, images or {})
            quiz.append(description)
        element = _question(question, writer.kind)
        writer.fill(element, question)
        _attach_images(element, images or {})
        quiz.append(element)
    notes = [
        (
            q.id,
            gettext(
                "Moodle gives partial credit for some of the right answers picked without a "
                "wrong one"
            ),
        )
        for q in question_set.questions
        if q.type == MULTIPLE_CHOICE and q.scoring != PARTIAL and len(q.answer) > 1 and not q.credit
    ]
    export = Export("", left_out, notes)
    report = export.report()
    if report:  # under the title, where a teacher opening the file looks first
        quiz.insert(1, etree.Comment(_comment_text("\n".join(["", *report, ""]))))
    text = etree.tostring(quiz, encoding="unicode", pretty_print=True)
    export.text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    return export


def _comment_text(text: str) -> str:
    """Text an XML comment may hold: no "--" inside it, and no "-" at its end."""
    while "--" in text:
        text = text.replace("--", "- -")
    return text + " " if text.endswith("-") else text


def _category(name: str) -> _Element:
    element = etree.Element("question", type="category")
    _text_child(element, "category", f"$course$/top/{name}")
    return element


def _description(question: Question) -> _Element:
    element = etree.Element("question", type="description")
    _text_child(element, "name", f"instructions-{question.id}")
    _formatted(element, "questiontext", question.instructions, _format(question))
    etree.SubElement(element, "defaultgrade").text = "0"
    return element


def _question(question: Question, kind: str) -> _Element:
    element = etree.Element("question", type=kind)
    _text_child(element, "name", question.id)
    _formatted(element, "questiontext", question.prompt, _format(question))
    _formatted(element, "generalfeedback", question.explanation, _format(question))
    etree.SubElement(element, "defaultgrade").text = str(question.points)
    etree.SubElement(element, "penalty").text = "0"
    etree.SubElement(element, "hidden").text = "0"
    tags = etree.SubElement(element, "tags")
    _text_child(
        etree.SubElement(tags, "tag"), "text", f"difficulty-{question.difficulty}", bare=True
    )
    return element


def _format(question: Question) -> str:
    return TEXT_FORMATS.get(question.text_format, "plain_text")


def _text_child(parent: _Element, tag: str, text: str, *, bare: bool = False) -> _Element:
    if bare:
        child = etree.SubElement(parent, tag)
        child.text = text
        return child
    child = etree.SubElement(parent, tag)
    etree.SubElement(child, "text").text = text
    return child


def _formatted(parent: _Element, tag: str, text: str, text_format: str) -> _Element:
    child = etree.SubElement(parent, tag, format=text_format)
    etree.SubElement(child, "text").text = text
    return child


def _answer(
    parent: _Element,
    text: str,
    fraction: float,
    text_format: str,
    feedback: str = "",
    feedback_format: str = "",
) -> _Element:
    answer = etree.SubElement(parent, "answer", fraction=_number(fraction), format=text_format)
    etree.SubElement(answer, "text").text = text
    if feedback:
        _formatted(answer, "feedback", feedback, feedback_format or text_format)
    return answer


def _number(value: float) -> str:
    """Moodle's fractions: up to seven decimals, as Moodle writes them."""
    return f"{value:.7f}".rstrip("0").rstrip(".") or "0"


def _attach_images(element: _Element, images: dict[str, ImageFile]) -> None:
    """Embed each image a text of the question names, in the element that names it."""
    for text_holder in element.iter(
        "questiontext", "generalfeedback", "feedback", "subquestion", "answer"
    ):
        text = text_holder.findtext("text") or ""
        for name in dict.fromkeys(references(text)):
            image = images.get(name)
            if image is None:
                continue
            file_element = etree.SubElement(
                text_holder, "file", name=name, path="/", encoding="base64"
            )
            file_element.text = base64.b64encode(image.data).decode("ascii")


@dataclass(frozen=True)
class _Writer:
    kind: str
    fill: Callable[[_Element, Question], None]


def _single_choice(element: _Element, question: Question) -> None:
    text_format = _format(question)
    etree.SubElement(element, "single").text = "true"
    etree.SubElement(element, "shuffleanswers").text = "1" if question.shuffle else "0"
    etree.SubElement(element, "answernumbering").text = "abc"
    for choice in question.choices:
        fraction = 100 if choice == question.answer else question.credit_of(choice) or 0
        _answer(element, choice, fraction, text_format, question.feedback_for(choice))


def _multiple_choice(element: _Element, question: Question) -> None:
    """Moodle adds the weights of the picked answers (floored at 0): with each right answer
    worth 1/n and each wrong one -1/n, that is our partial scoring exactly."""
    text_format = _format(question)
    etree.SubElement(element, "single").text = "false"
    etree.SubElement(element, "shuffleanswers").text = "1" if question.shuffle else "0"
    etree.SubElement(element, "answernumbering").text = "abc"
    right = set(question.answer)
    share = 100 / len(right)
    # All-or-nothing: any wrong pick cancels every right one (Moodle still gives partial credit
    # for some of the right answers without a wrong one; the export says so).
    wrong = -share if question.scoring == PARTIAL else -100
    for choice in question.choices:
        if question.credit:
            fraction = question.credit_of(choice) or 0
        else:
            fraction = share if choice in right else wrong
        _answer(element, choice, fraction, text_format, question.feedback_for(choice))


def _true_false(element: _Element, question: Question) -> None:
    text_format = _format(question)
    for word, truth in (("true", True), ("false", False)):
        fraction = 100 if question.answer is truth else 0
        feedback = question.feedback_for(word)
        _answer(element, word, fraction, "moodle_auto_format", feedback, text_format)


def _short_answer(element: _Element, question: Question) -> None:
    text_format = _format(question)
    etree.SubElement(element, "usecase").text = "0"
    for accepted in question.answer:
        feedback = question.feedback_for(accepted)
        _answer(element, accepted, 100, "moodle_auto_format", feedback, text_format)
    for other, credit in question.credit:
        feedback = question.feedback_for(other)
        _answer(element, other, credit, "moodle_auto_format", feedback, text_format)


def _numerical(element: _Element, question: Question) -> None:
    text_format = _format(question)
    for answer in question.answer:
        written = _answer(
            element,
            format_number(answer.value),
            answer.credit,
            "moodle_auto_format",
            answer.feedback,
            text_format,
        )
        etree.SubElement(written, "tolerance").text = format_number(answer.tolerance)
    etree.SubElement(element, "unitgradingtype").text = "0"
    etree.SubElement(element, "showunits").text = "3"


def _matching(element: _Element, question: Question) -> None:
    text_format = _format(question)
    etree.SubElement(element, "shuffleanswers").text = "true"
    for left, right in [*question.pairs, *(("", extra) for extra in question.distractors)]:
        sub = etree.SubElement(element, "subquestion", format=text_format)
        etree.SubElement(sub, "text").text = left
        answer = etree.SubElement(sub, "answer")
        # Moodle's right-hand answers are plain text.
        etree.SubElement(answer, "text").text = unescape(right) if text_format == "html" else right


def _ordering(element: _Element, question: Question) -> None:
    etree.SubElement(element, "layouttype").text = "VERTICAL"
    etree.SubElement(element, "selecttype").text = "ALL"
    etree.SubElement(element, "selectcount").text = "0"
    etree.SubElement(element, "gradingtype").text = "ALL_OR_NOTHING"
    for place, item in enumerate(question.items, 1):
        _answer(element, item, place, _format(question))


def _written_response(element: _Element, question: Question) -> None:
    etree.SubElement(element, "responseformat").text = "editor"
    etree.SubElement(element, "responserequired").text = "1"
    etree.SubElement(element, "responsefieldlines").text = "10"
    rubric = "".join(
        f"<li>{_escape(c.criterion)} ({c.points} point{'s' if c.points != 1 else ''})</li>"
        for c in question.rubric
    )
    _formatted(element, "graderinfo", f"<ul>{rubric}</ul>", "html")
    if question.min_words:
        etree.SubElement(element, "minwordlimit").text = str(question.min_words)
    if question.max_words:
        etree.SubElement(element, "maxwordlimit").text = str(question.max_words)
    _formatted(element, "responsetemplate", "", "html")


def _escape(text: str) -> str:
    return escape(text, quote=False)


_WRITERS: dict[str, _Writer] = {
    SINGLE_CHOICE: _Writer("multichoice", _single_choice),
    MULTIPLE_CHOICE: _Writer("multichoice", _multiple_choice),
    TRUE_FALSE: _Writer("truefalse", _true_false),
    SHORT_ANSWER: _Writer("shortanswer", _short_answer),
    MATCHING: _Writer("matching", _matching),
    ORDERING: _Writer("ordering", _ordering),
    WRITTEN_RESPONSE: _Writer("essay", _written_response),
    NUMERICAL: _Writer("numerical", _numerical),
}
