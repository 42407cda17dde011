"""A large Moodle XML question bank of our own making, for the import's time and memory bounds
(tests/test_moodle_xml_scale.py and the bench row ``bench/run --moodle-xml``)."""

from __future__ import annotations

from xml.sax.saxutils import escape

BRANCHES = ("legislative", "executive", "judicial")


def _multichoice(number: int) -> str:
    right = BRANCHES[number % 3]
    answers = "".join(
        f'<answer fraction="{100 if branch == right else 0}" format="html">'
        f"<text>&lt;p&gt;The {branch} branch&lt;/p&gt;</text>"
        f'<feedback format="html"><text>&lt;p&gt;{"Right" if branch == right else "No"}: '
        f"see Article {number % 7 + 1}.&lt;/p&gt;</text></feedback></answer>"
        for branch in BRANCHES
    )
    return (
        f'<question type="multichoice"><name><text>Branch {number}</text></name>'
        f'<questiontext format="html"><text>&lt;p dir="ltr" style="text-align: left;"&gt;'
        f"Which branch does power {number} belong to?&amp;nbsp;&lt;/p&gt;</text></questiontext>"
        f'<generalfeedback format="html"><text>&lt;p&gt;Power {number} is the {right} '
        f"branch's.&lt;/p&gt;</text></generalfeedback><defaultgrade>1.0000000</defaultgrade>"
        f"<penalty>0.3333333</penalty><hidden>0</hidden><idnumber></idnumber>"
        f"<single>true</single><shuffleanswers>true</shuffleanswers>"
        f"<answernumbering>abc</answernumbering><showstandardinstruction>0</showstandardinstruction>"
        f'<correctfeedback format="html"><text>Your answer is correct.</text></correctfeedback>'
        f'<partiallycorrectfeedback format="html"><text>Your answer is partially correct.</text>'
        f'</partiallycorrectfeedback><incorrectfeedback format="html"><text>Your answer is '
        f"incorrect.</text></incorrectfeedback>{answers}</question>\n"
    )


def _truefalse(number: int) -> str:
    truth = number % 2 == 0
    return (
        f'<question type="truefalse"><name><text>Statement {number}</text></name>'
        f'<questiontext format="moodle_auto_format"><text>Statement {number} is '
        f"{'true' if truth else 'false'}.</text></questiontext>"
        f'<generalfeedback format="moodle_auto_format"><text></text></generalfeedback>'
        f"<defaultgrade>1</defaultgrade>"
        f'<answer fraction="{100 if truth else 0}"><text>true</text><feedback><text>'
        f"{escape('You said true.')}</text></feedback></answer>"
        f'<answer fraction="{0 if truth else 100}"><text>false</text><feedback><text>'
        f"You said false.</text></feedback></answer></question>\n"
    )


def _shortanswer(number: int) -> str:
    return (
        f'<question type="shortanswer"><name><text>Year {number}</text></name>'
        f'<questiontext format="html"><text>&lt;p&gt;Type the number {number}.&lt;/p&gt;</text>'
        f'</questiontext><generalfeedback format="html"><text></text></generalfeedback>'
        f"<defaultgrade>1</defaultgrade><usecase>0</usecase>"
        f'<answer fraction="100"><text>{number}</text><feedback><text>Yes.</text></feedback>'
        f"</answer></question>\n"
    )


def moodle_bank(questions: int) -> bytes:
    """A Moodle XML file of ``questions`` questions (single choice, true/false, short answer)
    in categories of 100, as Moodle 4.x writes them."""
    makers = (_multichoice, _truefalse, _shortanswer)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    for number in range(questions):
        if number % 100 == 0:
            parts.append(
                '<question type="category"><category><text>$course$/top/Bank/Unit '
                f"{number // 100 + 1}</text></category></question>\n"
            )
        parts.append(makers[number % 3](number))
    parts.append("</quiz>\n")
    return "".join(parts).encode("utf-8")
