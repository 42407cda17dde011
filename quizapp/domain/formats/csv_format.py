"""CSV question sets: one question per row, as Excel, LibreOffice or Google Sheets save them.

The columns are named after the native keys, so the validator's messages ("add the required key
'prompt'") point at the column to fix. Lists inside one cell are separated by ``|``. The column
names of other quiz tools' spreadsheets (Kahoot's and Quizizz's templates: Question, Answer 1-4,
Correct answer(s), Time limit) are read as their native names, and a sheet without a ``type``
column has each question's type inferred from the cells it fills. ``.xlsx`` workbooks are read
into the same rows (domain/spreadsheet.py) and parsed here.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from typing import Any

from ..i18n import gettext, lazy_gettext, ngettext
from ..model import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    ORDERING,
    SELECT_EVIDENCE,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    WRITTEN_RESPONSE,
)
from ..question_types.base import MAX_CHOICES
from ..question_types.numerical import read_number
from ..validation import SLUG
from .documents import (
    DocumentBuilder,
    IdAllocator,
    ParseResult,
    UploadContext,
    category_slug,
    slugify,
)

CHOICE_COLUMNS = tuple(f"choice_{number}" for number in range(1, MAX_CHOICES + 1))
COLUMNS = (
    "id",
    "type",
    "category",
    "difficulty",
    "points",
    "prompt",
    *CHOICE_COLUMNS,
    "choices",
    "answer",
    "scoring",
    "shuffle",
    "pairs",
    "items",
    "explanation",
    "evidence_source",
    "evidence_quote",
    # Evidence-based reading: Part B pairs, forgiving short answers, matching distractors,
    # select_evidence and written_response.
    "part_of",
    "typos",
    "distractors",
    "source",
    "passage",
    "select",
    "rubric",
    "cite",
    "min_words",
    "max_words",
    # Numerical questions: the tolerance of answers that give none.
    "tolerance",
)
KNOWN_COLUMNS = frozenset(COLUMNS)
#: Only the prompt: the type can be inferred, and an upload may leave explanations out.
REQUIRED_COLUMNS = ("prompt",)
#: Other quiz tools' column names (after _column_name's normalisation) and what they mean here.
COLUMN_ALIASES = {
    "question": "prompt",
    "question_text": "prompt",
    "questions": "prompt",
    "stem": "prompt",
    "question_type": "type",
    "correct_answer": "answer",
    "correct_answers": "answer",
    "correct": "answer",
    "right_answer": "answer",
    "key": "answer",
    "answer_key": "answer",
    "options": "choices",
    "answers": "choices",
    "answer_explanation": "explanation",
    "feedback": "explanation",
    "rationale": "explanation",
    "topic": "category",
    "quote": "evidence_quote",
    "evidence": "evidence_quote",
}
#: Columns of other quiz tools that have no place in a question here: read, then left out with
#: one warning (a time limit belongs to an assignment, not to a question).
IGNORED_COLUMNS = {
    "time_limit": lazy_gettext("time limits are set per assignment"),
    "time": lazy_gettext("time limits are set per assignment"),
    "time_in_seconds": lazy_gettext("time limits are set per assignment"),
    "image": lazy_gettext("images are not imported from spreadsheets"),
    "image_link": lazy_gettext("images are not imported from spreadsheets"),
    "image_url": lazy_gettext("images are not imported from spreadsheets"),
}
#: How many rows above the header a sheet may hold (Kahoot's template opens with instructions).
MAX_ROWS_BEFORE_HEADER = 20
#: Where a template's header cell starts explaining its column ("Answer 1 - max 75 characters",
#: "Correct answer(s)"), once runs of spaces are one space.
_EXPLAINED_NAME = re.compile(r" [-–—] | ?\(")
#: An instruction row above the header holds a sentence or two, not a row of cells.
MAX_INSTRUCTION_CELLS = 2
#: Type spellings of spreadsheets and other tools (lower case, non-letters as "_").
TYPE_SPELLINGS = {
    **dict.fromkeys(
        ("true_false", "true_or_false", "truefalse", "tf", "t_f", "boolean", "yes_no"),
        TRUE_FALSE,
    ),
    **dict.fromkeys(("vrai_faux", "wahr_falsch", "verdadero_falso", "vero_falso"), TRUE_FALSE),
    **dict.fromkeys(("single", "single_answer", "one_answer", "radio", "mcq"), SINGLE_CHOICE),
    **dict.fromkeys(
        (
            "multiple_answer",
            "multiple_answers",
            "multiple_select",
            "multi_select",
            "checkbox",
            "checkboxes",
            "select_all",
        ),
        MULTIPLE_CHOICE,
    ),
    **dict.fromkeys(
        ("fill_in_the_blank", "fill_in_the_blanks", "fill_in_blank", "fill_in", "short"),
        SHORT_ANSWER,
    ),
    **dict.fromkeys(("open_ended", "essay", "long_answer", "paragraph"), WRITTEN_RESPONSE),
    **dict.fromkeys(("match",), MATCHING),
    **dict.fromkeys(("number", "numeric", "numeric_answer"), NUMERICAL),
    **dict.fromkeys(("order", "sequence", "sort", "puzzle"), ORDERING),
}
#: Types of other tools that have no right answer: their rows are skipped with a warning.
SKIPPED_TYPES = ("poll", "survey", "slide", "word_cloud", "open_poll")
DELIMITERS = (",", ";", "\t")

_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")
#: Excel writes and reads a first line such as ``sep=;`` to name the delimiter.
_SEP_LINE = re.compile(r"sep=([,;\t])")
_QUOTED = re.compile(r'"[^"]*"')
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
_CHOICE_REF = re.compile(r"[A-Ha-h]|[1-8]")
DIFFICULTY_WORDS = {"easy": 1, "medium": 2, "hard": 3}
YES_NO = {"true": True, "yes": True, "false": False, "no": False}
#: The words a true/false answer may be written with, in the languages teachers write in.
TRUE_FALSE_WORDS = {
    **YES_NO,
    **dict.fromkeys(("t", "vrai", "oui", "wahr", "ja", "verdadero", "sí", "si"), True),
    **dict.fromkeys(("verdadeiro", "sim", "vero", "waar", "prawda", "1"), True),
    **dict.fromkeys(("f", "faux", "non", "falsch", "nein", "falso", "não", "nao"), False),
    **dict.fromkeys(("onwaar", "fałsz", "0"), False),
}
#: A list typed with the wrong separator: a semicolon, or a slash not inside a date or fraction.
_OTHER_SEPARATOR = re.compile(r";|(?<![0-9])/|/(?![0-9])")
#: Letters or numbers of choices separated by commas (``1,3``), as Kahoot writes right answers;
#: matched against the stripped cell, and linear: each repetition starts at a comma.
_COMMA_LIST = re.compile(r"[A-Ha-h1-8](?:[ \t]*,[ \t]*[A-Ha-h1-8])+")

Cells = dict[str, str]


def parse_csv(text: str, context: UploadContext) -> ParseResult:
    """Parse a CSV question set (a header row, then one question per row)."""
    builder = DocumentBuilder(context)
    text, delimiter = _delimiter(text)
    parse_rows(_read_rows(text, delimiter, builder), builder)
    return builder.result()


def parse_rows(rows: list[tuple[int, list[str]]], builder: DocumentBuilder) -> None:
    """Add the questions of a sheet's non-blank rows (each with its line or row number)."""
    start = _header_index(rows)
    if start < len(rows):
        header_line, header = rows[start]
        columns = _header(header, header_line, builder)
        if columns is not None:
            _add_questions(rows[start + 1 :], columns, builder)


