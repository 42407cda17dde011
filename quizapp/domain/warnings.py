"""An upload's warnings as a teacher reads them: one line per kind, not one per question.

A bank of 300 questions without evidence quotes would otherwise list 300 lines that say the
same thing; the one line that counts them says it better, and the warnings of another kind
stay visible next to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import ValidationIssue

#: How many lines or names a summary lists before it counts the rest.
LISTED = 5
#: Names and numbers in quotes: what differs between warnings of one kind.
_QUOTED = re.compile(r"'[^']*'")
_NO_EVIDENCE = "question '…' has no evidence quote; students will see no source for it"
_MISSING_IMAGE = (
    "question '…' shows the image '…', which is not in the upload; the image is left out"
)


def summarize_warnings(warnings: Sequence[ValidationIssue]) -> list[str]:
    """One line per kind of warning, in the order each kind first appears: a kind met once
    keeps its own line; a kind met more often is counted, with its first lines."""
    kinds: dict[str, list[ValidationIssue]] = {}
    for warning in warnings:
        kinds.setdefault(_QUOTED.sub("'…'", warning.message), []).append(warning)
    return [
        str(group[0]) if len(group) == 1 else _summary(kind, group) for kind, group in kinds.items()
    ]


def _summary(kind: str, group: list[ValidationIssue]) -> str:
    filename = group[0].filename
    if kind == _NO_EVIDENCE:
        text = (
            f"{len(group):,} questions have no evidence quote; students will see no source for them"
        )
    elif kind == _MISSING_IMAGE:
        names = sorted({_quoted(w.message)[1] for w in group})
        text = (
            f"{len(group):,} images are not in the upload and are left out of their questions: "
            f"{_listed(names)}"
        )
    else:
        text = f"{group[0].message} (and {len(group) - 1:,} more like it)"
    lines = [w.line for w in group if w.line is not None]
    if lines:
        text += f" (lines {_listed([str(line) for line in lines])})"
    return f"{filename}: {text}"


def _quoted(message: str) -> list[str]:
    return [found.strip("'") for found in _QUOTED.findall(message)] + ["", ""]


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown if len(items) <= LISTED else f"{shown} and {len(items) - LISTED:,} more"
