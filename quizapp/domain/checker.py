"""Reading the fields of a raw question-set document and collecting every problem found.

The validator and each question type's module check their fields with one ``Checker``, so a
file's problems are all reported at once, each with its line and question id.
"""

from __future__ import annotations

from typing import Any

from .errors import ValidationIssue
from .model import ALL_OR_NOTHING, PARTIAL
from .yaml_reader import PathKey, RawDocument

MAX_QUOTE_HINTS = 20


class Checker:
    """Collects issues while walking one raw document."""

    def __init__(self, doc: RawDocument, filename: str) -> None:
        self.doc = doc
        self.filename = filename
        self.issues: list[ValidationIssue] = []
        #: Closest-passage hints still to give: each searches a whole source, and a file may
        #: hold thousands of wrong quotes (the first ones are enough to show the problem).
        self.hints_left = MAX_QUOTE_HINTS
        #: Evidence entries read so far: every quote is searched for and shown in its source.
        self.evidence_count = 0

    def error(self, path: PathKey, message: str, question_id: str | None = None) -> None:
        self.issues.append(
            ValidationIssue(self.filename, message, self.doc.line(path), question_id)
        )

    def text(
        self,
        value: Any,
        path: PathKey,
        name: str,
        qid: str | None = None,
        *,
        max_chars: int | None = None,
    ) -> str | None:
        """Return ``value`` as non-empty text (using what was typed for ``Yes`` or ``12``)."""
        if isinstance(value, str):
            text = value.strip()
        elif path in self.doc.raw_scalars:
            text = self.doc.raw_scalars[path].strip()
        else:
            self.error(path, f"{name} must be text", qid)
            return None
        if not text:
            self.error(path, f"{name} must not be empty", qid)
            return None
        # Only titles have a length of their own; other texts are bounded by the file's size.
        if max_chars is not None and len(text) > max_chars:
            self.error(path, f"{name} is longer than {max_chars} characters; shorten it", qid)
            return None
        return text

    def as_typed(self, value: Any, path: PathKey) -> Any:
        """``value``, or the text typed for it when YAML read it as a number or boolean
        (``id: 2024``, ``source: 1787``): such values are kept as typed where text is expected."""
        if value is not None and not isinstance(value, str) and path in self.doc.raw_scalars:
            return self.doc.raw_scalars[path].strip()
        return value

    def unknown_keys(
        self, mapping: dict[str, Any], allowed: set[str], path: PathKey, what: str, qid: str | None
    ) -> dict[str, Any]:
        """Report keys that are not allowed; return the ``x-`` extension keys."""
        extras = {}
        for key in mapping:
            if key.startswith("x-"):
                extras[key] = mapping[key]
            elif key not in allowed:
                hint = f"; allowed keys: {', '.join(sorted(allowed))}"
                self.error((*path, key), f"unknown {what} key '{key}'{hint}", qid)
        return extras


def required_text(
    check: Checker,
    mapping: dict[str, Any],
    key: str,
    path: PathKey,
    qid: str | None,
    max_chars: int | None = None,
) -> str | None:
    if key not in mapping or mapping[key] is None:
        check.error(path, f"add the required key '{key}'", qid)
        return None
    return check.text(mapping[key], (*path, key), key, qid, max_chars=max_chars)


def optional_text(check: Checker, mapping: dict[str, Any], key: str, path: PathKey) -> str:
    if mapping.get(key) is None:
        return ""
    return check.text(mapping[key], (*path, key), key) or ""


def whole_number(
    check: Checker,
    entry: dict[str, Any],
    key: str,
    path: PathKey,
    qid: str,
    default: int,
    allowed: tuple[int, ...] | None = None,
) -> int:
    value = entry.get(key, default)
    valid = isinstance(value, int) and not isinstance(value, bool)
    if valid and allowed is not None:
        valid = value in allowed
    elif valid:
        valid = value > 0
    if not valid:
        rule = f"one of {', '.join(map(str, allowed))}" if allowed else "a whole number above 0"
        check.error((*path, key), f"{key} must be {rule}, not '{value}'", qid)
        return default
    return int(value)


def text_list(
    check: Checker, value: Any, path: PathKey, name: str, qid: str, low: int, high: int
) -> list[str] | None:
    """A list of ``low``..``high`` distinct non-empty texts."""
    if not isinstance(value, list):
        check.error(path, f"{name} must be a list of {low} to {high} entries", qid)
        return None
    texts = [
        check.text(item, (*path, i), f"{name} entry {i + 1}", qid) for i, item in enumerate(value)
    ]
    if any(text is None for text in texts):
        return None
    result = [t for t in texts if t is not None]
    if not low <= len(result) <= high:
        check.error(path, f"{name} must have {low} to {high} entries, not {len(result)}", qid)
        return None
    duplicates = sorted({t for t in result if result.count(t) > 1})
    if duplicates:
        check.error(path, f"{name} must be distinct; '{duplicates[0]}' appears more than once", qid)
        return None
    return result


def scoring(check: Checker, entry: dict[str, Any], path: PathKey, qid: str) -> str:
    value = entry.get("scoring", ALL_OR_NOTHING)
    if value in (ALL_OR_NOTHING, "all-or-nothing"):
        return ALL_OR_NOTHING
    if value == PARTIAL:
        return PARTIAL
    check.error(
        (*path, "scoring"), f"scoring must be 'partial' or 'all-or-nothing', not '{value}'", qid
    )
    return ALL_OR_NOTHING