def _header_index(rows: list[tuple[int, list[str]]]) -> int:
    """The header row: the first that names a prompt column, among the first few; else the first.

    Kahoot's template has rows of instructions above its header; our own files start with it.
    """
    for index, (_, cells) in enumerate(rows[:MAX_ROWS_BEFORE_HEADER]):
        if "prompt" in (_column_name(cell) for cell in cells):
            return index
        if sum(1 for cell in cells if cell.strip()) > MAX_INSTRUCTION_CELLS:
            break  # a row of many cells is the header (or data), not an instruction
    return 0


def split_list(cell: str) -> list[str]:
    """Split a cell on ``|`` (but not ``\\|``), dropping empty parts."""
    parts = (part.replace("\\|", "|").strip() for part in _UNESCAPED_BAR.split(cell))
    return [part for part in parts if part]


def _delimiter(text: str) -> tuple[str, str]:
    """The delimiter named by a ``sep=`` line or, failing that, the commonest one in the header."""
    first, newline, rest = text.partition("\n")
    named = _SEP_LINE.fullmatch(first.strip(" \r"))  # not strip(): it would eat "sep=<tab>"
    if named:
        # Blank the sep= line rather than drop it, so that row line numbers stay physical.
        return newline + rest, named.group(1)
    header = next((line for line in text.split("\n") if line.strip()), "")
    unquoted = _QUOTED.sub("", header)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return text, best if counts[best] else ","


