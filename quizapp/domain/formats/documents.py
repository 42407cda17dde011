"""Build the native-shaped document that the one validator checks, from a foreign format.

CSV, GIFT and Aiken parsers fill a ``DocumentBuilder`` with questions in the native shape and
the line each came from; the builder adds the set's id, title and uploaded sources.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..errors import ValidationIssue
from ..limits import MAX_SLUG_CHARS, MAX_TITLE_CHARS
from ..model import FORMAT_V1
from ..raw_document import PathKey, RawDocument
from ..validation import is_category_char
from .images import ImageFile

MIN_SET_ID_CHARS = 3


def slugify(text: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """Lower-case ASCII slug of ``text`` (a-z, 0-9, '-'); accents are dropped, not the letters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_chars].rstrip("-")


def category_slug(text: str) -> str:
    """The slug of a category name: the ASCII slug when there is one (``Révolution`` ->
    ``revolution``, as always), else the name's own letters, digits and marks in lower case
    (``Кто сказал`` -> ``кто-сказал``, ``राजनीति``), so a name in any script keeps a category."""
    ascii_slug = slugify(text)
    if ascii_slug:
        return ascii_slug
    lowered = unicodedata.normalize("NFKC", text).lower()
    words = "".join(char if is_category_char(char) else "-" for char in lowered)
    return re.sub("-+", "-", words).strip("-")[:MAX_SLUG_CHARS].rstrip("-")


def full_stop(sentence: str) -> str:
    """The sentence ending in one full stop: "The correct answer is U.S." gets no second one."""
    return sentence if sentence.rstrip().endswith((".", "!", "?", "…")) else f"{sentence}."


def file_stem(filename: str) -> str:
    """The name of an uploaded file without folders (either slash) or its last extension."""
    return PurePosixPath(base_name(filename)).stem


def base_name(filename: str) -> str:
    """The file name without any folders, whichever slash the uploader's system uses."""
    return re.split(r"[\\/]", filename)[-1]


def set_id_from_filename(filename: str) -> str:
    """A set id (3..64 chars) derived from the file name, e.g. 'Unit 3.gift' -> 'unit-3'."""
    slug = slugify(file_stem(filename))
    if len(slug) < MIN_SET_ID_CHARS:
        slug = f"{slug}-quiz".strip("-")
    return slug


def title_from_filename(filename: str) -> str:
    """A readable set title from the file name, e.g. 'unit_3-civics.csv' -> 'unit 3 civics'."""
    words = " ".join(re.sub(r"[_-]+", " ", file_stem(filename)).split())
    return words[:MAX_TITLE_CHARS] or "Untitled quiz"


class IdAllocator:
    """Hands out question ids that are unique within one set."""

    def __init__(self, reserved: set[str] | None = None) -> None:
        self.used: set[str] = set(reserved or ())
        # Where to resume counting per base, so a thousand equal titles stay linear.
        self.last_number: dict[str, int] = {}

    def allocate(self, base: str) -> str:
        """``base`` itself if free, otherwise ``base-2``, ``base-3``, … (at most 64 chars)."""
        candidate, number = base, self.last_number.get(base, 1)
        while candidate in self.used:
            number += 1
            suffix = f"-{number}"
            candidate = base[: MAX_SLUG_CHARS - len(suffix)] + suffix
        self.last_number[base] = number
        self.used.add(candidate)
        return candidate


@dataclass(frozen=True)
class UploadContext:
    """What an upload knows besides the file: its name, uploaded sources and chosen id/title."""

    filename: str
    sources: dict[str, str] = field(default_factory=dict)
    set_id: str | None = None
    title: str | None = None

    def source_entries(self) -> dict[str, dict[str, str]]:
        """Each uploaded source as a native source entry, keyed by the slug of its file stem."""
        keys = IdAllocator()
        entries: dict[str, dict[str, str]] = {}
        for name, text in self.sources.items():
            stem = file_stem(name)
            key = keys.allocate(slugify(stem) or "source")
            entries[key] = {"title": stem[:MAX_TITLE_CHARS] or key, "text": text}
        return entries


@dataclass
class ParseResult:
    """A foreign file as a native-shaped document, plus what its parser noticed."""

    document: RawDocument
    issues: list[ValidationIssue]
    warnings: list[ValidationIssue]
    #: Images the file carries (Moodle XML), by the name its text refers to them by.
    images: dict[str, ImageFile] = field(default_factory=dict)


class DocumentBuilder:
    """Collects native-shaped questions with their lines, and the parser's issues."""

    def __init__(self, context: UploadContext) -> None:
        self.context = context
        self.sources = context.source_entries()
        self.questions: list[dict[str, Any]] = []
        self.lines: dict[PathKey, int] = {}
        self.issues: list[ValidationIssue] = []
        self.warnings: list[ValidationIssue] = []

    def add_question(
        self, fields: dict[str, Any], line: int, key_lines: dict[PathKey, int] | None = None
    ) -> None:
        """Add a question that starts on ``line``; ``key_lines`` locates its values more closely."""
        path: PathKey = ("questions", len(self.questions))
        self.questions.append(fields)
        self.lines[path] = line
        for key in fields:
            self.lines[(*path, key)] = line
        for sub_path, sub_line in (key_lines or {}).items():
            self.lines[(*path, *sub_path)] = sub_line

    def error(self, message: str, line: int | None, question_id: str | None = None) -> None:
        """Record a problem that blocks the import."""
        self.issues.append(ValidationIssue(self.context.filename, message, line, question_id))

    def warn(self, message: str, line: int | None, question_id: str | None = None) -> None:
        """Record something the teacher should know that does not block the import."""
        self.warnings.append(ValidationIssue(self.context.filename, message, line, question_id))

    def evidence(self, source_ref: str, quote: str) -> dict[str, str]:
        """A native evidence entry; an empty reference means the only uploaded source."""
        return {"source": self.source_key(source_ref), "quote": quote}

    def source_key(self, source_ref: str) -> str:
        """The key of the uploaded source that ``source_ref`` names ('article.txt' -> 'article')."""
        ref = source_ref.strip()
        if not ref:
            return next(iter(self.sources)) if len(self.sources) == 1 else ""
        for candidate in (ref, slugify(ref), slugify(file_stem(ref))):
            if candidate in self.sources:
                return candidate
        return ref

    def result(self) -> ParseResult:
        """The document for the validator, with the set's id, title and sources filled in."""
        data: dict[str, Any] = {
            "format": FORMAT_V1,
            "id": self.context.set_id or set_id_from_filename(self.context.filename),
            "title": self.context.title or title_from_filename(self.context.filename),
            "questions": self.questions,
        }
        if self.sources:
            data["sources"] = self.sources
        return ParseResult(RawDocument(data, self.lines), self.issues, self.warnings)
