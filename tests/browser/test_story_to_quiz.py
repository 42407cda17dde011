"""From a news story to a quiz in Chromium: a teacher pastes an article of the corpus, reviews
the drafts (accepts five, edits one, discards the rest), adds a select_evidence question by
selecting words of the article, publishes and assigns; a student takes the quiz and sees the
evidence. The same flow with the mouse, by keyboard only, and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .checks import tab_to
from .conftest import import_playwright
from .scene import teacher

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = import_playwright().expect

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "articles" / "doj-interim-us-attorneys.txt"
TITLE = "Interim U.S. attorneys appointed"
ACCEPTED = 5

HOWS = ["mouse", "keyboard", "no-js"]


def press_key_on(page: Page, condition: str, key: str = "Enter") -> None:
    """Tab to the element and press ``key`` on it, waiting for the page it leads to."""
    tab_to(page, condition, limit=120)
    with page.expect_navigation():
        page.keyboard.press(key)


def bring_in_the_story(page: Page, how: str) -> None:
    """Paste the article, give its citation, and make the draft questions."""
    page.goto("/teach/")
    if how == "keyboard":
        press_key_on(page, "el.textContent.trim() === 'Make a quiz from a news story'")
        tab_to(page, "el.name === 'text'")
        page.keyboard.insert_text(ARTICLE.read_text(encoding="utf-8"))  # what a paste does
        tab_to(page, "el.name === 'title'")
        page.keyboard.insert_text(TITLE)
        page.keyboard.press("Tab")
        page.keyboard.insert_text("U.S. Department of Justice")
        press_key_on(page, "el.value === 'draft'")
    else:
        page.get_by_role("link", name="Make a quiz from a news story").click()

        page.get_by_label("Article text").fill(ARTICLE.read_text(encoding="utf-8"))
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Publisher").fill("U.S. Department of Justice")
        page.get_by_role("button", name="Make draft questions").click()
    expect(page.get_by_role("heading", name=f"Review the drafts: {TITLE}")).to_be_visible()


def review_the_drafts(page: Page, how: str) -> int:
    """Accept five drafts (the last one to edit), discard the rest; the draft set's id."""
    draft_id = int(re.search(r"/drafts/(\d+)/review", page.url).group(1))
    pending = page.locator(".review-list > li").count()
    assert pending > ACCEPTED
    expect(page.locator(".review-list .evidence mark").first).to_be_visible()
    for number in range(1, pending + 1):
        button = (
            "Accept and edit"
            if number == ACCEPTED
            else "Accept"
            if number < ACCEPTED
            else "Discard"
        )
        name = f"{button} draft {number}"
        if how == "keyboard":
            press_key_on(page, f"el.textContent.trim() === {name!r}")
        else:
            page.get_by_role("button", name=name, exact=True).click()
        if button == "Accept and edit":
            return draft_id
    raise AssertionError("no draft to edit")


@pytest.mark.parametrize("how", HOWS)
def test_a_story_becomes_a_quiz(server, open_page, screenshots, how) -> None:
    account = teacher(server, f"story-{how}", "Ms Story").account(f"story-{how}")
    page = open_page(account, java_script_enabled=how != "no-js")
    bring_in_the_story(page, how)
    screenshots.take(page, f"review-{how}")
    review_the_drafts(page, how)