def _read_rows(text: str, delimiter: str, builder: DocumentBuilder) -> list[tuple[int, list[str]]]:
    """Non-blank rows with the physical line each starts on (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        builder.error(_csv_problem(str(exc), start), start)
    return rows


def _csv_problem(reason: str, line: int) -> str:
    if "unexpected end of data" in reason:
        return gettext(
            'a cell in the row starting on line %(line)s opens a quote (") that is never '
            'closed; close it, or write a quote inside a quoted cell as ""',
            line=line,
        )
    if "expected after" in reason:
        return gettext(
            "a quoted cell in the row on line %(line)s has text after its closing quote; "
            'quote the whole cell and write a quote inside it as ""',
            line=line,
        )
    return gettext(
        "the row starting on line %(line)s is not valid CSV (%(reason)s)", line=line, reason=reason
    )


def _column_name(cell: str) -> str:
    """The native name of a header cell: ``Choice 1``, ``Answer 1 - max 75 characters`` and
    ``Option 1`` are ``choice_1``; ``Correct answer(s)`` is ``answer``."""
    name = cell.strip().lower()
    if name.startswith("x-"):
        return name
    # Templates explain a column after its name: "Time limit (sec) – 5, 10, 20 ...".
    name = _EXPLAINED_NAME.split(" ".join(name.split()), maxsplit=1)[0].strip()
    name = re.sub(r"[\s-]+", "_", name)
    name = re.sub(r"^(?:choice|option|answer)_?([0-9]+)$", r"choice_\1", name)
    return COLUMN_ALIASES.get(name, name)


def _header(cells: list[str], line: int, builder: DocumentBuilder) -> list[str] | None:
    """The column name at each position ('' for an unnamed column), or None if unusable.

    Linear in the number of cells: names seen are kept in a set, and each kind of problem is
    one message, however many columns have it.
    """
    columns: list[str] = []
    seen: set[str] = set()
    repeated: dict[str, None] = {}
    unknown: dict[str, None] = {}
    problems = len(builder.issues)
    for cell in cells:
        name = _column_name(cell)
        if name in seen:
            repeated[name] = None
        elif name in IGNORED_COLUMNS:
            builder.warn(
                gettext(
                    "the column '%(column)s' is left out: %(reason)s",
                    column=cell.strip(),
                    reason=IGNORED_COLUMNS[name],
                ),
                line,
            )
        elif name and name not in KNOWN_COLUMNS and not name.startswith("x-"):
            unknown[cell.strip()] = None
        if name:
            seen.add(name)
        columns.append(name)
    for name in repeated:
        builder.error(
            gettext("the column '%(column)s' appears twice in the header row", column=name), line
        )
    if unknown:
        # The list of columns is given once, in this one message, however many are unknown.
        builder.error(
            ngettext(
                "unknown column %(names)s; the columns are %(columns)s (choice_1 to choice_8 or "
                "one 'choices' column); start a column name with x- to keep notes that are not "
                "imported",
                "unknown columns %(names)s; the columns are %(columns)s (choice_1 to choice_8 or "
                "one 'choices' column); start a column name with x- to keep notes that are not "
                "imported",
                len(unknown),
                names=_unknown_names(list(unknown)),
                columns=", ".join(COLUMNS),
            ),
            line,
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        builder.error(
            gettext(
                "the header row needs the column(s) %(missing)s; it has %(present)s",
                missing=", ".join(missing),
                present=_some_names([name for name in columns if name]) or gettext("none"),
            ),
            line,
        )
    # A broken header would turn every row into the same errors; report the header alone.
    return columns if len(builder.issues) == problems else None


def _unknown_names(names: list[str], shown: int = 5) -> str:
    """The first unknown names, each with its suggestion, and how many more (difflib is slow:
    only the names shown are compared)."""
    listed = [_with_suggestion(name) for name in names[:shown]]
    if len(names) > shown:
        return gettext(
            "%(shown)s and %(count)s more",
            shown=", ".join(listed),
            count=format(len(names) - shown, ","),
        )
    return _listed(listed)


def _with_suggestion(cell: str) -> str:
    """'promt' (did you mean 'prompt'?): the nearest column name, if one is near."""
    name = _column_name(cell)
    nearest = difflib.get_close_matches(name, _SPELLABLE_COLUMNS, n=1, cutoff=0.75)
    if not nearest:
        return f"'{cell}'"
    return gettext(
        "'%(cell)s' (did you mean '%(column)s'?)",
        cell=cell,
        column=COLUMN_ALIASES.get(nearest[0], nearest[0]),
    )


_SPELLABLE_COLUMNS = [*COLUMNS, *COLUMN_ALIASES]


def _some_names(names: list[str], shown: int = 5) -> str:
    """'a', 'b' and 'c'; or the first few and how many more, for a header of thousands."""
    return _listed([f"'{name}'" for name in names], shown)


def _listed(names: list[str], shown: int = 5) -> str:
    if len(names) > shown:
        return gettext(
            "%(shown)s and %(count)s more",
            shown=", ".join(names[:shown]),
            count=format(len(names) - shown, ","),
        )
    if len(names) <= 1:
        return "".join(names)
    return gettext("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


def _add_questions(
    rows: list[tuple[int, list[str]]], columns: list[str], builder: DocumentBuilder
) -> None:
    named_rows = [(line, _row_cells(line, cells, columns, builder)) for line, cells in rows]
    ids = IdAllocator({cells["id"] for _, cells in named_rows if cells and "id" in cells})
    inferred: dict[str, list[str]] = {}
    for number, (line, cells) in enumerate(named_rows, start=1):
        if cells is None:
            continue
        question_id = cells.get("id") or ids.allocate(f"q{number}")
        spelled = _type_name(cells.get("type", ""))
        if spelled in SKIPPED_TYPES:
            builder.warn(
                gettext("skipped: a '%(type)s' has no right answer to grade", type=cells["type"]),
                line,
                question_id,
            )
            continue
        if not spelled:
            spelled = _inferred_type(cells)
            if spelled:
                inferred.setdefault(spelled, []).append(question_id)
        fields = _question_fields(cells, spelled, question_id, line, builder)
        if fields is not None:
            builder.add_question(fields, line)
    if inferred:
        read_as = "; ".join(
            ngettext(
                "%(count)s question as %(type)s (%(ids)s)",
                "%(count)s questions as %(type)s (%(ids)s)",
                len(ids_),
                count=format(len(ids_), ","),
                type=question_type,
                ids=_some_names(ids_, 3),
            )
            for question_type, ids_ in inferred.items()
        )
        builder.warn(
            gettext(
                "no type given, so the type was told from the cells: %(read_as)s; add a 'type' "
                "column to choose",
                read_as=read_as,
            ),
            rows[0][0] if rows else None,
        )


def _type_name(cell: str) -> str:
    """The native type a type cell names (``True/False`` is true_false), or the cell itself."""
    name = re.sub(r"[^\w]+", "_", cell.strip().lower()).strip("_")
    return TYPE_SPELLINGS.get(name, name)


def _inferred_type(cells: Cells) -> str:
    """The type a row without one is: told from the cells it fills (Kahoot rows are choices)."""
    if any(name in cells for name in (*CHOICE_COLUMNS, "choices")):
        answer = cells.get("answer", "")
        several = len(split_list(answer)) > 1 or _COMMA_LIST.fullmatch(answer.strip())
        return MULTIPLE_CHOICE if several else SINGLE_CHOICE
    for column, question_type in (
        ("pairs", MATCHING),
        ("items", ORDERING),
        ("rubric", WRITTEN_RESPONSE),
        ("source", SELECT_EVIDENCE),
        ("tolerance", NUMERICAL),
    ):
        if column in cells:
            return question_type
    if "answer" in cells:
        word = cells["answer"].strip().lower()
        # "1" or "T" alone may be a short answer; only a word makes a row true/false.
        is_boolean = word in TRUE_FALSE_WORDS and len(word) > 1 and not word.isdigit()
        return TRUE_FALSE if is_boolean else SHORT_ANSWER
    return ""


#: Columns that hold a question's id: the row's own, and the Part A a Part B belongs to.
ID_COLUMNS = frozenset({"id", "part_of"})


def _id_cell(text: str) -> str:
    """An id as a spreadsheet holds it (``Q1``, ``Naturalización``) as the slug the format
    takes (``q1``, ``naturalizacion``), the same way in both columns so a Part B still names its
    Part A. Text with no letter or digit to keep is left for the validator to refuse."""
    if SLUG.fullmatch(text):
        return text
    return slugify(text) or text


def _row_cells(
    line: int, cells: list[str], columns: list[str], builder: DocumentBuilder
) -> Cells | None:
    """The row's non-empty cells by column name, or None if a cell has no column."""
    named: Cells = {}
    for position, cell in enumerate(cells):
        value = cell.strip()
        if not value:
            continue
        if position < len(columns) and columns[position] in IGNORED_COLUMNS:
            continue
        if position < len(columns) and not columns[position] and value.isdigit():
            continue  # Kahoot's template numbers its rows in a column with no name
        if position >= len(columns) or not columns[position]:
            builder.error(
                gettext(
                    "the row has a value in column %(number)s, which has no name in the header "
                    "row; if the text contains the delimiter, put the cell in double quotes",
                    number=position + 1,
                ),
                line,
            )
            return None
        if columns[position] in ID_COLUMNS:
            value = _id_cell(value)
        named[columns[position]] = value
    return named


