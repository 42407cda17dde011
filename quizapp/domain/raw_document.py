"""A question-set document as plain data with the line of each value, whatever its format.

Kept apart from the YAML reader that makes most of them, so that what only holds or checks a
document (the editor, the validator, the roster upload's decoding) does not load PyYAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .i18n import gettext
from .limits import MAX_FILE_BYTES, describe_bytes

PathKey = tuple[str | int, ...]


def file_too_large() -> str:
    """Why a file over MAX_FILE_BYTES is refused, in every format and on disk."""
    return gettext(
        "the file is larger than %(size)s; split it into smaller sets",
        size=describe_bytes(MAX_FILE_BYTES),
    )


@dataclass
class RawDocument:
    """A parsed document as plain data, with the line where each value starts.

    ``raw_scalars`` keeps the text of scalars that YAML read as something other than a string
    (``Yes`` as a boolean, ``1787`` as a number), so that text fields can use what was typed.
    """

    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    raw_scalars: dict[PathKey, str] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """Line of the value at ``path``, or of its nearest enclosing value."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]
