"""The interface's language: Flask-Babel, the choice of language, and the switch on every page.

The language is, in order: the signed-in user's setting; the choice made on this browser before
signing in (kept in the session); the browser's ``Accept-Language``; English. Question content
keeps its own language (a set's ``language``), marked with ``lang`` where it is shown.
See docs/i18n.md for adding a language.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import Translations
from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
)
from flask_babel import Babel, force_locale, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from .domain import i18n as domain_i18n
from .domain.i18n import lazy_gettext
from .routing import local_path

#: The languages of the interface, by code, each named in itself (as the switch shows it).
LANGUAGES = {"en": "English", "es": "Español"}
#: Where the compiled catalogues ship, inside the package (so a wheel carries them).
TRANSLATIONS = Path(__file__).parent / "translations"
#: The session key of a language chosen before signing in.
LANGUAGE_KEY = "language"
#: Where a command line names its language, in the order gettext reads them.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

bp = Blueprint("language", __name__)

#: What the scripts in static/js say, by key, translated like the pages (static/js/messages.js
#: reads them from the page; ``%(name)s`` placeholders are filled in the browser).
SCRIPT_MESSAGES = {
    "saved": lazy_gettext("Saved"),
    "not_saved": lazy_gettext("Not saved: %(reason)s"),
    "continue": lazy_gettext("Continue"),
    "autosave_hint": lazy_gettext("Your answer is saved as you change it."),
    "answer_offline": lazy_gettext(
        "Not saved yet: the server could not be reached. Your answer is kept in this browser; "
        "press a button below to save it."
    ),
    "one_minute_left": lazy_gettext("One minute left."),
    "minutes_left": lazy_gettext("%(count)s minutes left."),
    "time_up": lazy_gettext("Time is up. Save now; the quiz is being submitted."),
    "words": lazy_gettext("%(count)s of %(max)s words"),
    "words_over": lazy_gettext("%(count)s of %(max)s words — %(over)s too many"),
    "words_under": lazy_gettext("%(count)s of %(max)s words — at least %(min)s needed"),
    "select_first": lazy_gettext("First select words in the text above."),
    "evidence_added": lazy_gettext("Added as evidence: “%(quote)s”"),
    "editor_hint": lazy_gettext("The question is saved as you type, a moment after each change."),
    "editor_offline": lazy_gettext(
        "Not saved yet: the server could not be reached. What you typed is kept in this "
        "browser; press Save question to try again."
    ),
    "intake_restored": lazy_gettext("The text you had not sent yet is back from this browser."),
    "file_too_large": lazy_gettext(
        "“%(name)s” is larger than %(size)s: save just the article, or paste its text."
    ),
}
#: SCRIPT_MESSAGES as the JSON a page carries, made once per language.
_script_json: dict[str, Markup] = {}


def languages() -> dict[str, str]:
    """The app's languages (the LANGUAGES setting, which tests extend with a pseudo-locale)."""
    chosen: dict[str, str] = current_app.config.get("LANGUAGES") or LANGUAGES
    return chosen


def select_locale() -> str:
    """The language of this request (see the module's docstring for the order)."""
    offered = languages()
    user = current_user._get_current_object() if has_request_context() else None
    setting = getattr(user, "language", None) if user is not None else None
    if setting in offered:
        return str(setting)
    if not has_request_context():
        return environment_language(offered)  # a command: see command_catalogue
    chosen = session.get(LANGUAGE_KEY)
    if chosen in offered:
        return str(chosen)
    g.language_from_browser = True  # the response must say it varies with Accept-Language
    return request.accept_languages.best_match(offered) or "en"


def _vary_with_the_browsers_language(response: Response) -> Response:
    """A page whose language came from Accept-Language says so, so that no cache between the
    app and the browser gives the Spanish page to someone who asked for English."""
    if g.get("language_from_browser"):
        response.vary.add("Accept-Language")
    return response


def environment_language(offered: dict[str, str] | list[str]) -> str:
    """The language of a command (flask create-teacher ...), from the environment as gettext
    reads it: the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set ("es_US.UTF-8",
    or a list "es:en" in LANGUAGE), its first language that is offered; else English."""
    for variable in LANGUAGE_VARIABLES:
        value = os.environ.get(variable)
        if value:
            break
    else:
        return "en"
    for name in value.split(":"):
        tag = name.split(".", 1)[0].split("@", 1)[0]  # es_US.UTF-8@euro -> es_US
        if tag in ("C", "POSIX"):
            return "en"  # the C locale: no translation, as gettext does
        for candidate in (tag, tag.split("_", 1)[0]):
            if candidate in offered:
                return candidate
    return "en"


def page_language() -> str:
    """The interface's language as a BCP 47 tag, for ``<html lang>``: en, es, en-XA."""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale is not None else "en"


