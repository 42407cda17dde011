"""Reading the fields of a raw question-set document and collecting every problem found.

The validator and each question type's module check their fields with one ``Checker``, so a
file's problems are all reported at once, each with its line and question id.
"""

from __future__ import annotations

from typing import Any

from .errors import ValidationIssue
from .i18n import gettext
from .model import ALL_OR_NOTHING, PARTIAL
from .raw_document import PathKey, RawDocument

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
            self.error(path, gettext("%(name)s must be text", name=name), qid)
            return None
        if not text:
            self.error(path, gettext("%(name)s must not be empty", name=name), qid)
            return None
        # Only titles have a length of their own; other texts are bounded by the file's size.
        if max_chars is not None and len(text) > max_chars:
            self.error(
                path,
                gettext(
                    "%(name)s is longer than %(max)s characters; shorten it",
                    name=name,
                    max=max_chars,
                ),
                qid,
            )
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
                self.error((*path, key), _unknown_key(what, key, sorted(allowed)), qid)
        return extras


def _unknown_key(what: str, key: str, allowed: list[str]) -> str:
    """The message for a key the format does not know, by what holds it (a whole sentence each:
    the word for "question" or "source" takes its place differently in other languages)."""
    allowed_keys = ", ".join(allowed)
    if what == "top-level":
        return gettext(
            "unknown top-level key '%(key)s'; allowed keys: %(allowed)s",
            key=key,
            allowed=allowed_keys,
        )
    if what == "source":
        return gettext(
            "unknown source key '%(key)s'; allowed keys: %(allowed)s", key=key, allowed=allowed_keys
        )
    if what == "question":
        return gettext(
            "unknown question key '%(key)s'; allowed keys: %(allowed)s",
            key=key,
            allowed=allowed_keys,
        )
    if what == "evidence":
        return gettext(
            "unknown evidence key '%(key)s'; allowed keys: %(allowed)s",
            key=key,
            allowed=allowed_keys,
        )
    return gettext(
        "unknown %(what)s key '%(key)s'; allowed keys: %(allowed)s",
        what=what,
        key=key,
        allowed=allowed_keys,
    )


def required_text(
    check: Checker,
    mapping: dict[str, Any],
    key: str,
    path: PathKey,
    qid: str | None,
    max_chars: int | None = None,
) -> str | None:
    if key not in mapping or mapping[key] is None:
        check.error(path, gettext("add the required key '%(key)s'", key=key), qid)
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
        if allowed:
            message = gettext(
                "%(key)s must be one of %(allowed)s, not '%(value)s'",
                key=key,
                allowed=", ".join(map(str, allowed)),
                value=value,
            )
        else:
            message = gettext(
                "%(key)s must be a whole number above 0, not '%(value)s'", key=key, value=value
            )
        check.error((*path, key), message, qid)
        return default
    return int(value)


def text_list(
    check: Checker, value: Any, path: PathKey, name: str, qid: str, low: int, high: int
) -> list[str] | None:
    """A list of ``low``..``high`` distinct non-empty texts."""
    if not isinstance(value, list):
        check.error(
            path,
            gettext(
                "%(name)s must be a list of %(low)s to %(high)s entries",
                name=name,
                low=low,
                high=high,
            ),
            qid,
        )
        return None
    texts = [
        check.text(
            item, (*path, i), gettext("%(name)s entry %(number)s", name=name, number=i + 1), qid
        )
        for i, item in enumerate(value)
    ]
    if any(text is None for text in texts):
        return None
    result = [t for t in texts if t is not None]
    if not low <= len(result) <= high:
        check.error(
            path,
            gettext(
                "%(name)s must have %(low)s to %(high)s entries, not %(count)s",
                name=name,
                low=low,
                high=high,
                count=len(result),
            ),
            qid,
        )
        return None
    duplicates = sorted({t for t in result if result.count(t) > 1})
    if duplicates:
        check.error(
            path,
            gettext(
                "%(name)s must be distinct; '%(text)s' appears more than once",
                name=name,
                text=duplicates[0],
            ),
            qid,
        )
        return None
    return result


def scoring(check: Checker, entry: dict[str, Any], path: PathKey, qid: str) -> str:
    value = entry.get("scoring", ALL_OR_NOTHING)
    if value in (ALL_OR_NOTHING, "all-or-nothing"):
        return ALL_OR_NOTHING
    if value == PARTIAL:
        return PARTIAL
    check.error(
        (*path, "scoring"),
        gettext("scoring must be 'partial' or 'all-or-nothing', not '%(value)s'", value=value),
        qid,
    )
    return ALL_OR_NOTHING
