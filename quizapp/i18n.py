"""The interface's language: Flask-Babel, the choice of language, and the switch on every page.

The language is, in order: the signed-in user's setting; the choice made on this browser before
signing in (kept in the session); the browser's ``Accept-Language``; English. Question content
keeps its own language (a set's ``language``), marked with ``lang`` where it is shown.
See docs/i18n.md for adding a language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
)
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from .domain import i18n as domain_i18n
from .routing import local_path

#: The languages of the interface, by code, each named in itself (as the switch shows it).
LANGUAGES = {"en": "English", "es": "Español"}
#: Where the compiled catalogues ship, inside the package (so a wheel carries them).
TRANSLATIONS = Path(__file__).parent / "translations"
#: The session key of a language chosen before signing in.
LANGUAGE_KEY = "language"

bp = Blueprint("language", __name__)


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
        return "en"
    chosen = session.get(LANGUAGE_KEY)
    if chosen in offered:
        return str(chosen)
    return request.accept_languages.best_match(offered) or "en"


def page_language() -> str:
    """The interface's language as a BCP 47 tag, for ``<html lang>``: en, es, en-XA."""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale is not None else "en"


def _current_catalogue() -> domain_i18n.Catalogue:
    """The catalogue of the current request; English outside one (a CLI command, a test).

    Found once per request and kept on ``g``: Flask-Babel looks the locale and the catalogue up
    again on every call (tens of microseconds, and a page has a hundred messages).
    """
    if not has_request_context():
        return domain_i18n.NullCatalogue
    catalogue: domain_i18n.Catalogue | None = g.get("_catalogue")
    if catalogue is None:
        catalogue = g._catalogue = get_translations()
    return catalogue


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
    app.add_template_global(page_language)
    app.add_template_global(languages)
