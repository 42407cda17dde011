"""Turn uploaded bytes into text, whatever editor or spreadsheet saved them."""

from __future__ import annotations

import codecs
import re

from ..errors import QuestionSetError, ValidationIssue
from ..i18n import gettext, lazy_gettext
from ..limits import MAX_FILE_BYTES
from ..raw_document import file_too_large

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Control characters never found in a text file (tab and newline are fine; CR is normalised).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

SAVE_AS_UTF8 = lazy_gettext("save the file as UTF-8 text")
#: What a spreadsheet user does about a file we cannot read as text.
SAVE_AS_CSV_UTF8 = lazy_gettext(
    'save it again as "CSV UTF-8" (Excel: File > Save As > CSV UTF-8; Google Sheets: '
    "File > Download > CSV; LibreOffice: Text CSV with the character set Unicode (UTF-8))"
)


def _refuse(filename: str, message: str) -> QuestionSetError:
    return QuestionSetError([ValidationIssue(filename, message)])


def decode_upload(
    content: bytes, filename: str, *, legacy_encodings: bool, save_as: str | None = None
) -> str:
    """Decode an upload (UTF-8, UTF-16 with BOM, or cp1252/Latin-1 if allowed) with \\n newlines.

    ``save_as`` says how to save a file that cannot be read (a CSV: as "CSV UTF-8").
    """
    if len(content) > MAX_FILE_BYTES:
        raise _refuse(filename, file_too_large())
    advice = save_as or SAVE_AS_UTF8
    text = _decode(content, filename, legacy_encodings, advice)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise QuestionSetError(
            [
                ValidationIssue(
                    filename,
                    gettext(
                        "the file contains a control character (U+%(code)s), so it does not "
                        "look like a text file; %(advice)s",
                        code=format(ord(found.group()), "04X"),
                        advice=advice,
                    ),
                    line,
                )
            ]
        )
    return text


def _decode(content: bytes, filename: str, legacy_encodings: bool, advice: str) -> str:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                return content[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise _refuse(
                    filename,
                    gettext(
                        "the file is not valid %(encoding)s text (%(reason)s); %(advice)s",
                        encoding=encoding,
                        reason=exc.reason,
                        advice=advice,
                    ),
                ) from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not legacy_encodings:
            raise _refuse(
                filename,
                gettext(
                    "the file is not UTF-8 text (%(reason)s); %(advice)s",
                    reason=exc.reason,
                    advice=advice,
                ),
            ) from None
    # Excel and Notepad on Windows save "ANSI" text; cp1252 is what that means for
    # Western-European teachers, and Latin-1 decodes the few bytes cp1252 leaves undefined.
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")
