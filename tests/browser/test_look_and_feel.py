"""How pages look: light and dark themes from the system setting, print views on paper, the
favicon, and the long source text set for reading."""

from __future__ import annotations

import pytest

from .conftest import import_playwright
from .scene import BROWSER_SET

pytestmark = pytest.mark.browser
expect = import_playwright().expect

BACKGROUNDS = {"light": "rgb(255, 255, 255)", "dark": "rgb(21, 24, 28)"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_system_setting(scheme, scene, open_page, screenshots) -> None:
    page = open_page(scene.student, color_scheme=scheme)
    page.goto(f"/attempts/{scene.results_attempt_id}/results")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == BACKGROUNDS[scheme]
    screenshots.take(page, f"results-{scheme}")
    page.goto(f"/attempts/{scene.open_attempt_id}/questions/{scene.open_numbers['matching']}")
    screenshots.take(page, f"question-{scheme}")


@pytest.mark.parametrize("view", ["print", "answer-key"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_views_are_laid_out_for_paper(view, scheme, scene, open_page, screenshots) -> None:
    page = open_page(scene.teacher, color_scheme=scheme)
    page.goto(f"/teach/sets/{BROWSER_SET}/versions/1/{view}")
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".no-print", ".skip-link"):
        expect(page.locator(chrome)).to_be_hidden()
    expect(page.locator(".print-questions > li")).to_have_count(6)
    if view == "answer-key":
        expect(page.locator(".print-answer")).to_have_count(6)
    else:
        expect(page.get_by_text("Name: ___")).to_be_visible()
    # Paper is white whatever the screen's theme: dark text, no dark background.
    colours = page.evaluate(
        "() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    screenshots.take(page, f"{view}-{scheme}")
    pdf = screenshots.folder / f"{view}-{scheme}.pdf"
    page.pdf(path=pdf, format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_every_page_links_the_favicon(scene, open_page) -> None:
    page = open_page()
    page.goto("/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href is not None
    icon = page.request.get(href)
    assert icon.ok
    assert icon.headers["content-type"].startswith("image/svg+xml")


def test_the_source_text_is_set_for_reading(scene, open_page) -> None:
    page = open_page(scene.student)
    page.goto(f"/attempts/{scene.results_attempt_id}/sources/report")
    text = page.locator(".source-text p").nth(2)
    style = text.evaluate(
        "(el) => { const s = getComputedStyle(el);"
        " return [parseFloat(s.fontSize), parseFloat(s.lineHeight), el.getBoundingClientRect().width]; }"
    )
    font_size, line_height, width = style
    assert font_size >= 17
    assert line_height >= 1.5 * font_size
    # About 60 to 80 characters a line: no wider than 40 em.
    assert width <= 40 * font_size
