"""Longer words fit a phone: every page of the accessibility list in the pseudo-locale (every
message 40% longer, see pseudo_locale.py), 375 CSS pixels wide, with no sideways scroll and no
text cut off.

The pseudo-locale needs settings the shared gunicorn server does not have, so a second server
(Werkzeug's, in this process) serves the same database with the same secret key: the scene's
accounts and their sign-in cookies work on both.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from helpers.served import free_loopback_port
from helpers.settings import app_settings
from werkzeug.serving import make_server

from quizapp import create_app
from quizapp.extensions import db
from quizapp.i18n import LANGUAGES, TRANSLATIONS

from .in_language import InLanguage, catalogue
from .pages import PAGES, Shown, show
from .pseudo_locale import (
    PSEUDO_ACCEPT_LANGUAGE,
    PSEUDO_LOCALE,
    PSEUDO_NAME,
    lengthened,
    write_pseudo_catalogue,
)

if TYPE_CHECKING:
    from babel.support import Translations
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: A small phone (an iPhone SE or mini): narrower than the other browser tests' 390.
SMALL_PHONE = {"width": 375, "height": 812}

#: What sticks out or is cut off at this width: the page wider than the window, an element
#: whose text its box hides (overflow hidden or clip, an ellipsis), or text past the right edge
#: outside a box that scrolls sideways (a wide table's wrapper may scroll; the page may not).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const problems = [];
  const wide = document.documentElement.scrollWidth;
  if (wide > width) problems.push(`the page is ${wide} px wide`);
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
    ` "${el.textContent.trim().replace(/\\s+/g, " ").slice(0, 50)}"`;
  const hiddenOnPurpose = (el) => el.closest(".visually-hidden, .skip-link") !== null ||
    [...ancestry(el)].some((a) => getComputedStyle(a).clip !== "auto");
  function* ancestry(el) { for (let a = el; a && a !== document.body; a = a.parentElement) yield a; }
  const scrollsSideways = (el) => [...ancestry(el)].some(
    (a) => ["auto", "scroll"].includes(getComputedStyle(a).overflowX));
  for (const el of document.body.querySelectorAll("*")) {
    if (!el.checkVisibility({checkVisibilityCSS: true}) || !el.textContent.trim()) continue;
    if (hiddenOnPurpose(el)) continue;
    const style = getComputedStyle(el);
    const cuts = (axis) => ["hidden", "clip"].includes(axis);
    if ((cuts(style.overflowX) || style.textOverflow === "ellipsis") &&
        el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} cuts its text off (${el.scrollWidth} > ${el.clientWidth} px)`);
    } else if (cuts(style.overflowY) && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`${describe(el)} cuts its text off below (${el.scrollHeight} > ${el.clientHeight} px)`);
    }
  }
  // Text past the right edge, measured on the text itself (a block's box keeps its width).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility({checkVisibilityCSS: true})) continue;
    if (hiddenOnPurpose(el) || scrollsSideways(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    if (right > width + 1) {
      problems.push(`${describe(el)} goes past the right edge (${Math.round(right)} px)`);
    }
  }
  return problems;
}"""


def test_the_pseudo_locale_lengthens_text_and_keeps_placeholders_tags_and_entities() -> None:
    message = (
        'Read <a href="%(url)s">the help</a> for %(count)s questions &amp; more, 100%%, '
        "at https://canvas.instructure.com."
    )
    pseudo = lengthened(message)
    assert pseudo != message
    for kept in ('<a href="%(url)s">', "</a>", "%(count)s", "&amp;", "%%", "https://canvas.in"):
        assert kept in pseudo
    assert "Réád" in pseudo
    text = message.replace('<a href="%(url)s">', "").replace("</a>", "")
    text = text.replace("%(count)s", "").replace("&amp;", "").replace("%%", "")
    text = text.replace("https://canvas.instructure.com.", "")
    assert len(pseudo) - len(message) >= 0.4 * len(text)
    assert len(lengthened("Save")) >= 0.4 * 4 + 4


@dataclass
class PseudoServer:
    """The app with the pseudo-locale, served on loopback over the browser tests' database."""

    url: str
    app: Flask
    translations: Translations


