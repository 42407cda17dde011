"""No answer is lost, in Chromium: each change is saved in the background and "Saved" is
announced; a header link right after a choice does not drop it; a session that ends mid-quiz
keeps the answer through signing in again; signing out clears the drafts in the browser."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from helpers.quiz import presented
from helpers.settings import PASSWORD

from quizapp.extensions import db
from quizapp.models import Response

from .conftest import import_playwright
from .scene import (
    BROWSER_SET,
    READING_PAGES,
    READING_SET,
    existing_student,
    location_attempt,
    numbers_by_type,
    page_numbers,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = import_playwright().expect

QUESTIONS = 6
DRAFTS = "() => Object.keys(localStorage).filter((k) => k.startsWith('civics-quiz-draft'))"


def saved_answer(server: Any, attempt_id: int, question_id: str) -> Any:
    """The answer the server holds for one question (None: none saved)."""
    with server.app.app_context():
        return db.session.scalar(
            sa.select(Response.answer).where(
                Response.attempt_id == attempt_id, Response.question_id == question_id
            )
        )


def practice(server: Any, username: str) -> tuple[Any, int, dict[str, int]]:
    """A new student with free practice started on the browser set: the student, the
    attempt id and which question number has which type."""
    student = existing_student(server, username)
    attempt_id = location_attempt(student.post(f"/quizzes/{BROWSER_SET}/start", page="/"))
    return student, attempt_id, numbers_by_type(server, attempt_id, QUESTIONS)


def choose_first_option(page: Page) -> str:
    """Click the first radio button of the question; the value it stands for."""
    option = page.locator("input[name=answer]").first
    option.check()
    return option.get_attribute("value") or ""


def test_each_change_is_saved_and_saved_is_announced(server, open_page) -> None:
    student, attempt_id, numbers = practice(server, "amaru")
    number = numbers["single_choice"]
    question = presented(server.app, attempt_id, number).question
    page = open_page(student.account("amaru"))
    page.goto(f"/attempts/{attempt_id}/questions/{number}")
    status = page.locator("#save-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.locator("#save-hint")).to_have_text("Your answer is saved as you change it.")
    chosen = choose_first_option(page)
    expect(status).to_have_text("Saved")
    assert saved_answer(server, attempt_id, question.id) == chosen
    assert page.evaluate(DRAFTS) == [], "the draft goes once the server has the answer"

    # Typing is saved too, a moment after the student stops.
    text_number = numbers["short_answer"]
    text_question = presented(server.app, attempt_id, text_number).question
    page.goto(f"/attempts/{attempt_id}/questions/{text_number}")
    page.get_by_role("textbox").fill("First Amendment")
    expect(status).to_have_text("Saved")
    assert saved_answer(server, attempt_id, text_question.id) == "First Amendment"


def test_a_written_response_left_by_a_typed_address_is_kept(server, open_page) -> None:
    """Typing in a text area is saved like typing in a text box: leaving the page without
    touching anything else (an address typed, the tab closed) used to lose it."""
    student = existing_student(server, "fenna")
    attempt_id = location_attempt(student.post(f"/quizzes/{READING_SET}/start", page="/"))
    url = f"/attempts/{attempt_id}/questions/"
    url += str(page_numbers(server, attempt_id, READING_PAGES)["explain-debate"])
    page = open_page(student.account("fenna"))
    page.goto(url)
    written = "Speakers said the curfew limits the right to assemble peaceably."
    page.get_by_role("textbox").press_sequentially(written[:20])
    page.get_by_role("textbox").fill(written)
    page.goto("/history")  # at once, as a typed address: no blur, no button
    page.goto(url)
    expect(page.get_by_role("textbox")).to_have_value(written)
    assert page.evaluate(DRAFTS) == [], "shown from the server, not from a draft in the browser"
    assert written in str(saved_answer(server, attempt_id, "explain-debate"))


def test_a_header_link_right_after_a_choice_does_not_drop_it(server, open_page) -> None:
    student, attempt_id, numbers = practice(server, "bisa")
    number = numbers["true_false"]
    question = presented(server.app, attempt_id, number).question
    page = open_page(student.account("bisa"))
    url = f"/attempts/{attempt_id}/questions/{number}"
    page.goto(url)
    page.get_by_label("False").check()
    page.get_by_role("link", name="Quizzes").click()  # at once, before any save could finish
    expect(page.get_by_role("heading", name="Quizzes", level=1)).to_be_visible()
    page.goto(url)
    expect(page.get_by_label("False")).to_be_checked()
    assert saved_answer(server, attempt_id, question.id) is False


def test_a_session_expires_mid_quiz_and_the_answer_survives(server, open_page) -> None:
    student, attempt_id, numbers = practice(server, "chidi")
    number = numbers["short_answer"]
    question = presented(server.app, attempt_id, number).question
    page = open_page(student.account("chidi"))
    url = f"/attempts/{attempt_id}/questions/{number}"
    page.goto(url)
    # The session ends while the student is on the page (the cookie is gone, as after the
    # browser's session ended); the page's token is now stale too.
    page.context.clear_cookies()
    page.get_by_role("textbox").fill("The First Amendment")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Not saved: You were signed out")
    assert saved_answer(server, attempt_id, question.id) is None

    status.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/account/login\?next="))
    expect(page.get_by_text("Sign in again and it is filled in for you to save.")).to_be_visible()
    page.get_by_label("Username").fill("chidi")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Back at the same question, the answer restored, and saved with the fresh token.
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.get_by_role("textbox")).to_have_value("The First Amendment")
    expect(status).to_have_text("Saved")
    assert saved_answer(server, attempt_id, question.id) == "The First Amendment"
    assert page.evaluate(DRAFTS) == []


def test_the_same_works_without_javascript_with_the_buttons(server, open_page) -> None:
    student, attempt_id, numbers = practice(server, "dara")
    number = numbers["short_answer"]
    question = presented(server.app, attempt_id, number).question
    page = open_page(student.account("dara"), java_script_enabled=False)
    url = f"/attempts/{attempt_id}/questions/{number}"
    page.goto(url)
    expect(page.locator("#save-hint")).to_have_text(
        "Your answer is saved when you press one of these buttons. Links elsewhere on the page "
        "leave without saving it."
    )
    page.context.clear_cookies()
    page.get_by_role("textbox").fill("Free speech")
    page.locator("button.primary[type=submit]").click()
    page.get_by_label("Username").fill("dara")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.get_by_role("textbox")).to_have_value("Free speech")
    assert saved_answer(server, attempt_id, question.id) is None, "not saved until pressed"
    page.locator("button.primary[type=submit]").click()
    assert saved_answer(server, attempt_id, question.id) == "Free speech"


def test_signing_out_clears_the_drafts_kept_in_the_browser(server, open_page) -> None:
    student, attempt_id, numbers = practice(server, "emeka")
    number = numbers["short_answer"]
    page = open_page(student.account("emeka"))
    page.goto(f"/attempts/{attempt_id}/questions/{number}")
    page.context.set_offline(True)
    page.get_by_role("textbox").fill("Written offline")
    expect(page.locator("#save-status")).to_contain_text("Not saved yet")
    assert len(page.evaluate(DRAFTS)) == 1, "the draft waits for the server"
    page.context.set_offline(False)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    assert page.evaluate(DRAFTS) == []
