"""Rendered pieces of the question page kept between requests: ``{% call fragment(...) %}``.

A question's prompt, its choices in one order and a source's paragraphs are the same for every
student who sees them in that order, yet rendering them is most of the question page's own
work. A template wraps such a piece in a call block; the piece is rendered once and kept in the
app's state under a key of the page's ``fragment_scope`` (the version's id and content hash:
SQLite may give a deleted version's id to a new one), the question, the piece's own parts, the
interface language and the mount point.

Nothing of one student may be in a kept piece. What differs between students inside a piece
(which choices are checked) is left as a slot, ``slot(n)``: a marker that each page replaces
with ``mark`` for the slots in ``marked`` and with nothing for the others. The student's answer,
the field errors and the CSRF token are rendered around the pieces, never in them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, request
from markupsafe import Markup

from .i18n import page_language
from .state import app_state

#: A slot's marker holds a token drawn at start, so no text of a question can forge one.
_TOKEN = secrets.token_hex(8)
_SLOT = re.compile(f"\x00{_TOKEN}:([^\x00]*)\x00")


def slot(name: object) -> Markup:
    """The marker of a slot filled per page (the place of one choice's ``checked``)."""
    return Markup(f"\x00{_TOKEN}:{name}\x00")  # noqa: S704 - a fixed token and a number


def fragment(
    scope: Any,
    question: Any,
    *parts: Any,
    marked: Iterable[object] = (),
    mark: str = "checked ",
    caller: Callable[..., str],
) -> Markup:
    """The call block's body, rendered once per key and kept; ``mark`` fills its slots named
    in ``marked``. Without a scope (a page other than the question page) it is only rendered."""
    if not scope:
        html = _render(caller)
    else:
        key = (scope, _question_key(question), *parts, page_language(), request.script_root)
        known = app_state().fragments
        found = known.get(key)
        html = found if found is not None else known.put(key, _render(caller))
    if "\x00" not in html:
        return Markup(html)  # noqa: S704 - rendered by an autoescaping template
    chosen = {str(name) for name in marked}
    filled = _SLOT.sub(lambda found: mark if found.group(1) in chosen else "", html)
    return Markup(filled)  # noqa: S704 - rendered by an autoescaping template, fixed marks


def _render(caller: Any) -> str:
    """The call block's body; a block that fills slots takes ``slot`` as its argument."""
    return str(caller(slot) if caller.arguments else caller())


def _question_key(question: Any) -> tuple[Any, ...]:
    """The question's part of the key. A question in a format other than plain text may show
    images, whose URLs name the page's attempt: its pieces are kept per page."""
    if question is None:
        return ()
    if question.text_format == "plain":
        return (question.id,)
    return (question.id, tuple(sorted((request.view_args or {}).items())))


def choices_shown(field: Any) -> tuple[tuple[str, ...], list[int]]:
    """A choice field's values in the order it offers them (the attempt's order), for the key
    of its kept piece, and the positions of those it has selected, for the piece's slots."""
    values, checked = [], []
    for index, choice in enumerate(field.iter_choices()):
        values.append(str(choice.value))
        if choice.selected:
            checked.append(index)
    return tuple(values), checked


def selects_shown(fields: Iterable[Any]) -> tuple[tuple[Any, ...], list[str]]:
    """The selects of a matching or ordering question: each one's name, label and options in
    order, for the key of their kept piece, and ``"field-option"`` for each selected option,
    for the piece's slots."""
    shown, chosen = [], []
    for field_index, field in enumerate(fields):
        values, checked = choices_shown(field)
        shown.append((field.name, str(field.label.text), values))
        chosen.extend(f"{field_index}-{index}" for index in checked)
    return tuple(shown), chosen


def init_app(app: Flask) -> None:
    """Register the call block and its helpers."""
    app.add_template_global(fragment)
    app.add_template_global(choices_shown)
    app.add_template_global(selects_shown)
