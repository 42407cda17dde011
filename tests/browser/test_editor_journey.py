"""The browser editor in Chromium: a set written by keyboard only, evidence chosen by selecting
words in the article (saved in the background) and by ticking sentences without JavaScript,
then published, assigned, and taken by a student who sees the evidence."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from helpers.editor import ARTICLE

from quizapp.extensions import db
from quizapp.models import DraftSet, User

from .checks import tab_to
from .conftest import import_playwright
from .scene import create_class, join_code, register, start_assignment, teacher

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = import_playwright().expect

SENTENCE = "“We will vote against the bill,” Senator Ana Ortiz said."
#: Words selected inside a sentence: a quote that is no whole sentence.
SELECTED = "Critics said the plan was rushed"


def drafts_of(server, username: str) -> list[dict]:
    with server.app.app_context():
        return list(
            db.session.scalars(
                sa.select(DraftSet.document)
                .join(User, User.id == DraftSet.owner_id)
                .where(User.username == username)
            )
        )


def press_enter_on(page: Page, condition: str) -> None:
    """Tab to the element where ``condition`` holds, press Enter and wait for the next page."""
    tab_to(page, condition)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def start_by_keyboard(page: Page, set_id: str) -> None:
    page.goto("/teach/drafts/new")
    tab_to(page, "el.name === 'title'")
    page.keyboard.type("Council vote")
    page.keyboard.press("Tab")
    page.keyboard.type(set_id)
    page.keyboard.press("Tab")
    page.keyboard.insert_text(ARTICLE)
    press_enter_on(page, "el.type === 'submit' && el.textContent.includes('Start writing')")
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft: Council vote")


def test_a_set_is_written_and_published_by_keyboard_only(server, open_page) -> None:
    lee = teacher(server, "kb-editor")
    page = open_page(lee.account("kb-editor"))
    start_by_keyboard(page, "kb-council")
    # A select_evidence question: the right sentence ticked in the text with Space.
    press_enter_on(page, "el.textContent.trim() === 'Select the evidence'")
    tab_to(page, "el.name === 'prompt'")
    page.keyboard.type("Which sentence shows who will vote against the bill?")
    tab_to(page, "el.name === 'answer_pick' && el.value.startsWith('“We will')")
    page.keyboard.press("Space")
    tab_to(page, "el.name === 'explanation'")
    page.keyboard.type("Senator Ortiz says so in paragraph 2.")
    press_enter_on(page, "el.type === 'submit'")
    expect(page.get_by_text("Ready to publish.")).to_be_visible()
    # Duplicate it, move the copy up, then delete it: every button reached by Tab.
    press_enter_on(page, "el.textContent.trim() === 'Duplicate question 1'")
    expect(page.locator(".draft-question")).to_have_count(2)
    press_enter_on(page, "el.textContent.trim() === 'Move up question 2'")
    press_enter_on(page, "el.textContent.trim() === 'Delete question 1'")
    expect(page.locator(".draft-question")).to_have_count(1)
    press_enter_on(page, "el.textContent.trim() === 'Preview and publish'")
    expect(page.get_by_text("This will be version 1 of a new set")).to_be_visible()
    press_enter_on(page, "el.textContent.trim() === 'Publish'")
    assert page.url.endswith("/teach/sets/kb-council")
    expect(page.get_by_role("link", name="Assign to a class")).to_be_visible()


def test_selected_words_become_evidence_and_are_saved_in_the_background(server, open_page):
    lee = teacher(server, "js-editor")
    page = open_page(lee.account("js-editor"))
    start_by_keyboard(page, "js-council")
    page.get_by_role("link", name="True or false").click()
    page.get_by_label("Question", exact=True).fill("Critics found the plan rushed.")
    page.get_by_label("True", exact=True).check()
    box = page.locator("[data-evidence-for='evidence_0']")
    # Select the words in the article as a mouse would, then use them.
    page.evaluate(
        """([words]) => {
          const passage = document.querySelector("[data-evidence-for='evidence_0'] .passage");
          const walker = document.createTreeWalker(passage, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.data.indexOf(words);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + words.length);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
              return;
            }
          }
          throw new Error("words not in the passage");
        }""",
        [SELECTED],
    )
    expect(box.locator("input:checked")).to_have_count(0)  # selecting ticks nothing
    box.get_by_role("button", name="Use as evidence").click()
    expect(page.get_by_label(re.compile("Evidence quoted from"))).to_have_value(SELECTED)
    status = page.locator("#save-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(re.compile(r"^Saved"))
    # Saved without pressing Save, verbatim, and the page now edits the saved question.
    expect(page).to_have_url(re.compile(r"/questions/1$"))
    [document] = drafts_of(server, "js-editor")
    [question] = document["questions"]
    assert question["evidence"] == [{"source": "article", "quote": SELECTED}]
    assert question["answer"] is True


def test_without_javascript_a_set_is_written_published_assigned_and_taken(server, open_page):
    lee = teacher(server, "plain-editor")
    class_id = create_class(lee, "Period 3")
    student = register(server, "plain-student")
    student.post("/classes/join", {"code": join_code(server.app, class_id)}, page="/")
    page = open_page(lee.account("plain-editor"), java_script_enabled=False)
    page.goto("/teach/drafts/new")
    page.get_by_label("Title", exact=True).fill("Council vote")
    page.get_by_label("Set id").fill("plain-council")
    page.get_by_label("Article text (optional)").fill(ARTICLE)
    page.get_by_role("button", name="Start writing").click()
    page.get_by_role("link", name="Select the evidence").click()
    expect(page.get_by_role("button", name="Use as evidence")).to_be_hidden()
    page.get_by_label("Question", exact=True).fill("Which sentence shows who will vote no?")
    page.get_by_role("checkbox", name=SENTENCE).first.check()
    page.get_by_role("button", name="Save question").click()
    # Saved with a mistake (no explanation): the error is beside its field, the text kept.
    expect(page.locator("#explanation-error")).to_have_text(re.compile("fill in the explanation"))
    expect(page.get_by_label("Question", exact=True)).to_have_value(
        "Which sentence shows who will vote no?"
    )
    page.get_by_label("Explanation").fill("Senator Ortiz says so.")
    page.get_by_role("button", name="Save question").click()
    page.get_by_role("link", name="Preview and publish").click()
    # As a student sees it: the sentences to pick in the text, not yet active.
    student_view = page.locator(".student-preview")
    prompt = "Which sentence shows who will vote no?"
    expect(student_view.get_by_role("heading", name=prompt)).to_be_visible()
    expect(student_view.get_by_role("radio", name=SENTENCE)).to_be_disabled()
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("link", name="Assign to a class").click()
    page.get_by_role("link", name=re.compile("^Period 3")).click()
    expect(page.get_by_label("Question set")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Title").fill("Council vote quiz")
    page.get_by_role("button", name="Create assignment").click()
    assignment_id = int(re.search(r"/assignments/(\d+)", page.url).group(1))

    attempt_id = start_assignment(student, assignment_id)
    student_page = open_page(student.account("plain-student"), java_script_enabled=False)
    student_page.goto(f"/attempts/{attempt_id}/questions/1")
    student_page.get_by_text(SENTENCE).click()
    student_page.get_by_role("button", name=re.compile("^Save and review")).click()
    student_page.get_by_role("button", name="Submit my answers").click()
    expect(student_page.locator(".evidence, .passage-marked").first).to_contain_text(
        "We will vote against the bill"
    )