def _question_fields(
    cells: Cells, question_type: str, question_id: str, line: int, builder: DocumentBuilder
) -> dict[str, Any] | None:
    """One row as a native question; None if the row has a problem only CSV can have."""
    problems = len(builder.issues)
    fields: dict[str, Any] = {"id": question_id}
    if question_type:
        fields["type"] = question_type
    _copy_simple_fields(cells, fields)
    lists = _ListReader(builder, line, question_id)
    choices = _choices(cells, lists)
    if choices:
        fields["choices"] = choices
    if "answer" in cells:
        fields["answer"] = _answer(question_type, cells["answer"], choices, lists)
    if "pairs" in cells:
        fields["pairs"] = _pairs(cells["pairs"], line, question_id, builder)
    if "items" in cells:
        fields["items"] = lists.read("items", cells["items"], at_least=2)
    _copy_reading_fields(cells, fields, line, question_id, builder)
    evidence = _evidence(cells, builder)
    if evidence:
        fields["evidence"] = evidence
    fields.update((name, value) for name, value in cells.items() if name.startswith("x-"))
    return fields if len(builder.issues) == problems else None


def _copy_simple_fields(cells: Cells, fields: dict[str, Any]) -> None:
    for name in ("prompt", "explanation"):
        if name in cells:
            fields[name] = cells[name]
    if "category" in cells:
        # Spreadsheet users type "Who said what"; the format wants the slug who-said-what. A name
        # with no letters or digits at all ("???") leaves the default category.
        slug = category_slug(cells["category"])
        if slug:
            fields["category"] = slug
    if "difficulty" in cells:
        word = cells["difficulty"].lower()
        fields["difficulty"] = DIFFICULTY_WORDS.get(word, _whole_number(word))
    if "points" in cells:
        fields["points"] = _whole_number(cells["points"])
    if "scoring" in cells:
        fields["scoring"] = cells["scoring"].lower().replace(" ", "_")
    if "shuffle" in cells:
        fields["shuffle"] = YES_NO.get(cells["shuffle"].lower(), cells["shuffle"])


