"""The reading types in Chromium: a Part A/B pair and an evidence question answered by keyboard
only, by clicking the sentences, and without JavaScript; a written response's live word count."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Response

from .checks import tab_to
from .conftest import import_playwright
from .scene import READING_PAGES, READING_SET, location_attempt, page_numbers, register

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = import_playwright().expect

#: The sentence of the report that backs Part A (16th of the whole report).
FRANK_SENTENCE = 16


def reading_attempt(server, username: str):
    """A new student's free practice on the reading set: the account, attempt and page numbers."""
    student = register(server, username)
    attempt_id = location_attempt(student.post(f"/quizzes/{READING_SET}/start", page="/"))
    return student.account(username), attempt_id, page_numbers(server, attempt_id, READING_PAGES)


def saved_answers(server, attempt_id: int) -> dict[str, object]:
    with server.app.app_context():
        rows = db.session.execute(
            sa.select(Response.question_id, Response.answer).where(
                Response.attempt_id == attempt_id
            )
        )
        return dict(rows.all())


def test_a_pair_and_an_evidence_question_by_keyboard_only(server, open_page) -> None:
    account, attempt_id, numbers = reading_attempt(server, "keyboard-reader")
    page = open_page(account)
    page.goto(f"/attempts/{attempt_id}/questions/{numbers['who-objected']}")
    choices = page.locator("input[name=answer]")
    target = [choices.nth(i).get_attribute("value") for i in range(3)].index("Councillor Ben Frank")
    tab_to(page, "el.name === 'answer'")
    page.keyboard.press("Space")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Councillor Ben Frank", exact=True)).to_be_checked()
    # Tab leaves Part A's radio group for Part B's sentences: the first one, then arrows.
    tab_to(page, "el.name === 'part_b-answer'")
    page.keyboard.press("Space")
    for _ in range(FRANK_SENTENCE - 1):
        page.keyboard.press("ArrowDown")
    picked = page.locator(f"#part_b-answer-{FRANK_SENTENCE}")
    expect(picked).to_be_checked()
    expect(picked).to_be_focused()
    tab_to(page, "el.type === 'submit' && el.classList.contains('primary')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert saved_answers(server, attempt_id) == {
        "who-objected": "Councillor Ben Frank",
        "who-objected-evidence": [str(FRANK_SENTENCE)],
    }


@pytest.mark.parametrize("scripts", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_sentences_are_picked_by_clicking_them_in_the_text(server, open_page, scripts) -> None:
    account, attempt_id, numbers = reading_attempt(server, f"clicker-{scripts}")
    page = open_page(account, java_script_enabled=scripts)
    page.goto(f"/attempts/{attempt_id}/questions/{numbers['court-evidence']}")
    group = page.get_by_role("group", name=re.compile("Which two sentences"))
    expect(group).to_be_visible()
    # The sentences stay in their paragraph; each is a check box named by its own text.
    sentence = page.locator(".passage p .sentence", has_text="Some courts upheld curfews")
    sentence.locator(".sentence-text").click()
    box = page.get_by_role("checkbox", name=re.compile("^Some courts upheld curfews"))
    expect(box).to_be_checked()
    # Picked is shown by an outline and bold text as well as by the tick.
    style = sentence.evaluate(
        "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).fontWeight]"
    )
    assert style == ["solid", "600"]
    page.get_by_text("because a court would ask for both", exact=False).click()
    page.locator("button.primary[type=submit]").click()
    assert saved_answers(server, attempt_id) == {"court-evidence": ["2", "3"]}


def test_the_word_count_follows_the_typing_and_the_server_counts_too(server, open_page) -> None:
    account, attempt_id, numbers = reading_attempt(server, "writer")
    url = f"/attempts/{attempt_id}/questions/{numbers['explain-debate']}"
    page = open_page(account)
    page.goto(url)
    page.get_by_role("textbox").fill("A curfew could stop a protest.")
    expect(page.locator("#answer-count")).to_have_text("6 of 120 words — at least 10 needed")
    # Typing is saved a moment later: let that save land before the second page saves.
    expect(page.locator("#save-status")).to_have_text("Saved")
    without_scripts = open_page(account, java_script_enabled=False)
    without_scripts.goto(url)
    without_scripts.get_by_role("textbox").fill(
        "A curfew could stop a peaceful protest, they said."
    )
    without_scripts.locator("button.primary[type=submit]").click()
    without_scripts.goto(url)
    expect(without_scripts.locator("#answer-count")).to_have_text("9 of 120 words")


def test_the_results_mark_the_sentences_in_words_and_wait_for_the_teacher(
    scene, open_page, screenshots
) -> None:
    page: Page = open_page(scene.student)
    page.goto(f"/attempts/{scene.reading_results_attempt_id}/results")
    expect(page.get_by_text("This score is provisional")).to_be_visible()
    expect(page.get_by_text("Waiting for your teacher to score this answer.")).to_be_visible()
    expect(page.locator(".sentence-mark.picked.right").first).to_contain_text(
        "You picked this, and it is right:"
    )
    expect(page.locator(".sentence-mark.right:not(.picked)").first).to_contain_text(
        "A right sentence:"
    )
    screenshots.take(page, "reading-results")
