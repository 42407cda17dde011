"""Load a question set from a native YAML or JSON file on disk or from uploaded text."""

from __future__ import annotations

from pathlib import Path

from .errors import QuestionSetError, ValidationIssue
from .i18n import gettext
from .limits import MAX_FILE_BYTES, MAX_SOURCE_BYTES, MAX_SOURCE_CHARS
from .model import QuestionSet
from .raw_document import file_too_large
from .validation import SourceFileError, SourceReader, validate_document
from .yaml_reader import decode_text, read_yaml_document


def folder_source_reader(folder: Path) -> SourceReader:
    """A reader for ``file:`` sources that stays inside ``folder`` (no absolute paths or '..')."""
    base = folder.resolve()

    def read(name: str) -> str:
        relative = Path(name)
        target = (base / relative).resolve()
        if relative.is_absolute() or not target.is_relative_to(base):
            raise SourceFileError(
                gettext("source file '%(name)s' must be a path inside the set's folder", name=name)
            )
        if not target.is_file():
            raise SourceFileError(
                gettext("source file '%(name)s' does not exist next to the set", name=name)
            )
        if target.stat().st_size > MAX_SOURCE_BYTES:
            raise SourceFileError(
                gettext(
                    "source file '%(name)s' is longer than %(max)s characters",
                    name=name,
                    max=format(MAX_SOURCE_CHARS, ","),
                )
            )
        try:
            return target.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise SourceFileError(
                gettext("source file '%(name)s' is not UTF-8 text", name=name)
            ) from None

    return read


def load_question_set_text(
    text: str,
    filename: str,
    read_source: SourceReader | None = None,
    *,
    require_evidence: bool = False,
) -> QuestionSet:
    """Parse and validate native YAML/JSON text; raise QuestionSetError with every issue."""
    document = read_yaml_document(text, filename)
    return validate_document(document, filename, read_source, require_evidence=require_evidence)


def load_question_set_file(path: Path, *, require_evidence: bool = False) -> QuestionSet:
    """Load a native set from disk, reading its ``file:`` sources from the same folder."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise QuestionSetError([ValidationIssue(path.name, file_too_large())])
    text = decode_text(path.read_bytes(), path.name)
    return load_question_set_text(
        text, path.name, folder_source_reader(path.parent), require_evidence=require_evidence
    )