def script_messages() -> Markup:
    """The scripts' messages in the page's language, as JSON escaped for an HTML attribute
    (an attribute rather than a <script> data block: pages carry no inline script at all)."""
    language = page_language()
    found = _script_json.get(language)
    if found is None:
        texts = {key: str(text) for key, text in SCRIPT_MESSAGES.items()}
        found = _script_json[language] = escape(json.dumps(texts, ensure_ascii=False))
    return found


def content_lang(tag: object, always: bool = False) -> Markup:
    """` lang="…"` for content in a language of its own (a set's ``language``) where it differs
    from the page's, so a screen reader reads it in its own language; nothing when it is the
    page's (an English set on an English page needs no mark) or unknown. ``always``: even when
    it is the page's (the interface's words inside content in another language)."""
    if not tag or (not always and tag == page_language()):
        return Markup("")
    return Markup(' lang="%s"') % tag


def _current_catalogue() -> domain_i18n.Catalogue:
    """The catalogue of the current request, or of a command's environment; English outside the
    app (the domain's own tests, the benchmarks).

    Found once per request and kept on ``g``: Flask-Babel looks the locale and the catalogue up
    again on every call (tens of microseconds, and a page has a hundred messages).
    """
    if not has_request_context():
        if not has_app_context():
            return domain_i18n.NullCatalogue
        # A command. Not kept on ``g``, nor chosen through Flask-Babel (which keeps its choice
        # there): a request made later inside this app context (a test client's) shares ``g``.
        return command_catalogue(environment_language(languages()))
    catalogue: domain_i18n.Catalogue | None = g.get("_catalogue")
    if catalogue is None:
        catalogue = g._catalogue = get_translations()
    return catalogue


@contextmanager
def forced_language(language: str) -> Iterator[None]:
    """Messages in ``language`` inside the block, whatever the request's (Flask-Babel's
    force_locale, with the request's kept catalogue set aside and put back after)."""
    kept = g.pop("_catalogue", None)
    try:
        with force_locale(language):
            yield
    finally:
        g.pop("_catalogue", None)  # the forced language's, found inside the block
        if kept is not None:
            g._catalogue = kept


def _page_gettext(message: str, /, **variables: Any) -> Markup:
    """``_()`` and ``{% trans %}`` in templates: the message in the page's language, as safe
    HTML with its variables escaped (what Jinja's newstyle gettext does under autoescaping, which
    every template has: they are all .html). One call per message, where Jinja's own wrappers
    take three and Flask-Babel's look the catalogue up again."""
    # Safe: the message is ours (the catalogue ships with the code); variables are escaped.
    text = Markup(_current_catalogue().gettext(message))  # noqa: S704
    return text % variables if variables or "%" in text else text


def _page_ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> Markup:
    """``{% trans count=n %}…{% pluralize %}…{% endtrans %}``: the form for ``num``."""
    variables.setdefault("num", num)
    return Markup(_current_catalogue().ngettext(singular, plural, num)) % variables  # noqa: S704


def _page_pgettext(context: str, message: str, /, **variables: Any) -> Markup:
    """``pgettext`` in templates: a message told apart by its context."""
    catalogue: Any = _current_catalogue()
    return Markup(catalogue.pgettext(context, message)) % variables  # noqa: S704


@cache
def command_catalogue(language: str) -> domain_i18n.Catalogue:
    """The compiled catalogue of ``language``, for messages outside a request."""
    if language == "en":
        return domain_i18n.NullCatalogue
    return Translations.load(str(TRANSLATIONS), [language])


@bp.post("/language")
def choose() -> Response:
    """Switch the interface's language (a form on every page), then go back to the page."""
    from .services import accounts

    code = request.form.get("language", "")
    back = local_path(request.form.get("next", ""), "/")
    if code not in languages():
        return redirect(back)
    session[LANGUAGE_KEY] = code
    if current_user.is_authenticated:
        accounts.set_language(current_user, code)
    return redirect(back, code=303)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with this app's catalogues and language choice, and the switch."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale)
    # Flask-Babel installs Jinja's i18n extension; its callables are replaced by ones that find
    # the catalogue once per request (see _page_gettext). Newstyle: {% trans %} passes its
    # variables to the call, which formats and escapes them.
    app.jinja_env.newstyle_gettext = True  # type: ignore[attr-defined]
    app.jinja_env.globals.update(
        _=_page_gettext, gettext=_page_gettext, ngettext=_page_ngettext, pgettext=_page_pgettext
    )
    domain_i18n.use_translations(_current_catalogue)
    app.register_blueprint(bp)
    app.after_request(_vary_with_the_browsers_language)
    app.add_template_global(page_language)
    app.add_template_global(languages)
    app.add_template_global(script_messages)
    # One helper under the two names the templates use: a filter and a function.
    app.add_template_filter(content_lang, "lang_attr")
    app.add_template_global(content_lang, "lang_of")
