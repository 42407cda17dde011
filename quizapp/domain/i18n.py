"""Messages in the reader's language: the gettext that every layer of the app calls.

The domain and the services write their messages (a file's problems, a refusal, a grading note)
without knowing who reads them. The web layer installs, once per app, a provider that returns
the catalogue of the current request's language (quizapp/i18n.py), or in a command the
terminal's; in plain-Python use (the tests of the domain, the benchmarks), messages stay in
English.

Messages use named placeholders, ``gettext("Line %(line)s: …", line=n)``, never f-strings: the
catalogue holds the sentence with its placeholders, and a translation may move them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast

from babel.support import LazyProxy, NullTranslations


class Catalogue(Protocol):
    """What a provider returns: a gettext catalogue (Babel's or the standard library's)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


#: The catalogue of no translation: every message as written, in English.
NullCatalogue: Catalogue = NullTranslations()


def _english() -> Catalogue:
    return NullCatalogue


_provider: Callable[[], Catalogue] = _english


def use_translations(provider: Callable[[], Catalogue]) -> None:
    """Install how to find the current catalogue (the web layer calls this once)."""
    global _provider
    _provider = provider


def gettext(message: str, /, **params: Any) -> str:
    """``message`` in the reader's language, its ``%(name)s`` placeholders filled."""
    text = _provider().gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, /, **params: Any) -> str:
    """The singular or a plural form for ``n``, as the language counts; ``%(num)s`` is ``n``."""
    params.setdefault("num", n)
    return _provider().ngettext(singular, plural, n) % params


def ngettext_unfilled(singular: str, plural: str, n: int, /) -> str:
    """The singular or a plural form for ``n`` in the reader's language, its placeholders left
    for the caller to fill: with markup, say, where a placeholder stands for a marked span."""
    return _provider().ngettext(singular, plural, n)


def lazy_gettext(message: str, /, **params: Any) -> str:
    """``gettext`` when the text is shown, not when the line runs: for form labels and other
    texts made at import time, before any request has a language."""
    # Typed as the str it becomes: a LazyProxy formats, joins and compares as its text.
    return cast(str, LazyProxy(gettext, message, enable_cache=False, **params))


def lazy_ngettext(singular: str, plural: str, n: int, /, **params: Any) -> str:
    """``ngettext`` when the text is shown (see ``lazy_gettext``)."""
    return cast(str, LazyProxy(ngettext, singular, plural, n, enable_cache=False, **params))
