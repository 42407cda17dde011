"""CSV uploads: files saved by Excel and Google Sheets load; broken rows name their line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import ParsedUpload, parse_upload
from quizapp.domain.model import MATCHING, MULTIPLE_CHOICE, ORDERING, PARTIAL, SHORT_ANSWER

DATA = Path(__file__).resolve().parent / "data" / "formats"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "question-format.md"
SOURCES = {"town-meeting.txt": (DATA / "sources" / "town-meeting.txt").read_text("utf-8")}
HEADER = "id,type,prompt,choices,answer,explanation"


def upload(name: str, content: bytes | str, **options: object) -> ParsedUpload:
    data = content.encode("utf-8") if isinstance(content, str) else content
    options.setdefault("sources", SOURCES)
    return parse_upload(name, data, **options)  # type: ignore[arg-type]


def errors(name: str, content: bytes | str, **options: object) -> list[tuple[int | None, str]]:
    with pytest.raises(QuestionSetError) as caught:
        upload(name, content, **options)
    return [(issue.line, issue.message) for issue in caught.value.issues]


def test_google_sheets_file_loads_every_type() -> None:
    parsed = upload("google-sheets.csv", (DATA / "good" / "google-sheets.csv").read_bytes())
    questions = parsed.question_set.questions
    assert parsed.format == "csv"
    assert [q.id for q in questions] == [
        "who-home-safe",
        "what-was-raised",
        "vote-held",
        "q4",
        "q5",
        "q6",
        "q7",
    ]
    who = parsed.question_set.question("who-home-safe")
    assert who.answer == "Ana Ortiz", "the letter A names the first choice"
    assert (who.category, who.difficulty) == ("who-said-what", 1)
    assert who.extras == {"x-teacher-note": "check the wording"}
    raised = parsed.question_set.question("what-was-raised")
    assert (raised.type, raised.scoring, raised.points) == (MULTIPLE_CHOICE, PARTIAL, 2)
    assert raised.answer == ("The right to assemble", "A curfew at ten o'clock")
    vote = parsed.question_set.question("vote-held")
    assert vote.prompt == "The council has already voted\non the curfew."
    assert vote.answer is False
    assert questions[3].type == SHORT_ANSWER
    assert questions[3].answer == ("First Amendment", "First", "1st Amendment")
    assert questions[3].evidence[0].source == "town-meeting", "a file name names its source"
    assert questions[4].type == MATCHING
    assert questions[4].pairs == (
        ("Ana Ortiz", "Supports the curfew"),
        ("Ben Frank", "Opposes the curfew"),
    )
    assert (questions[5].type, questions[5].shuffle) == (ORDERING, False)
    assert questions[5].items == ("The council met", "The mayor spoke", "The councillor objected")
    assert questions[6].choices == ("a | b", "a ; b"), "\\| is a literal bar"
    assert questions[6].answer == "a | b"


def test_google_sheets_warnings_name_the_rows_without_evidence() -> None:
    parsed = upload("google-sheets.csv", (DATA / "good" / "google-sheets.csv").read_bytes())
    assert [(w.line, w.question_id) for w in parsed.warnings] == [(9, "q6"), (10, "q7")]
    assert "has no evidence quote" in parsed.warnings[0].message


@pytest.mark.parametrize("name", ["excel-windows.csv", "excel-utf8.csv"])
def test_excel_files_with_semicolons_and_crlf_load(name: str) -> None:
    content = (DATA / "good" / name).read_bytes()
    assert b"\r\n" in content
    parsed = upload(name, content)
    who, vote = parsed.question_set.questions
    assert who.prompt == "Who said every young person should be “home safe by ten o’clock”?"
    assert who.choices[2] == "Café owner José"
    assert who.answer == "Ana Ortiz", "the number 1 names the first choice"
    assert vote.prompt == "The council has already voted; it met on Monday."
    assert vote.answer is False
    assert parsed.warnings == []


def test_excel_sep_line_names_the_delimiter_and_keeps_line_numbers() -> None:
    text = "sep=;\nid;type;prompt;answer;explanation\nq1;true_false;Yes, or no?;maybe;E\n"
    assert errors("sep.csv", text) == [(3, "answer must be true or false")]


def test_tab_delimited_file_loads() -> None:
    text = "type\tprompt\tanswer\texplanation\ntrue_false\tIs it, really?\tyes\tE\n"
    assert upload("tabs.csv", text).question_set.questions[0].prompt == "Is it, really?"


def test_a_sep_line_can_name_the_tab() -> None:
    text = "sep=\t\ntype\tprompt\tanswer\texplanation\ntrue_false\tIs it, really?\tmaybe\tE\n"
    assert errors("tabs.csv", text) == [(3, "answer must be true or false")]


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Кто сказал", "кто-сказал"),
        ("政治", "政治"),
        ("हिंदी", "हिंदी"),
        ("Who said what", "who-said-what"),
        ("???", "general"),
    ],
)
def test_a_category_in_any_script_becomes_a_slug(name: str, category: str) -> None:
    text = f"type,category,prompt,answer,explanation\ntrue_false,{name},Is it?,yes,E\n"
    assert upload("cat.csv", text).question_set.questions[0].category == category


def test_a_single_choices_column_and_numbered_columns_in_other_rows() -> None:
    text = (
        "type,prompt,choices,choice_1,choice_2,answer,explanation\n"
        "single_choice,One?,A|B,,,B,E\n"
        "multiple_choice,Two?,,X,Y,1|2,E\n"
    )
    one, two = upload("mixed.csv", text).question_set.questions
    assert (one.choices, one.answer) == (("A", "B"), "B")
    assert (two.choices, two.answer) == (("X", "Y"), ("X", "Y"))


def test_header_names_are_case_and_space_insensitive() -> None:
    text = "Type,Prompt,Choice 1,CHOICE-2,Answer,Explanation,X-Notes\nsingle choice,P?,A,B,B,E,n\n"
    question = upload("caps.csv", text).question_set.questions[0]
    assert (question.type, question.choices, question.answer) == ("single_choice", ("A", "B"), "B")


def test_generated_ids_skip_ids_used_in_the_file() -> None:
    text = f"{HEADER}\n,true_false,A?,,yes,E\nq1,true_false,B?,,yes,E\n"
    assert [q.id for q in upload("ids.csv", text).question_set.questions] == ["q1-2", "q1"]


def test_ids_as_spreadsheets_hold_them_become_slugs_and_a_part_b_follows() -> None:
    section = DOCS.read_text("utf-8").split("## CSV files", 1)[1].split("## GIFT files")[0]
    reading = re.findall(r"```csv\n(.*?)```", section, re.DOTALL)[1]
    # A teacher's own ids: capitals and accents, which the format's slugs leave out.
    text = reading.replace("who-objected", "Who Objécted").replace("objection-evidence", "Q 2")
    questions = {q.id: q for q in upload("reading.csv", text).question_set.questions}
    assert questions["q-2"].part_of == "who-objected" and "who-objected" in questions
    # Ids that were slugs already stay exactly as written.
    kept = f"{HEADER}\na--b,true_false,A?,,yes,E\n-x,true_false,B?,,yes,E\n"
    assert [q.id for q in upload("kept.csv", kept).question_set.questions] == ["a--b", "-x"]


def test_set_id_and_title_come_from_the_arguments_or_the_file_name() -> None:
    text = f"{HEADER}\nq1,true_false,A?,,yes,E\n"
    derived = upload("C:\\Users\\me\\Unit 3 - Congress.csv", text).question_set
    assert (derived.id, derived.title) == ("unit-3-congress", "Unit 3 Congress")
    chosen = upload("x.csv", text, set_id="my-set", title="My set").question_set
    assert (chosen.id, chosen.title) == ("my-set", "My set")


def test_sources_are_optional_and_become_slugged_keys() -> None:
    text = f"{HEADER},evidence_source,evidence_quote\nq1,true_false,A?,,yes,E,,Some words\n"
    no_sources = f"{HEADER}\nq1,true_false,A?,,yes,E\n"
    assert upload("s.csv", no_sources, sources={}).question_set.sources == {}
    parsed = upload("s.csv", text, sources={"My Notes.md": "Some words here."})
    assert parsed.question_set.sources["my-notes"].title == "My Notes"
    assert parsed.question_set.questions[0].evidence[0].source == "my-notes"


def test_evidence_without_a_source_key_needs_exactly_one_source() -> None:
    text = f"{HEADER},evidence_quote\nq1,true_false,A?,,yes,E,Some words\n"
    two = {"a.txt": "Some words.", "b.txt": "Other words."}
    assert errors("s.csv", text, sources=two) == [
        (2, "the evidence names no source; name one of the set's sources (a, b)")
    ]
    assert upload("s.csv", text, sources={"a.txt": "Some words."}).question_set.questions


BROKEN_ROWS = [
    (3, "not-a-choice", "answer 'Maybe' is not one of the choices"),
    (5, "bad-pairs", "write each pair as 'left => right'"),
    (6, "q4", "type 'riddle' is not one of"),
    (8, None, "the row has a value in column 11"),
    (9, "bad-quote", "the quote was not found in source 'town-meeting'"),
    (10, "ok-one", "question id is already used by question 1"),
    (11, "bad-source", "evidence source 'newspaper' is not one of the set's sources"),
    (12, "bad-difficulty", "difficulty must be one of 1, 2, 3, not 'very hard'"),
    (13, "maybe", "answer must be true or false"),
    (15, "letter-too-far", "answer 'C' is not one of the choices"),
]


@pytest.fixture(scope="module")
def row_errors() -> QuestionSetError:
    with pytest.raises(QuestionSetError) as caught:
        upload("row-errors.csv", (DATA / "broken" / "row-errors.csv").read_bytes())
    return caught.value


@pytest.mark.parametrize(("line", "question", "message"), BROKEN_ROWS)
def test_each_broken_row_is_reported_with_its_line(
    row_errors: QuestionSetError, line: int, question: str | None, message: str
) -> None:
    matching = [i for i in row_errors.issues if message in i.message]
    assert matching, [str(i) for i in row_errors.issues]
    assert (matching[0].line, matching[0].question_id) == (line, question)
    assert str(matching[0]).startswith("row-errors.csv, line ")


def test_every_broken_row_is_reported_at_once(row_errors: QuestionSetError) -> None:
    assert len(row_errors.issues) == len(BROKEN_ROWS)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unknown-column.csv", [(1, "'explenation' (did you mean 'explanation'?)")]),
        ("unclosed-quote.csv", [(3, 'opens a quote (") that is never closed')]),
    ],
)
def test_broken_file_structure(name: str, expected: list[tuple[int, str]]) -> None:
    found = errors(name, (DATA / "broken" / name).read_bytes())
    assert len(found) == len(expected), found
    for (line, message), (want_line, want) in zip(found, expected, strict=True):
        assert line == want_line
        assert want in message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("type,prompt,explanation\n", None, "no question to import; add one row per question"),
        ("id,type,explanation\nq1,true_false,E\n", 1, "needs the column(s) prompt"),
        ("type,type,prompt,explanation\n", 1, "the column 'type' appears twice"),
        ("type,prompt,answer,explanation\ntrue_false,P,yes,E,,x\n", 2, "column 6"),
        (f'{HEADER}\nq1,true_false,"P"x,,yes,E\n', 2, "text after its closing quote"),
        (f"{HEADER},choice_1\nq1,single_choice,P,A|B,A,E,C\n", 2, "not both"),
        (f"{HEADER},pairs\nq1,matching,P,,,E,a => 1 | a => 2\n", 2, "left of two pairs"),
        (f"{HEADER}\nq1,,P,,,E\n", 2, "the question has no type"),
        (f"{HEADER},points\nq1,true_false,P,,yes,E,1.5\n", 2, "points must be"),
        (f"{HEADER},shuffle\nq1,true_false,P,,yes,E,sometimes\n", 2, "shuffle must be"),
        (f"{HEADER},x-notes\nq1,true_false,P,,yes,E,kept\n\n\nq1,true_false,P,,no,E,\n", 5, "ids"),
    ],
)
def test_csv_error_messages(text: str, line: int | None, message: str) -> None:
    found = errors("t.csv", text)
    assert any(message in found_message for _, found_message in found), found
    assert [found_line for found_line, m in found if message in m] == [line], found


def test_a_multi_line_cell_reports_the_line_where_its_row_starts() -> None:
    text = f'{HEADER}\nq1,true_false,"one\ntwo\nthree",,yes,E\nq2,true_false,P,,maybe,E\n'
    assert errors("t.csv", text) == [(5, "answer must be true or false")]


def test_the_documented_example_loads() -> None:
    section = DOCS.read_text("utf-8").split("## CSV files", 1)[1]
    example = re.search(r"```csv\n(.*?)```", section, re.DOTALL)
    assert example is not None
    parsed = upload("example.csv", example.group(1))
    assert [q.type for q in parsed.question_set.questions] == [
        "single_choice",
        "true_false",
        MATCHING,
    ]


def test_the_documented_example_rows_of_the_reading_types_load() -> None:
    section = DOCS.read_text("utf-8").split("## CSV files", 1)[1].split("## GIFT files")[0]
    examples = re.findall(r"```csv\n(.*?)```", section, re.DOTALL)
    assert len(examples) == 2
    parsed = upload("reading.csv", examples[1])
    questions = {q.id: q for q in parsed.question_set.questions}
    assert [q.type for q in questions.values()] == [
        "single_choice",
        "select_evidence",
        SHORT_ANSWER,
        MATCHING,
        "written_response",
    ]
    evidence = questions["objection-evidence"]
    assert evidence.part_of == "who-objected"
    assert evidence.source == "town-meeting" and evidence.select == 1
    assert [s.text for s in evidence.sentences][-1].startswith("Councillor Ben Frank objected")
    assert questions["meeting-day"].typos == 1
    assert questions["match-views"].distractors == ("Has not decided",)
    written = questions["explain-curfew"]
    assert written.points == 3 and written.max_words == 120 and written.source == "town-meeting"


def test_a_rubric_cell_without_points_names_the_row() -> None:
    found = errors(
        "rubric.csv",
        "type,prompt,rubric,explanation\nwritten_response,Explain.,Names both sides,A model.\n",
    )
    assert found == [
        (
            2,
            "write each rubric criterion as 'points: criterion', separated by |; "
            "'Names both sides' is not",
        ),
    ]
