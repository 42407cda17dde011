"""CSV question sets: one question per row, as Excel, LibreOffice or Google Sheets save them.

The columns are named after the native keys, so the validator's messages ("add the required key
'explanation'") point at the column to fix. Lists inside one cell are separated by ``|``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from ..model import MULTIPLE_CHOICE, SELECT_EVIDENCE, SHORT_ANSWER, SINGLE_CHOICE, TRUE_FALSE
from ..question_types.base import MAX_CHOICES
from .documents import (
    DocumentBuilder,
    IdAllocator,
    ParseResult,
    UploadContext,
    category_slug,
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
)
KNOWN_COLUMNS = frozenset(COLUMNS)
REQUIRED_COLUMNS = ("type", "prompt", "explanation")
DELIMITERS = (",", ";", "\t")

_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")
#: Excel writes and reads a first line such as ``sep=;`` to name the delimiter.
_SEP_LINE = re.compile(r"sep=([,;\t])")
_QUOTED = re.compile(r'"[^"]*"')
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
_CHOICE_REF = re.compile(r"[A-Ha-h]|[1-8]")
DIFFICULTY_WORDS = {"easy": 1, "medium": 2, "hard": 3}
YES_NO = {"true": True, "yes": True, "false": False, "no": False}

Cells = dict[str, str]


def parse_csv(text: str, context: UploadContext) -> ParseResult:
    """Parse a CSV question set (a header row, then one question per row)."""
    builder = DocumentBuilder(context)
    text, delimiter = _delimiter(text)
    rows = _read_rows(text, delimiter, builder)
    if rows:
        header_line, header = rows[0]
        columns = _header(header, header_line, builder)
        if columns is not None:
            _add_questions(rows[1:], columns, builder)
    return builder.result()


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
        return (
            f'a cell in the row starting on line {line} opens a quote (") that is never '
            'closed; close it, or write a quote inside a quoted cell as ""'
        )
    if "expected after" in reason:
        return (
            f"a quoted cell in the row on line {line} has text after its closing quote; "
            'quote the whole cell and write a quote inside it as ""'
        )
    return f"the row starting on line {line} is not valid CSV ({reason})"


def _column_name(cell: str) -> str:
    name = cell.strip().lower()
    if name.startswith("x-"):
        return name
    name = re.sub(r"[\s-]+", "_", name)
    return re.sub(r"^choice_?([0-9]+)$", r"choice_\1", name)


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
        elif name and name not in KNOWN_COLUMNS and not name.startswith("x-"):
            unknown[cell.strip()] = None
        if name:
            seen.add(name)
        columns.append(name)
    for name in repeated:
        builder.error(f"the column '{name}' appears twice in the header row", line)
    if unknown:
        builder.error(
            f"unknown column{'s' if len(unknown) > 1 else ''} {_some_names(list(unknown))}; "
            f"the columns are {', '.join(COLUMNS)} (choice_1 to choice_8 or one 'choices' "
            "column); start a column name with x- to keep notes that are not imported",
            line,
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        builder.error(
            f"the header row needs the column(s) {', '.join(missing)}; "
            f"it has {_some_names([name for name in columns if name]) or 'none'}",
            line,
        )
    # A broken header would turn every row into the same errors; report the header alone.
    return columns if len(builder.issues) == problems else None


def _some_names(names: list[str], shown: int = 5) -> str:
    """'a', 'b' and 'c'; or the first few and how many more, for a header of thousands."""
    quoted = [f"'{name}'" for name in names[:shown]]
    if len(names) > shown:
        return f"{', '.join(quoted)} and {len(names) - shown:,} more"
    if len(quoted) == 1:
        return quoted[0]
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _add_questions(
    rows: list[tuple[int, list[str]]], columns: list[str], builder: DocumentBuilder
) -> None:
    named_rows = [(line, _row_cells(line, cells, columns, builder)) for line, cells in rows]
    ids = IdAllocator({cells["id"] for _, cells in named_rows if cells and "id" in cells})
    for number, (line, cells) in enumerate(named_rows, start=1):
        if cells is None:
            continue
        question_id = cells.get("id") or ids.allocate(f"q{number}")
        fields = _question_fields(cells, question_id, line, builder)
        if fields is not None:
            builder.add_question(fields, line)


def _row_cells(
    line: int, cells: list[str], columns: list[str], builder: DocumentBuilder
) -> Cells | None:
    """The row's non-empty cells by column name, or None if a cell has no column."""
    named: Cells = {}
    for position, cell in enumerate(cells):
        value = cell.strip()
        if not value:
            continue
        if position >= len(columns) or not columns[position]:
            builder.error(
                f"the row has a value in column {position + 1}, which has no name in the "
                "header row; if the text contains the delimiter, put the cell in double quotes",
                line,
            )
            return None
        named[columns[position]] = value
    return named


def _question_fields(
    cells: Cells, question_id: str, line: int, builder: DocumentBuilder
) -> dict[str, Any] | None:
    """One row as a native question; None if the row has a problem only CSV can have."""
    problems = len(builder.issues)
    fields: dict[str, Any] = {"id": question_id}
    question_type = re.sub(r"[\s-]+", "_", cells.get("type", "").lower())
    if question_type:
        fields["type"] = question_type
    _copy_simple_fields(cells, fields)
    choices = _choices(cells, line, question_id, builder)
    if choices:
        fields["choices"] = choices
    if "answer" in cells:
        fields["answer"] = _answer(question_type, cells["answer"], choices)
    if "pairs" in cells:
        fields["pairs"] = _pairs(cells["pairs"], line, question_id, builder)
    if "items" in cells:
        fields["items"] = split_list(cells["items"])
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
        fields["distractors"] = split_list(cells["distractors"])
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
                f"write each rubric criterion as 'points: criterion', separated by |; "
                f"'{part}' is not",
                line,
                question_id,
            )
            continue
        criteria.append({"points": int(points), "criterion": criterion})
    return criteria


def _whole_number(cell: str) -> int | str:
    """The number typed, or the text itself so that the validator names it."""
    return int(cell) if _WHOLE_NUMBER.fullmatch(cell) else cell


def _choices(
    cells: Cells, line: int, question_id: str, builder: DocumentBuilder
) -> list[str] | None:
    numbered = [cells[name].replace("\\|", "|") for name in CHOICE_COLUMNS if name in cells]
    if numbered and "choices" in cells:
        builder.error(
            "use either the 'choices' column or choice_1 to choice_8, not both", line, question_id
        )
        return None
    return numbered or split_list(cells.get("choices", ""))


def _answer(question_type: str, cell: str, choices: list[str] | None) -> Any:
    """The answer cell in the shape the question type needs."""
    if question_type == TRUE_FALSE:
        return YES_NO.get(cell.lower(), cell)
    if question_type in (SHORT_ANSWER, SELECT_EVIDENCE):
        return split_list(cell)
    if question_type == MULTIPLE_CHOICE:
        return [_choice_ref(answer, choices or []) for answer in split_list(cell)]
    if question_type == SINGLE_CHOICE:
        return _choice_ref(cell.replace("\\|", "|"), choices or [])
    return cell


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
                f"write each pair as 'left => right', pairs separated by |; '{part}' is not",
                line,
                question_id,
            )
        elif left in pairs:
            builder.error(f"'{left}' is on the left of two pairs", line, question_id)
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
