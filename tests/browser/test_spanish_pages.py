"""Every page of the accessibility list in Spanish: ``<html lang="es">``, no serious axe problem,
and no English left in what the page shows (question content in its set's language aside)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .checks import axe_violations, blocking
from .english_words import english_words, names_people_gave, report
from .in_language import InLanguage, catalogue
from .pages import PAGES, Shown, show

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

#: A Spanish-speaking browser in the United States: it sends ``Accept-Language: es-US``.
SPANISH = {"locale": "es-US"}

FRAGMENT = """<!doctype html><html lang="es"><head><title>Resultados · Civics Quiz</title></head>
<body>
  <h1>Tus resultados</h1>
  <p>Your results are ready.</p>
  <blockquote lang="en">The Eighth Amendment forbids cruel and unusual punishment.</blockquote>
  <p lang="en-US">Sign in <span lang="es">para <b>ver</b> tus notas</span></p>
  <p>Clase: Back to School · <code>answer: true</code></p>
  <p>Escribe 'answer:' o ANSWER: B en who-said-heartbeat.yaml, como pide Deep Linking.</p>
  <p>Zona: <select><option>America/Port of Spain</option></select> `points: 2`</p>
  <p hidden>Save the question</p>
  <button type="submit" name="language" value="en" lang="en">English</button>
  <input type="submit" value="Submit">
  <input placeholder="Your name">
  <img alt="Points of the class" src="data:,">
</body></html>"""


def test_the_english_word_check_finds_english_and_leaves_out_other_languages_and_names(
    browser: Browser,
) -> None:
    page = browser.new_page()
    try:
        page.set_content(FRAGMENT)
        found = english_words(page, {"Back to School"})
        without_names = english_words(page)
    finally:
        page.close()
    assert sorted((word.word, word.where) for word in found) == sorted(
        [
            ("your", "p"),
            ("results", "p"),
            ("are", "p"),
            ("submit", "input@value"),
            ("your", "input@placeholder"),
            ("name", "input@placeholder"),
            ("points", "img@alt"),
            ("of", "img@alt"),
            ("the", "img@alt"),
            ("class", "img@alt"),
        ]
    )
    # The class's name is what its teacher typed: without it the check would call it English.
    assert {(word.word, word.text) for word in without_names} - {
        (word.word, word.text) for word in found
    } == {("back", "Clase: Back to School ·"), ("to", "Clase: Back to School ·")}


@pytest.fixture(scope="module")
def spanish_catalogue():
    """The app's compiled Spanish catalogue, for the English names in the pages' actions."""
    return catalogue("es")


@pytest.mark.parametrize("shown", PAGES, ids=[shown.name for shown in PAGES])
def test_page_in_spanish(shown: Shown, scene, server, open_page, spanish_catalogue) -> None:
    who = None if shown.who == "visitor" else getattr(scene, shown.who)
    page = open_page(who, bypass_csp=True, **SPANISH)
    show(InLanguage(page, spanish_catalogue), shown, scene)

    assert page.evaluate("() => document.documentElement.lang") == "es"
    assert blocking(axe_violations(page)) == []
    left = english_words(page, names_people_gave(server.app))
    assert not left, "English left on the page:\n" + report(left)