def _copy_reading_fields(
    cells: Cells, fields: dict[str, Any], line: int, question_id: str, builder: DocumentBuilder
) -> None:
    """The columns of the evidence-based reading types, in the shapes the validator reads."""
    if "part_of" in cells:
        fields["part_of"] = cells["part_of"]
    for name in ("typos", "select", "min_words", "max_words"):
        if name in cells:
            fields[name] = _whole_number(cells[name])
    if "distractors" in cells:
        fields["distractors"] = _ListReader(builder, line, question_id).read(
            "distractors", cells["distractors"]
        )
    if "tolerance" in cells:
        fields["tolerance"] = _number_or_text(cells["tolerance"])
    for name in ("source", "cite"):
        if name in cells:
            fields[name] = builder.source_key(cells[name])
    if "passage" in cells:
        fields["passage"] = cells["passage"]
    if "rubric" in cells:
        fields["rubric"] = _rubric(cells["rubric"], line, question_id, builder)


def _rubric(
    cell: str, line: int, question_id: str, builder: DocumentBuilder
) -> list[dict[str, Any]]:
    """Criteria written as 'points: criterion', separated by |."""
    criteria: list[dict[str, Any]] = []
    for part in split_list(cell):
        points, colon, criterion = (text.strip() for text in part.partition(":"))
        if not colon or not _WHOLE_NUMBER.fullmatch(points):
            builder.error(
                gettext(
                    "write each rubric criterion as 'points: criterion', separated by |; "
                    "'%(part)s' is not",
                    part=part,
                ),
                line,
                question_id,
            )
            continue
        criteria.append({"points": int(points), "criterion": criterion})
    return criteria


