"""Spreadsheets in and out: CSV with a byte-order mark and cells safe from formula injection,
and the rows of an uploaded .xlsx workbook, read with openpyxl within the upload limits."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

from .errors import QuestionSetError, ValidationIssue
from .i18n import gettext, lazy_gettext
from .limits import (
    MAX_FILE_BYTES,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_XLSX_EXPANDED_BYTES,
    MAX_XLSX_MEMBERS,
    describe_bytes,
)

#: Why a workbook is refused, and what the teacher can do about it.
NOT_A_WORKBOOK = lazy_gettext(
    "the file is not an Excel workbook that can be read; open it in Excel, LibreOffice or "
    "Google Sheets and save or download it again as .xlsx (or as CSV UTF-8)"
)
HAS_MACROS = lazy_gettext(
    "the workbook contains macros, which are never run or imported; save it as an Excel "
    "Workbook (.xlsx) without macros, or as CSV UTF-8"
)

#: A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, with a leading apostrophe if a spreadsheet would run it as a formula."""
    if value is None:
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    # Numbers (including negative ones we wrote) are data, not formulas.
    if text.startswith(FORMULA_PREFIXES) and not isinstance(value, int | float):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document with a byte-order mark, so Excel opens it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def xlsx_rows(content: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """The non-blank rows of a workbook's first sheet, each with its row number, as text cells.

    The zip file is measured before openpyxl reads it (a small file may unzip to gigabytes), a
    workbook with macros is refused, and only the first rows and columns that a question set can
    use are read. Formulas give the value the spreadsheet last computed (data_only).
    """
    if len(content) > MAX_FILE_BYTES:
        raise _refuse(
            filename,
            gettext("the file is larger than %(size)s", size=describe_bytes(MAX_FILE_BYTES)),
        )
    _check_archive(content, filename)
    # Imported here: openpyxl costs each worker about 0.3 s of start-up and megabytes of memory
    # that only uploads and template downloads need.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; each means the same here
        raise _refuse(filename, NOT_A_WORKBOOK) from None
    try:
        return _sheet_rows(workbook, filename)
    except QuestionSetError:
        raise
    except Exception:
        raise _refuse(filename, NOT_A_WORKBOOK) from None
    finally:
        workbook.close()


def _refuse(filename: str, message: str, line: int | None = None) -> QuestionSetError:
    # str(): the reasons kept as constants are lazy, and the issue keeps the text of now.
    return QuestionSetError([ValidationIssue(filename, str(message), line)])


def _check_archive(content: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(filename, NOT_A_WORKBOOK) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise _refuse(filename, NOT_A_WORKBOOK)
    if any(member.filename.lower().endswith("vbaproject.bin") for member in members):
        raise _refuse(filename, HAS_MACROS)
    if sum(member.file_size for member in members) > MAX_XLSX_EXPANDED_BYTES:
        raise _refuse(
            filename,
            gettext(
                "the workbook unzips to more than %(size)s; keep only the sheet of questions, or "
                "save it as CSV UTF-8",
                size=describe_bytes(MAX_XLSX_EXPANDED_BYTES),
            ),
        )


def _sheet_rows(workbook: Workbook, filename: str) -> list[tuple[int, list[str]]]:
    if not workbook.worksheets:
        raise _refuse(filename, NOT_A_WORKBOOK)
    sheet = workbook.worksheets[0]
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(
        sheet.iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True), start=1
    ):
        if number > MAX_SHEET_ROWS:
            raise _refuse(
                filename,
                gettext(
                    "the first sheet has more than %(max)s rows; a set holds at most 500 "
                    "questions, so split it or delete the empty rows below the questions",
                    max=format(MAX_SHEET_ROWS, ","),
                ),
                number,
            )
        cells = [cell_text(value) for value in values]
        if any(cell.strip() for cell in cells):
            rows.append((number, cells))
    return rows


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text the teacher sees in it (``3`` for 3.0, ``true`` for TRUE)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A one-sheet workbook; text cells are never formulas (openpyxl writes them as strings)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(list(header))
    for row in rows:
        sheet.append([_literal(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _literal(value: object) -> object:
    """A cell that openpyxl will store as text, never as a formula (which starts with '=')."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value
