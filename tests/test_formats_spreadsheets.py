"""Spreadsheets as teachers have them: .xlsx workbooks, Kahoot and Quizizz templates, other
column names, rows without a type, other list separators, and the downloadable templates."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import ParsedUpload, parse_upload
from quizapp.domain.limits import MAX_SHEET_ROWS, MAX_XLSX_EXPANDED_BYTES
from quizapp.domain.model import (
    MULTIPLE_CHOICE,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
)
from quizapp.domain.question_types import QUESTION_TYPES
from quizapp.domain.spreadsheet_template import (
    EXAMPLE_ARTICLE,
    EXAMPLE_ARTICLE_NAME,
    template_csv,
    template_xlsx,
)

SOURCES = {EXAMPLE_ARTICLE_NAME: EXAMPLE_ARTICLE}


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes | str) -> ParsedUpload:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return parse_upload(name, data, sources=SOURCES)


def messages(name: str, content: bytes | str) -> list[str]:
    with pytest.raises(QuestionSetError) as caught:
        upload(name, content)
    return [issue.message for issue in caught.value.issues]


#: Kahoot's quiz template: instruction rows above the header, numbered rows in an unnamed
#: first column, answers by number, several right answers written "1,3".
KAHOOT_ROWS: list[list[object]] = [
    ["Quiz template"],
    ["Add questions, at least two answer alternatives, time limit and choose correct answers."],
    [],
    [
        "",
        "Question - max 120 characters",
        "Answer 1 - max 75 characters",
        "Answer 2 - max 75 characters",
        "Answer 3 - max 75 characters",
        "Answer 4 - max 75 characters",
        "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
        "Correct answer(s) - choose at least one",
    ],
    [1, "Who is the mayor?", "Ana Ortiz", "Ben Frank", "", "", 20, 1],
    [2, "What did the report say?", "A meeting on Monday", "A vote", "A curfew", "", 30, "1,3"],
]


def test_a_kahoot_workbook_loads_with_its_instructions_and_numbering_left_out() -> None:
    parsed = upload("Kahoot quiz.xlsx", workbook(KAHOOT_ROWS))
    mayor, report = parsed.question_set.questions
    assert parsed.format == "xlsx"
    assert (mayor.type, mayor.choices, mayor.answer) == (
        SINGLE_CHOICE,
        ("Ana Ortiz", "Ben Frank"),
        "Ana Ortiz",
    )
    assert report.type == MULTIPLE_CHOICE
    assert report.answer == ("A meeting on Monday", "A curfew")
    warnings = [warning.message for warning in parsed.warnings]
    assert any("'Time limit (sec)" in w and "set per assignment" in w for w in warnings)
    assert any("no type given" in w and "single_choice" in w for w in warnings)
    assert any("2 questions have no explanation" in w for w in warnings)


def test_a_kahoot_sheet_saved_as_csv_loads_the_same() -> None:
    lines = [",".join(f'"{cell}"' for cell in row) for row in KAHOOT_ROWS]
    parsed = upload("kahoot.csv", "\n".join(lines) + "\n")
    assert [q.type for q in parsed.question_set.questions] == [SINGLE_CHOICE, MULTIPLE_CHOICE]


def test_a_quizizz_sheet_loads_with_its_types_and_explanations() -> None:
    rows: list[list[object]] = [
        [
            "Question Text",
            "Question Type",
            "Option 1",
            "Option 2",
            "Option 3",
            "Correct Answer",
            "Time in seconds",
            "Image Link",
            "Answer explanation",
        ],
        ["Who objected?", "Checkbox", "Ben Frank", "Ana Ortiz", "Nobody", "1", 30, "", "Frank."],
        ["On which day?", "Fill-in-the-Blank", "", "", "", "Monday", 30, "", "Monday."],
        ["Favourite rule?", "Poll", "Curfew", "None", "", "", 30, "", ""],
        ["The council voted.", "True/False", "", "", "", "FAUX", 30, "", "Next month."],
    ]
    parsed = upload("quizizz.xlsx", workbook(rows))
    objected, day, voted = parsed.question_set.questions
    assert (objected.type, objected.answer) == (MULTIPLE_CHOICE, ("Ben Frank",))
    assert (day.type, day.answer, day.explanation) == (SHORT_ANSWER, ("Monday",), "Monday.")
    assert (voted.type, voted.answer) == (TRUE_FALSE, False)
    assert any("skipped: a 'Poll'" in warning.message for warning in parsed.warnings)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("VRAI", True),
        ("faux", False),
        ("WAHR", True),
        ("Falsch", False),
        ("VERDADERO", True),
        ("FALSO", False),
        ("True", True),
        ("no", False),
    ],
)
def test_true_false_answers_in_other_languages(answer: str, expected: bool) -> None:
    text = f"type,prompt,answer\nTrue/False,The council voted.,{answer}\n"
    [question] = upload("tf.csv", text).question_set.questions
    assert (question.type, question.answer) == (TRUE_FALSE, expected)


def test_types_are_inferred_from_the_cells_a_row_fills() -> None:
    text = (
        "prompt,choices,answer,pairs,items\n"
        "Who?,Ana | Ben,Ana,,\n"
        "Which?,Ana | Ben | Cy,A | C,,\n"
        "Voted?,,no,,\n"
        "Day?,,Monday,,\n"
        "Match.,,,Ana => Yes | Ben => No,\n"
        "Order.,,,,One | Two\n"
        "How many votes?,,1,,\n"
    )
    parsed = upload("inferred.csv", text)
    assert [q.type for q in parsed.question_set.questions] == [
        SINGLE_CHOICE,
        MULTIPLE_CHOICE,
        TRUE_FALSE,
        SHORT_ANSWER,
        "matching",
        "ordering",
        SHORT_ANSWER,  # "1" alone is a number, not a true/false word
    ]
    [summary] = [w.message for w in parsed.warnings if "no type given" in w.message]
    assert "add a 'type' column to choose" in summary


@pytest.mark.parametrize(
    ("header", "nearest"),
    [
        ("promt", "prompt"),
        ("explenation", "explanation"),
        ("choise_1", "choice_1"),
        ("Corect answer", "answer"),
        ("evidence_qoute", "evidence_quote"),
    ],
)
def test_a_misspelled_column_gets_did_you_mean(header: str, nearest: str) -> None:
    [message] = messages("typo.csv", f"type,{header},prompt\ntrue_false,x,P\n")
    assert f"'{header}' (did you mean '{nearest}'?)" in message


def test_the_list_of_columns_is_given_once_however_many_columns_are_wrong() -> None:
    header = "type,prompt,Antwort 1,Antwort 2,Antwort 3,Richtig,Zeit,Bild"
    found = messages("de.csv", f"{header}\ntrue_false,P,a,b,c,1,20,x\n")
    assert sum(message.count("the columns are id, type") for message in found) == 1
    assert "'Antwort 1', 'Antwort 2', 'Antwort 3', 'Richtig', 'Zeit' and 1 more" in found[0]


def test_an_answer_list_with_another_separator_is_never_silently_one_answer() -> None:
    text = "type,prompt,answer\nshort_answer,Which day?,Monday; on Monday\n"
    parsed = upload("semi.csv", text)
    assert parsed.question_set.questions[0].answer == ("Monday; on Monday",)
    [warning] = [w for w in parsed.warnings if "separate them with |" in w.message]
    assert "the answer cell 'Monday; on Monday' is read as one entry" in warning.message
    assert "instead of ;" in warning.message
    assert warning.line == 2


def test_choices_with_another_separator_are_refused_saying_why() -> None:
    text = "type,prompt,choices,answer\nsingle_choice,Who?,Ana / Ben / Cy,Ana\n"
    found = messages("slash.csv", text)
    assert any("the choices cell 'Ana / Ben / Cy'" in m and "instead of /" in m for m in found)


def test_right_choices_written_with_semicolons_are_read_with_a_warning() -> None:
    text = "type,prompt,choices,answer\nmultiple_choice,Which?,Ana | Ben | Cy,A;C\n"
    parsed = upload("mc.csv", text)
    assert parsed.question_set.questions[0].answer == ("Ana", "Cy")
    assert any("read as the choices A, C" in w.message for w in parsed.warnings)


def test_a_date_or_fraction_with_a_slash_gets_no_warning() -> None:
    parsed = upload("date.csv", "type,prompt,answer\nshort_answer,When?,9/11\n")
    assert not [w for w in parsed.warnings if "separate them" in w.message]


def test_an_explanation_is_optional_and_the_preview_warns_once() -> None:
    text = "".join(f"true_false,Statement {n}.,yes\n" for n in range(7))
    parsed = upload("plain.csv", "type,prompt,answer\n" + text)
    assert [q.explanation for q in parsed.question_set.questions] == [""] * 7
    [warning] = [w.message for w in parsed.warnings if "explanation" in w.message]
    assert warning.startswith("7 questions have no explanation (q1, q2, q3, q4, q5 and 2 more)")


def test_a_workbook_with_macros_is_refused() -> None:
    buffer = io.BytesIO(workbook([["type", "prompt"]]))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    [message] = messages("macro.xlsx", buffer.getvalue())
    assert "contains macros, which are never run or imported" in message


def test_a_workbook_that_unzips_too_far_is_refused_before_it_is_read() -> None:
    buffer = io.BytesIO(workbook([["type", "prompt"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (MAX_XLSX_EXPANDED_BYTES + 1))
    assert len(buffer.getvalue()) < 100_000, "a small file"
    [message] = messages("bomb.xlsx", buffer.getvalue())
    assert "unzips to more than 20 MiB" in message


def test_a_sheet_with_too_many_rows_is_refused_with_the_row() -> None:
    rows: list[list[object]] = [["type", "prompt", "answer"]]
    rows += [["true_false", f"Statement {n}", "yes"] for n in range(MAX_SHEET_ROWS)]
    found = messages("long.xlsx", workbook(rows))
    assert found == [
        f"the first sheet has more than {MAX_SHEET_ROWS:,} rows; a set holds at most 500 "
        "questions, so split it or delete the empty rows below the questions"
    ]


def test_cells_keep_what_the_teacher_sees() -> None:
    rows: list[list[object]] = [
        ["type", "prompt", "answer", "points", "explanation"],
        ["short_answer", "How many members?", 12.0, 2, '=CONCAT("Twelve")'],
        ["true_false", "Voted?", False, None, "No."],
    ]
    members, voted = upload("cells.xlsx", workbook(rows)).question_set.questions
    assert (members.answer, members.points) == (("12",), 2)
    assert voted.answer is False


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_templates_import_back_with_an_example_of_every_type(kind: str) -> None:
    content = template_csv().encode("utf-8") if kind == "csv" else template_xlsx()
    parsed = upload(f"template.{kind}", content)
    assert parsed.format == kind
    assert sorted({q.type for q in parsed.question_set.questions}) == sorted(QUESTION_TYPES)
    assert all(q.explanation for q in parsed.question_set.questions)


def test_a_workbook_saved_under_a_csv_name_is_read_as_a_workbook() -> None:
    parsed = upload("Kahoot quiz.csv", workbook(KAHOOT_ROWS))
    assert parsed.format == "xlsx"
    assert len(parsed.question_set.questions) == 2