def pseudo_app(server: Any, translations: Path, instance: Path) -> Flask:
    """The app as the shared server runs it (its database and secret key), with the
    pseudo-locale's catalogue beside its own and the pseudo-locale among its languages."""
    settings = app_settings(server.environment["QUIZAPP_DATABASE_URL"], instance)
    settings.update(
        TESTING=False,
        SECRET_KEY=server.environment["QUIZAPP_SECRET_KEY"],
        BABEL_TRANSLATION_DIRECTORIES=f"{TRANSLATIONS};{translations}",
        LANGUAGES={**LANGUAGES, PSEUDO_LOCALE: PSEUDO_NAME},
    )
    return create_app(settings)


def _read_whole(app: Any) -> Any:
    """The app with each response read into memory and closed before it is sent: Werkzeug's
    server leaves a file response (the favicon) open when the browser drops the connection
    mid-send, and the ResourceWarning then fails the run."""

    def whole(environ: Any, start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return whole


@pytest.fixture(scope="module")
def pseudo_server(server, scene, tmp_path_factory) -> Iterator[PseudoServer]:
    """A second server of the scene's database that speaks the pseudo-locale."""
    folder = tmp_path_factory.mktemp("pseudo-locale")
    translations = write_pseudo_catalogue(folder / "translations")
    app = pseudo_app(server, translations, folder)
    port = free_loopback_port()
    served = make_server("127.0.0.1", port, _read_whole(app), threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    try:
        yield PseudoServer(f"http://127.0.0.1:{port}", app, catalogue(PSEUDO_LOCALE, translations))
    finally:
        served.shutdown()
        served.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


def open_small_phone(browser: Browser, pseudo: PseudoServer, who: Any) -> Page:
    """A page at 375 px asking for the pseudo-locale, signed in as ``who`` (or a visitor)."""
    context = browser.new_context(
        base_url=pseudo.url,
        viewport=SMALL_PHONE,
        extra_http_headers={"Accept-Language": PSEUDO_ACCEPT_LANGUAGE},
    )
    context.set_default_timeout(15_000)
    if who is not None:
        context.add_cookies([{**cookie, "url": pseudo.url} for cookie in who.cookies])
    return context.new_page()


@pytest.mark.parametrize("shown", PAGES, ids=[shown.name for shown in PAGES])
def test_page_in_the_pseudo_locale_fits_a_small_phone(
    shown: Shown, scene, browser, pseudo_server, screenshots
) -> None:
    who = None if shown.who == "visitor" else getattr(scene, shown.who)
    page = open_small_phone(browser, pseudo_server, who)
    try:
        show(InLanguage(page, pseudo_server.translations), shown, scene)
        # The page is in the pseudo-locale: its lang, and the layout's text lengthened.
        assert page.evaluate("() => document.documentElement.lang") == "en-001"
        skip = page.locator(".skip-link").text_content() or ""
        assert skip.strip() == lengthened("Skip to main content")
        problems = page.evaluate(OVERFLOW)
        if problems:
            screenshots.folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=screenshots.folder / "overflow.png", full_page=True)
        assert not problems, f"{shown.name} at 375 px:\n" + "\n".join(problems)
    finally:
        page.context.close()


def test_the_overflow_check_finds_a_page_too_wide_and_text_cut_off(browser: Browser) -> None:
    page = browser.new_page(viewport=SMALL_PHONE)
    try:
        page.set_content(
            "<html lang='en'><body style='margin:0'>"
            "<p id='long'>Verfassungsbeschwerdeverfahrensordnungsänderungsgesetzentwurf</p>"
            "<button id='cut' style='width:60px;overflow:hidden;white-space:nowrap'>"
            "Guardar y pasar a la siguiente</button>"
            "<div style='overflow-x:auto'><table><tr><td>Una tabla ancha que se desplaza de lado"
            "</td><td style='white-space:nowrap'>sin cortar ninguna palabra de su texto</td>"
            "</tr></table></div>"
            "<span class='visually-hidden' style='position:absolute;width:1px;overflow:hidden;"
            "clip:rect(0 0 0 0);white-space:nowrap'>Texto solo para lectores de pantalla</span>"
            "</body></html>"
        )
        problems = page.evaluate(OVERFLOW)
    finally:
        page.close()
    assert problems[0].startswith("the page is ")
    assert any(p.startswith("p#long") and "past the right edge" in p for p in problems)
    assert any(
        p.startswith('button#cut "Guardar y pasar') and "cuts its text off" in p for p in problems
    )
    assert not any("tabla" in p or "sin cortar" in p or "lectores" in p for p in problems)
