"""The "Jump to a question" buttons of the question page, built in Python.

A long set (the shipped bank has 75 pages) has as many buttons as pages, on every question
page; built in the template they cost more than the rest of the page. Each button is the same
few attributes around its page number, so one format string per state does the work. Nothing
in them comes from a user or a file: the numbers are integers, the rest is fixed text and the
catalogue's labels, escaped once per page, so the result is safe HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from ..domain.i18n import gettext

_CURRENT = (
    '<li><button type="submit" name="nav" value="goto-{n}" class="jump{answered} current" '
    'aria-current="step" aria-label="{label}">{n}{tick}</button></li>'
)
_ANSWERED = (
    '<li><button type="submit" name="nav" value="goto-{n}" class="jump answered" '
    'aria-label="{label}">{n}<span aria-hidden="true">✓</span></button></li>'
)
_NOT_ANSWERED = (
    '<li><button type="submit" name="nav" value="goto-{n}" class="jump" '
    'aria-label="{label}">{n}</button></li>'
)
_TICK = '<span aria-hidden="true">✓</span>'


def _labels() -> dict[tuple[bool, bool], str]:
    """The buttons' spoken labels in the reader's language, by (answered, current), each with a
    ``{n}`` for the page number: translated once per page, not once per button."""
    return {
        (True, False): gettext("Question %(number)s, answered"),
        (False, False): gettext("Question %(number)s, not answered"),
        (True, True): gettext("Question %(number)s, answered, current"),
        (False, True): gettext("Question %(number)s, not answered, current"),
    }


def jump_buttons(
    items: Sequence[Sequence[str]], saved: Mapping[str, object], current: int
) -> Markup:
    """One list item per page: its number, whether it is answered (a tick and words), and which
    page is the current one."""
    labels = {
        state: str(escape(label)).replace("%(number)s", "{n}") for state, label in _labels().items()
    }
    buttons = []
    for n, item in enumerate(items, start=1):
        answered = item[0] in saved
        label = labels[answered, n == current].format(n=n)
        if n == current:
            buttons.append(
                _CURRENT.format(
                    n=n,
                    label=label,
                    answered=" answered" if answered else "",
                    tick=_TICK if answered else "",
                )
            )
        else:
            buttons.append((_ANSWERED if answered else _NOT_ANSWERED).format(n=n, label=label))
    return Markup("".join(buttons))  # noqa: S704 - integers, fixed text, escaped labels