def _whole_number(cell: str) -> int | str:
    """The number typed, or the text itself so that the validator names it."""
    return int(cell) if _WHOLE_NUMBER.fullmatch(cell) else cell


class _ListReader:
    """Reads the cells that hold lists, and speaks up when one uses another separator than |."""

    def __init__(self, builder: DocumentBuilder, line: int, question_id: str) -> None:
        self.builder, self.line, self.question_id = builder, line, question_id

    def read(self, column: str, cell: str, at_least: int = 1) -> list[str]:
        """The list in ``cell``; one entry that looks like a list gets a warning (or an error,
        when the column needs more entries than one)."""
        parts = split_list(cell)
        if len(parts) == 1 and _OTHER_SEPARATOR.search(parts[0]):
            separator = ";" if ";" in parts[0] else "/"
            message = gettext(
                "the %(column)s cell '%(cell)s' is read as one entry; if it lists several, "
                "separate them with | instead of %(separator)s",
                column=column,
                cell=parts[0],
                separator=separator,
            )
            if at_least > 1:
                self.builder.error(message, self.line, self.question_id)
            else:
                self.builder.warn(message, self.line, self.question_id)
        return parts


def _choices(cells: Cells, lists: _ListReader) -> list[str] | None:
    numbered = [cells[name].replace("\\|", "|") for name in CHOICE_COLUMNS if name in cells]
    if numbered and "choices" in cells:
        lists.builder.error(
            gettext("use either the 'choices' column or choice_1 to choice_8, not both"),
            lists.line,
            lists.question_id,
        )
        return None
    if numbered:
        return numbered
    return lists.read("choices", cells["choices"], at_least=2) if "choices" in cells else []


