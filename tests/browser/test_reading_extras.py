"""Issue 12 in Chromium, around the reading types: a Part A/B pair answered by clicking with and
without JavaScript, the article beside the question on a wide screen and under it on a phone,
the results summary's links and the way back from the source, and the quick round."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from quizapp.domain.limits import QUICK_ROUND_ITEMS

from .checks import tab_to
from .conftest import import_playwright
from .scene import BROWSER_SET, location_attempt, numbers_by_type, register
from .test_reading_journey import FRANK_SENTENCE, reading_attempt, saved_answers

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = import_playwright().expect


@pytest.mark.parametrize("scripts", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_pair_is_answered_by_clicking(server, open_page, scripts) -> None:
    account, attempt_id, numbers = reading_attempt(server, f"pair-clicker-{scripts}")
    page = open_page(account, java_script_enabled=scripts)
    page.goto(f"/attempts/{attempt_id}/questions/{numbers['who-objected']}")
    page.get_by_text("Councillor Ben Frank", exact=True).click()
    sentence = page.locator(f"label[for='part_b-answer-{FRANK_SENTENCE}'] .sentence-text")
    sentence.click()
    expect(page.locator(f"#part_b-answer-{FRANK_SENTENCE}")).to_be_checked()
    page.locator("button.primary[type=submit]").click()
    page.wait_for_url(re.compile(r"/questions/\d+$|/review$"))
    assert saved_answers(server, attempt_id) == {
        "who-objected": "Councillor Ben Frank",
        "who-objected-evidence": [str(FRANK_SENTENCE)],
    }


def single_choice_page(server, username: str):
    """A new student's practice on the browser set: the account and its single-choice page."""
    student = register(server, username)
    attempt_id = location_attempt(student.post(f"/quizzes/{BROWSER_SET}/start", page="/"))
    number = numbers_by_type(server, attempt_id, 6)["single_choice"]
    return student.account(username), f"/attempts/{attempt_id}/questions/{number}"


def test_the_article_is_beside_the_question_on_a_wide_screen(server, open_page, screenshots):
    account, url = single_choice_page(server, "wide-reader")
    page: Page = open_page(account)
    page.goto(url)
    panel = page.locator("aside.article-panel")
    article = panel.locator("details.article").first
    expect(article).to_have_attribute("open", "")  # the script opens it where there is room
    form, aside = page.locator("form.question-form").bounding_box(), panel.bounding_box()
    assert form is not None and aside is not None
    assert aside["x"] >= form["x"] + form["width"], "the panel is a column of its own"
    expect(panel).to_contain_text("Written for the browser tests")  # where it came from
    # It stays in view while the question scrolls, and nothing in it is marked.
    assert panel.evaluate("el => getComputedStyle(el).position") == "sticky"
    assert panel.locator("mark").count() == 0
    screenshots.take(page, "article-beside", sizes=("desktop",))


def test_on_a_phone_the_article_is_a_section_under_the_question(server, open_page, screenshots):
    account, url = single_choice_page(server, "phone-reader")
    page: Page = open_page(account, phone=True)
    page.goto(url)
    panel = page.locator("aside.article-panel")
    form, aside = page.locator("form.question-form").bounding_box(), panel.bounding_box()
    assert form is not None and aside is not None
    assert aside["y"] >= form["y"] + form["height"], "under the question"
    article = panel.locator("details.article").first
    expect(article).not_to_have_attribute("open", "")
    expect(page.get_by_role("heading", name="Read the article")).to_be_visible()
    summary = article.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens by keyboard, as any <details> does
    expect(article).to_have_attribute("open", "")
    expect(article.locator(".article-text p").first).to_be_visible()
    screenshots.take(page, "article-under", sizes=("phone",))


def test_without_javascript_the_article_opens_and_closes_by_its_summary(server, open_page):
    account, url = single_choice_page(server, "plain-reader")
    page: Page = open_page(account, java_script_enabled=False)
    page.goto(url)
    article = page.locator("aside.article-panel details.article").first
    expect(article).not_to_have_attribute("open", "")
    article.locator("summary").click()
    expect(article.locator(".article-text p").first).to_be_visible()


def test_the_summary_links_to_a_question_and_the_source_leads_back(scene, open_page) -> None:
    page: Page = open_page(scene.student)
    page.goto(f"/attempts/{scene.reading_results_attempt_id}/results")
    summary = page.locator("section.results-summary")
    expect(summary.get_by_role("heading", name="Summary")).to_be_visible()
    link = summary.get_by_role("link", name=re.compile(r"^Question \d+")).first
    anchor = link.get_attribute("href")
    assert anchor is not None and anchor.startswith("#q-")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    expect(page.locator(anchor)).to_be_in_viewport()
    # The evidence of Part B, shown in the source; then back to that very question.
    page.goto(
        f"/attempts/{scene.reading_results_attempt_id}/sources/report"
        "?question=who-objected-evidence"
    )
    back = page.get_by_role("link", name=re.compile(r"^Back to question \d+ \(Part B\)$"))
    back.click()
    expect(page).to_have_url(re.compile(r"/results#q-\d+-b$"))
    expect(page.locator(page.url[page.url.index("#") :])).to_be_in_viewport()


def test_a_quick_round_of_the_shipped_bank_fits_a_class_period(server, open_page) -> None:
    student = register(server, "quick-reader")
    page: Page = open_page(student.account("quick-reader"), phone=True)
    page.goto("/")
    page.get_by_role("button", name=f"Quick round: {QUICK_ROUND_ITEMS} questions").click()
    expect(page.get_by_text(f"Question 1 of {QUICK_ROUND_ITEMS}", exact=True)).to_be_visible()


def test_an_evidence_question_alone_by_keyboard_only(server, open_page) -> None:
    account, attempt_id, numbers = reading_attempt(server, "keyboard-evidence")
    page = open_page(account)
    page.goto(f"/attempts/{attempt_id}/questions/{numbers['court-evidence']}")
    # Check boxes: Tab goes from sentence to sentence, Space picks the one in focus.
    for sentence in ("2", "3"):
        tab_to(page, f"el.id === 'answer-{sentence}'")
        page.keyboard.press("Space")
        expect(page.locator(f"#answer-{sentence}")).to_be_checked()
    expect(page.locator("#answer-1")).not_to_be_checked()
    tab_to(page, "el.type === 'submit' && el.classList.contains('primary')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert saved_answers(server, attempt_id) == {"court-evidence": ["2", "3"]}
