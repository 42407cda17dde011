"""An upload's warnings as a teacher reads them: one line per kind, not one per question.

A bank of 300 questions without evidence quotes would otherwise list 300 lines that say the
same thing; the one line that counts them says it better, and the warnings of another kind
stay visible next to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import ValidationIssue
from .i18n import gettext, ngettext

#: How many lines or names a summary lists before it counts the rest.
LISTED = 5
#: Names and numbers in quotes: what differs between warnings of one kind.
_QUOTED = re.compile(r"'[^']*'")


def no_evidence(question_id: str) -> str:
    """The warning for a question without an evidence quote."""
    return gettext(
        "question '%(id)s' has no evidence quote; students will see no source for it",
        id=question_id,
    )


def missing_image(question_id: str, image: str) -> str:
    """The warning for an image a question shows whose file is not in the upload."""
    return gettext(
        "question '%(id)s' shows the image '%(image)s', which is not in the upload; the image is "
        "left out",
        id=question_id,
        image=image,
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
    count = f"{len(group):,}"
    # The kinds are told apart in the reader's language: the messages were made in it.
    if kind == no_evidence("…"):
        text = gettext(
            "%(count)s questions have no evidence quote; students will see no source for them",
            count=count,
        )
    elif kind == missing_image("…", "…"):
        names = sorted({_quoted(w.message)[1] for w in group})
        text = gettext(
            "%(count)s images are not in the upload and are left out of their questions: %(names)s",
            count=count,
            names=_listed(names),
        )
    else:
        more = len(group) - 1
        text = ngettext(
            "%(message)s (and %(count)s more like it)",
            "%(message)s (and %(count)s more like it)",
            more,
            message=group[0].message,
            count=format(more, ","),
        )
    lines = [w.line for w in group if w.line is not None]
    if lines:
        text += " " + gettext("(lines %(lines)s)", lines=_listed([str(line) for line in lines]))
    return f"{filename}: {text}"


def _quoted(message: str) -> list[str]:
    return [found.strip("'") for found in _QUOTED.findall(message)] + ["", ""]


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    if len(items) <= LISTED:
        return shown
    return gettext(
        "%(shown)s and %(count)s more", shown=shown, count=format(len(items) - LISTED, ",")
    )