def _answer(question_type: str, cell: str, choices: list[str] | None, lists: _ListReader) -> Any:
    """The answer cell in the shape the question type needs."""
    if question_type == TRUE_FALSE:
        return TRUE_FALSE_WORDS.get(cell.strip().lower(), cell)
    if question_type in (SHORT_ANSWER, SELECT_EVIDENCE):
        return lists.read("answer", cell)
    if question_type == MULTIPLE_CHOICE:
        return [_choice_ref(answer, choices or []) for answer in _choice_list(cell, lists)]
    if question_type == SINGLE_CHOICE:
        return _choice_ref(cell.replace("\\|", "|"), choices or [])
    if question_type == NUMERICAL:
        return [_numeric_answer(part) for part in lists.read("answer", cell)]
    return cell


def _number_or_text(text: str) -> float | int | str:
    """A number as read from a cell (``2,5`` is 2.5), or the text so the validator names it."""
    number = read_number(text)
    if number is None:
        return text.strip()
    return int(number) if number.is_integer() else number


def _numeric_answer(part: str) -> Any:
    """One answer of a numerical row: ``1787``, ``1787 ± 2`` (or ``+-``), ``1780..1790``, each
    optionally followed by its credit ``(50%)`` and then ``# feedback``."""
    body, hash_mark, feedback = part.partition("#")
    entry: dict[str, Any] = {}
    body = body.strip()
    if body.endswith("%)") and "(" in body:
        body, _, credit = body.rpartition("(")
        entry["credit"] = _number_or_text(credit.removesuffix("%)"))
        body = body.strip()
    if ".." in body:
        low, _, high = body.partition("..")
        entry["min"], entry["max"] = _number_or_text(low), _number_or_text(high)
    else:
        value, _, tolerance = body.replace("+-", "±").partition("±")
        entry["value"] = _number_or_text(value)
        if tolerance.strip():
            entry["tolerance"] = _number_or_text(tolerance)
    if hash_mark and feedback.strip():
        entry["feedback"] = feedback.strip()
    return entry["value"] if list(entry) == ["value"] else entry


def _choice_list(cell: str, lists: _ListReader) -> list[str]:
    """The right choices of a multiple-choice row: ``A | C``, or ``1,3`` as Kahoot writes them."""
    if _COMMA_LIST.fullmatch(cell.strip()):
        return [part.strip() for part in cell.split(",")]
    refs = [part.strip() for part in re.split(r"[;/]", cell)]
    if len(refs) > 1 and all(_CHOICE_REF.fullmatch(ref) for ref in refs):
        lists.builder.warn(
            gettext(
                "the answer '%(cell)s' is read as the choices %(refs)s; separate answers with | "
                "instead",
                cell=cell,
                refs=", ".join(refs),
            ),
            lists.line,
            lists.question_id,
        )
        return refs
    return lists.read("answer", cell)


def _choice_ref(answer: str, choices: list[str]) -> str:
    """The choice an answer names by its text, its letter (A-H) or its number (1-8)."""
    if answer in choices or not _CHOICE_REF.fullmatch(answer):
        return answer
    position = int(answer) - 1 if answer.isdigit() else ord(answer.upper()) - ord("A")
    return choices[position] if position < len(choices) else answer


def _pairs(cell: str, line: int, question_id: str, builder: DocumentBuilder) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in split_list(cell):
        left, arrow, right = (text.strip() for text in part.partition("=>"))
        if not arrow or not left:
            builder.error(
                gettext(
                    "write each pair as 'left => right', pairs separated by |; '%(part)s' is not",
                    part=part,
                ),
                line,
                question_id,
            )
        elif left in pairs:
            builder.error(
                gettext("'%(left)s' is on the left of two pairs", left=left), line, question_id
            )
        else:
            pairs[left] = right
    return pairs


def _evidence(cells: Cells, builder: DocumentBuilder) -> list[dict[str, str]]:
    source = cells.get("evidence_source", "")
    quotes = split_list(cells.get("evidence_quote", ""))
    if not quotes and source:
        # A source with no quote: let the validator ask for the quote.
        return [{"source": builder.source_key(source)}]
    return [builder.evidence(source, quote) for quote in quotes]
