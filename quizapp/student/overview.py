"""The "Jump to a question" buttons of the question page, built in Python.

A long set (the shipped bank has 75 pages) has as many buttons as pages, on every question
page; built in the template they cost more than the rest of the page. Each button is the same
few attributes around its page number, so one format string per state does the work. Nothing
in them comes from a user or a file: the numbers are integers, the rest is fixed text, so the
result is safe HTML without escaping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup

_CURRENT = (
    '<li><button type="submit" name="nav" value="goto-{n}" class="jump{answered} current" '
    'aria-current="step" aria-label="Question {n}, {state}, current">{n}{tick}</button></li>'
)
_ANSWERED = (
    '<li><button type="submit" name="nav" value="goto-{n}" class="jump answered" '
    'aria-label="Question {n}, answered">{n}<span aria-hidden="true">✓</span></button></li>'
)
_NOT_ANSWERED = (
    '<li><button type="submit" name="nav" value="goto-{n}" class="jump" '
    'aria-label="Question {n}, not answered">{n}</button></li>'
)
_TICK = '<span aria-hidden="true">✓</span>'


def jump_buttons(
    items: Sequence[Sequence[str]], saved: Mapping[str, object], current: int
) -> Markup:
    """One list item per page: its number, whether it is answered (a tick and words), and which
    page is the current one."""
    buttons = []
    for n, item in enumerate(items, start=1):
        answered = item[0] in saved
        if n == current:
            buttons.append(
                _CURRENT.format(
                    n=n,
                    answered=" answered" if answered else "",
                    state="answered" if answered else "not answered",
                    tick=_TICK if answered else "",
                )
            )
        else:
            buttons.append((_ANSWERED if answered else _NOT_ANSWERED).format(n=n))
    return Markup("".join(buttons))  # noqa: S704 - integers and fixed text only (see above)
