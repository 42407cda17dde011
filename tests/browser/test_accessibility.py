"""WCAG 2.1 AA on every page: axe-core in light and dark themes, plus the rules axe lacks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers.settings import app_settings
from werkzeug.exceptions import NotFound

from quizapp import create_app

from .checks import axe_violations, blocking, structure_problems, tab_through
from .pages import NOT_PAGES, PAGES, Shown, show

pytestmark = pytest.mark.browser

NARROWEST = {"width": 320, "height": 640}


def test_every_page_of_the_app_is_checked(tmp_path: Path) -> None:
    app = create_app(app_settings(tmp_path / "routes.sqlite3", tmp_path))
    get_routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    checked = {shown.endpoint for shown in PAGES if shown.status < 400}
    assert get_routes - checked - NOT_PAGES.keys() == set(), "add these pages to pages.PAGES"
    assert NOT_PAGES.keys() <= get_routes, "a route left out of the checks no longer exists"


@pytest.mark.parametrize("shown", PAGES, ids=[shown.name for shown in PAGES])
def test_page_has_no_serious_accessibility_problem(
    shown: Shown, scene, server, open_page, screenshots
) -> None:
    who = None if shown.who == "visitor" else getattr(scene, shown.who)
    page = open_page(who, bypass_csp=True)
    response = show(page, shown, scene)
    try:
        endpoint, _ = server.app.url_map.bind("127.0.0.1").match(
            urlsplit(response.url).path, method=response.request.method
        )
    except NotFound:
        endpoint = None
    assert endpoint == shown.endpoint, f"{shown.name} is served by {endpoint}"

    failures = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        if found := blocking(axe_violations(page)):
            failures[scheme] = found
    assert failures == {}
    assert structure_problems(page) == []
    # Reflow (WCAG 1.4.10): 320 CSS pixels wide, nothing needs a sideways scroll.
    page.set_viewport_size(NARROWEST)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROWEST["width"]
    # A picture of every page: at both sizes in the light theme, on a phone in the dark one.
    screenshots.take(page, "dark", sizes=("phone",))
    page.emulate_media(color_scheme="light")
    screenshots.take(page, "light")


def test_the_checks_find_problems_on_a_page_that_has_them(open_page) -> None:
    page = open_page(bypass_csp=True)
    page.set_content(
        "<html><head><title>broken</title></head><body>"
        "<p style='color:#bbb;background:#fff'>Faint text</p>"
        "<input type='radio' name='r'><input type='text' aria-invalid='true'>"
        "<p class='error'>Orphan error</p></body></html>"
    )
    found = {violation["id"] for violation in blocking(axe_violations(page))}
    assert {"color-contrast", "label"} <= found
    problems = structure_problems(page)
    assert "r is a choice outside a fieldset with a legend" in problems
    assert 'the error "Orphan error" is not linked to its field' in problems
    assert "0 h1 elements" in problems
    assert 'the title "broken"' in problems


#: Pages whose every Tab stop is checked for a visible focus indicator.
FOCUS_PAGES = [
    shown
    for shown in PAGES
    if shown.name
    in (
        "register with errors",
        "question: single choice",
        "question: multiple choice",
        "question: matching",
        "results",
        "dashboard",
        "assignment form",
        "story intake shown as paragraphs",
    )
]


@pytest.mark.parametrize("shown", FOCUS_PAGES, ids=[shown.name for shown in FOCUS_PAGES])
def test_the_focus_is_always_visible(shown: Shown, scene, open_page) -> None:
    page = open_page(None if shown.who == "visitor" else getattr(scene, shown.who))
    show(page, shown, scene)
    # Start from the top of the page, wherever the page put the focus.
    page.evaluate("() => { document.body.tabIndex = -1; document.body.focus(); }")
    stops = tab_through(page)
    assert len(stops) > 5
    assert stops[0]["element"].startswith('a "Skip to main content"')
    assert [s for s in stops if s["outline"] == "none" or s["outlineWidth"] < 2] == []
    assert [s for s in stops if s["width"] < 2 or s["height"] < 2] == []


def test_the_progress_bar_has_an_accessible_name_and_value(scene, open_page) -> None:
    page = open_page(scene.student)
    number = scene.open_numbers["true_false"]
    page.goto(f"/attempts/{scene.open_attempt_id}/questions/{number}")
    # What Chromium tells assistive technology, not what the HTML says.
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    bars = [node for node in tree["nodes"] if node.get("role", {}).get("value") == "progressbar"]
    assert len(bars) == 1
    bar = bars[0]
    properties = {p["name"]: p["value"].get("value") for p in bar.get("properties", [])}
    assert bar["name"]["value"] == f"Question {number} of 6"
    assert (bar["value"]["value"], properties["valuemin"], properties["valuemax"]) == (number, 0, 6)
