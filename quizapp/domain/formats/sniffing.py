"""Tell an upload's format from its name and, for ``.txt`` files, from its content."""

from __future__ import annotations

import re

from ..errors import QuestionSetError, ValidationIssue
from ..i18n import gettext, lazy_gettext

NATIVE_FORMATS = ("yaml", "json")
EXTENSIONS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".gift": "gift",
    ".aiken": "aiken",
    ".txt": "txt",
    ".xml": "moodle_xml",
}
ACCEPTED = lazy_gettext(
    "question sets can be YAML or JSON (.yaml, .yml, .json), CSV (.csv), Excel (.xlsx), "
    "GIFT (.gift), Aiken (.aiken) or Moodle XML (.xml); a .txt file must be GIFT or Aiken"
)
#: A spreadsheet or word-processor file that the teacher can save as something we read.
SAVE_AS_HINTS = {
    ".xlsm": lazy_gettext(
        "macros are never run: save the workbook as an Excel Workbook (.xlsx) or as CSV UTF-8"
    ),
    ".xls": lazy_gettext("save the sheet as an Excel Workbook (.xlsx) or as CSV UTF-8"),
    ".ods": lazy_gettext("save the sheet as Excel 2007-365 (.xlsx) or as Text CSV in LibreOffice"),
    ".docx": lazy_gettext("save the document as plain text (.txt) in GIFT or Aiken format"),
    ".doc": lazy_gettext("save the document as plain text (.txt) in GIFT or Aiken format"),
    ".odt": lazy_gettext("save the document as plain text (.txt) in GIFT or Aiken format"),
}

_AIKEN_ANSWER = re.compile(
    r"^[ \t]*ANSWER[ \t]*:[ \t]*[A-Za-z][ \t]*$", re.MULTILINE | re.IGNORECASE
)
# An answer block: an unescaped "{", then anything but braces (escaped ones count: \{1,2\}), "}".
_GIFT_BLOCK = re.compile(r"(?<!\\)\{(?:[^{}\\]|\\[\s\S])*\}")


def format_from_extension(filename: str) -> str:
    """The format named by the file's extension ("txt" still needs sniffing)."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    hint = SAVE_AS_HINTS.get(suffix)
    message = gettext(
        "'%(filename)s' is not a file we can read: %(accepted)s",
        filename=filename,
        accepted=ACCEPTED,
    )
    if hint:
        message += "; " + str(hint)
    raise QuestionSetError([ValidationIssue(filename, message)])


def looks_like_xml(content: bytes) -> bool:
    """Whether an upload starts as an XML document does (a Moodle XML file saved as .txt)."""
    start = content[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith((b"<?xml", b"<quiz"))


def sniff_text_format(text: str, filename: str) -> str:
    """Whether a .txt upload is Aiken (``ANSWER: B`` lines) or GIFT (answers in ``{ }``)."""
    # Aiken first: an ANSWER line is a strong sign, while braces can occur in any question text.
    if _AIKEN_ANSWER.search(text):
        return "aiken"
    if _GIFT_BLOCK.search(text):
        return "gift"
    raise QuestionSetError(
        [
            ValidationIssue(
                filename,
                gettext(
                    "cannot tell the format of this .txt file: GIFT questions put their answers "
                    "in { }, Aiken questions end with a line such as ANSWER: B; %(accepted)s",
                    accepted=ACCEPTED,
                ),
            )
        ]
    )
