"""Load a question set from a native YAML or JSON file on disk or from uploaded text."""

from __future__ import annotations

from pathlib import Path

from .errors import QuestionSetError, ValidationIssue
from .limits import MAX_FILE_BYTES, MAX_SOURCE_BYTES, MAX_SOURCE_CHARS
from .model import QuestionSet
from .validation import SourceFileError, SourceReader, validate_document
from .yaml_reader import FILE_TOO_LARGE, decode_text, read_yaml_document


def folder_source_reader(folder: Path) -> SourceReader:
    """A reader for ``file:`` sources that stays inside ``folder`` (no absolute paths or '..')."""
    base = folder.resolve()

    def read(name: str) -> str:
        relative = Path(name)
        target = (base / relative).resolve()
        if relative.is_absolute() or not target.is_relative_to(base):
            raise SourceFileError(f"source file '{name}' must be a path inside the set's folder")
        if not target.is_file():
            raise SourceFileError(f"source file '{name}' does not exist next to the set")
        if target.stat().st_size > MAX_SOURCE_BYTES:
            raise SourceFileError(
                f"source file '{name}' is longer than {MAX_SOURCE_CHARS:,} characters"
            )
        try:
            return target.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise SourceFileError(f"source file '{name}' is not UTF-8 text") from None

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
        raise QuestionSetError([ValidationIssue(path.name, FILE_TOO_LARGE)])
    text = decode_text(path.read_bytes(), path.name)
    return load_question_set_text(
        text, path.name, folder_source_reader(path.parent), require_evidence=require_evidence
    )
