"""The student's path in Chromium: sign up and join a class; take an assignment with the keyboard
alone; read the results and the evidence in the source; all of it again without JavaScript;
typed answers kept; the time limit shown and its warnings announced."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from helpers.quiz import presented
from helpers.settings import PASSWORD
from helpers.teacher import join_code

from quizapp.domain.grading import answer_key
from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.services.attempts import PresentedQuestion
from quizapp.student.forms import prompt_field_name

from .checks import tab_to
from .conftest import import_playwright
from .scene import (
    BROWSER_SET,
    Account,
    Visitor,
    create_assignment,
    create_class,
    location_attempt,
    numbers_by_type,
    register,
    start_assignment,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = import_playwright().expect

ATTEMPT_IN_URL = re.compile(r"/attempts/(\d+)/")
QUESTIONS = 6
#: Points of the browser set: the multiple-choice question is worth 2, the others 1.
FULL_MARKS = "7 of 7"


def class_with_assignment(server: Any, scene: Any, name: str, **settings: str) -> tuple[str, int]:
    """A class of the scene's teacher with one assignment of the browser set: code and id."""
    teacher = Visitor.signed_in(server.url, scene.teacher)
    class_id = create_class(teacher, name)
    assignment_id = create_assignment(teacher, class_id, scene.version_id, **settings)
    return join_code(server.app, class_id), assignment_id


def new_student(server: Any, username: str, code: str) -> Account:
    """A student who has joined the class with ``code``."""
    student = register(server, username)
    student.post("/classes/join", {"code": code}, page="/")
    return student.account(username)


def attempt_in(page: Page) -> int:
    """The attempt id in the page's URL."""
    match = ATTEMPT_IN_URL.search(page.url)
    assert match, page.url
    return int(match.group(1))


def choose_in_select(page: Page, select_id: str, index: int) -> None:
    """Tab to a select and move to option ``index`` with the arrow keys."""
    tab_to(page, f"el.id === '{select_id}'")
    current = page.evaluate("() => document.activeElement.selectedIndex")
    key = "ArrowDown" if index > current else "ArrowUp"
    for _ in range(abs(index - current)):
        page.keyboard.press(key)
    assert page.evaluate("() => document.activeElement.selectedIndex") == index


def answer_by_keyboard(
    page: Page, shown: PresentedQuestion, repeat_positions: bool = False
) -> None:
    """Answer with Tab, the arrow keys, Space and typing, as a keyboard user does."""
    question = shown.question
    key = answer_key(question)
    if question.type in ("single_choice", "true_false"):
        values = list(shown.options) if question.type == "single_choice" else [True, False]
        target = values.index(key)
        tab_to(page, "el.name === 'answer'")  # the first radio of the group
        if target == 0:
            page.keyboard.press("Space")
        for _ in range(target):
            page.keyboard.press("ArrowDown")  # moves to the next radio and selects it
        expect(page.locator("input[name=answer]").nth(target)).to_be_checked()
    elif question.type == "multiple_choice":
        boxes = page.locator("input[name=answer]")
        for index, option in enumerate(shown.options):
            tab_to(page, f"el.id === '{boxes.nth(index).get_attribute('id')}'")
            if option in key:
                page.keyboard.press("Space")
        for index, option in enumerate(shown.options):
            assert boxes.nth(index).is_checked() == (option in key)
    elif question.type == "short_answer":
        tab_to(page, "el.name === 'answer'")
        page.keyboard.type(key)
    elif question.type == "matching":
        options = ["", *shown.options]
        for index, left in enumerate(shown.prompts):
            choose_in_select(page, prompt_field_name("matching", index), options.index(key[left]))
    else:  # ordering: option n is position n
        for index, item in enumerate(shown.prompts):
            position = 1 if repeat_positions else key.index(item) + 1
            choose_in_select(page, prompt_field_name("ordering", index), position)


def press_the_main_button(page: Page) -> None:
    """Tab to the form's main button (save, check or submit) and press Enter."""
    tab_to(page, "el.type === 'submit' && el.classList.contains('primary')")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer_with_the_mouse(page: Page, shown: PresentedQuestion) -> None:
    """Answer by clicking and typing (for the page without JavaScript)."""
    question = shown.question
    key = answer_key(question)
    if question.type == "single_choice":
        page.locator("input[name=answer]").nth(list(shown.options).index(key)).check()
    elif question.type == "true_false":
        page.get_by_label("True" if key else "False", exact=True).check()
    elif question.type == "multiple_choice":
        for index, option in enumerate(shown.options):
            if option in key:
                page.locator("input[name=answer]").nth(index).check()
    elif question.type == "short_answer":
        page.get_by_role("textbox").fill(key)
    elif question.type == "matching":
        for index, left in enumerate(shown.prompts):
            page.locator(f"#{prompt_field_name('matching', index)}").select_option(key[left])
    else:
        for index, item in enumerate(shown.prompts):
            page.locator(f"#{prompt_field_name('ordering', index)}").select_option(
                str(key.index(item) + 1)
            )


def test_a_student_registers_and_joins_a_class_with_its_code(
    server, scene, open_page, screenshots
) -> None:
    code, _ = class_with_assignment(server, scene, "Civics 9C", title="Curfew report: first look")
    page = open_page()
    page.goto("/")
    expect(page).to_have_title("Welcome · Civics Quiz")
    screenshots.take(page, "welcome")

    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Username").fill("noor")
    page.get_by_label("Display name (optional)").fill("Noor Haddad")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill("not the same password")
    page.get_by_role("button", name="Create account").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The two passwords differ.")
    confirm = page.get_by_label("Repeat the password")
    expect(confirm).to_have_attribute("aria-invalid", "true")
    expect(confirm).to_have_attribute("aria-describedby", "confirm-error")
    expect(page.locator("#confirm-error")).to_have_text(re.compile("The two passwords differ."))
    screenshots.take(page, "register-error")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    confirm.fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome! Your account is ready.")).to_be_visible()
    expect(page.get_by_text("Signed in as Noor Haddad")).to_be_visible()

    page.get_by_label("Class code").fill(code)
    page.get_by_role("button", name="Join class").click()
    expect(page.get_by_text("You joined Civics 9C.")).to_be_visible()
    expect(page.get_by_role("heading", name="Curfew report: first look")).to_be_visible()
    screenshots.take(page, "joined")


def test_without_javascript_a_form_sent_back_opens_on_its_error_summary(server, open_page) -> None:
    page = open_page(java_script_enabled=False)
    page.goto("/account/register")
    page.get_by_label("Username").fill("nadia-nojs")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill("not the same password")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("The two passwords differ.")


def test_a_student_takes_an_assignment_with_the_keyboard_only(
    server, scene, open_page, screenshots
) -> None:
    code, assignment_id = class_with_assignment(
        server, scene, "Civics 9D", title="Curfew report by keyboard"
    )
    page = open_page(new_student(server, "kai", code))
    page.goto("/")
    tab_to(page, f"el.getAttribute('aria-describedby') === 'assignment-{assignment_id}'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    attempt_id = attempt_in(page)

    for number in range(1, QUESTIONS + 1):
        # The focus moves to each new question, so a screen reader reads it first.
        expect(page.locator("#question-heading")).to_be_focused()
        expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {QUESTIONS}")
        shown = presented(server.app, attempt_id, number)
        if number == 1:
            screenshots.take(page, "first-question")
        if shown.question.type == "ordering":
            # A mistake first: the focus goes to the error summary, tied to the question.
            answer_by_keyboard(page, shown, repeat_positions=True)
            press_the_main_button(page)
            expect(page.locator("#error-summary")).to_be_focused()
            expect(page.locator("#error-summary")).to_contain_text("Use each position only once.")
            expect(page.locator("fieldset")).to_have_attribute("aria-describedby", "answer-error")
            screenshots.take(page, "ordering-error")
        answer_by_keyboard(page, shown)
        press_the_main_button(page)

    expect(page).to_have_url(re.compile(r"/review$"))
    expect(page.get_by_text(f"You answered {QUESTIONS} of {QUESTIONS} questions.")).to_be_visible()
    screenshots.take(page, "review")
    tab_to(page, "el.textContent.trim() === 'Submit my answers'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".score")).to_contain_text(FULL_MARKS)
    expect(page.locator(".result .outcome")).to_have_text([re.compile("Correct")] * QUESTIONS)
    screenshots.take(page, "results")


def test_a_student_reads_the_results_and_the_quote_is_highlighted_in_the_source(
    scene, open_page, screenshots
) -> None:
    page = open_page(scene.student, phone=True)
    page.goto(f"/attempts/{scene.results_attempt_id}/results")
    # Right and wrong are told by a symbol and a word, not by colour alone.
    outcomes = page.locator(".result .outcome").all_inner_texts()
    assert set(outcomes) == {"✓ Correct", "◐ Partly correct", "✗ Incorrect", "– Not answered"}
    screenshots.take(page, "results")

    result = page.locator(".result", has_text="The council has already voted on the curfew.")
    result.get_by_role("link", name=re.compile("Show in the source")).click()
    mark = page.locator("mark#evidence-1")
    expect(mark).to_contain_text("The council will vote next month")
    expect(mark).to_be_in_viewport()
    assert page.evaluate("() => window.scrollY") > 0, "the page should scroll to the quote"
    # Screen readers hear "Evidence:" before the quote; it takes no room on screen.
    label = mark.locator(".visually-hidden")
    expect(label).to_have_text(re.compile(r"^\s*Evidence:\s*$"))
    box = label.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    screenshots.take(page, "source-highlight", full_page=False)
    # The quote was below the fold: the scroll was needed.
    page.evaluate("() => window.scrollTo(0, 0)")
    expect(mark).not_to_be_in_viewport()


def test_the_student_path_works_without_javascript(server, scene, open_page, screenshots) -> None:
    code, assignment_id = class_with_assignment(
        server, scene, "Civics 9E", title="Curfew report without scripts"
    )
    page = open_page(java_script_enabled=False)
    page.goto("/account/register")
    page.get_by_label("Username").fill("ravi")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_label("Class code").fill(code)
    page.get_by_role("button", name="Join class").click()
    expect(page.get_by_text("You joined Civics 9E.")).to_be_visible()
    page.locator(f"button[aria-describedby='assignment-{assignment_id}']").click()
    attempt_id = attempt_in(page)

    for number in range(1, QUESTIONS + 1):
        expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {QUESTIONS}")
        # Nothing moved the focus: no script ran.
        expect(page.locator("#question-heading")).not_to_be_focused()
        answer_with_the_mouse(page, presented(server.app, attempt_id, number))
        page.locator("button.primary[type=submit]").click()
        if number == 1:
            screenshots.take(page, "second-question")

    expect(page.get_by_text(f"You answered {QUESTIONS} of {QUESTIONS} questions.")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator(".score")).to_contain_text(FULL_MARKS)
    screenshots.take(page, "results")
    result = page.locator(".result", has_text="The council has already voted on the curfew.")
    result.get_by_role("link", name=re.compile("Show in the source")).click()
    expect(page).to_have_url(re.compile(r"#evidence-1$"))
    expect(page.locator("mark#evidence-1")).to_be_in_viewport()


def test_what_a_student_types_is_kept_when_they_leave_the_page(server, open_page) -> None:
    student = register(server, "lena")
    attempt_id = location_attempt(student.post(f"/quizzes/{BROWSER_SET}/start", page="/"))
    number = numbers_by_type(server, attempt_id, QUESTIONS)["short_answer"]
    page = open_page(student.account("lena"))
    question = f"/attempts/{attempt_id}/questions/{number}"
    page.goto(question)
    answer = page.get_by_role("textbox")
    answer.click()
    page.keyboard.type("First Amend")
    # Off to the quiz list without saving, then back: the typing is still there.
    page.get_by_role("link", name="Quizzes").click()
    page.goto(question)
    expect(answer).to_have_value("First Amend")

    press_the_main_button(page)
    page.goto(question)
    expect(answer).to_have_value("First Amend")  # now from the server
    drafts = "() => Object.keys(localStorage).filter((k) => k.startsWith('civics-quiz-draft'))"
    assert page.evaluate(drafts) == []


def test_the_time_limit_is_shown_and_its_warnings_are_announced(
    server, scene, open_page, screenshots
) -> None:
    code, assignment_id = class_with_assignment(
        server, scene, "Civics 9F", title="Six-minute check", time_limit_minutes="6"
    )
    account = new_student(server, "tomas", code)
    attempt_id = start_assignment(Visitor.signed_in(server.url, account), assignment_id)
    page = open_page(account)
    # The page's clock starts when the attempt did and moves only when the test says: the
    # real seconds a loaded machine spends between the steps below must not count.
    with server.app.app_context():
        started = db.session.get(Attempt, attempt_id).started_at
    page.clock.install(time=started)
    page.clock.pause_at(started + timedelta(seconds=1))
    page.goto(f"/attempts/{attempt_id}/questions/1")
    clock = page.locator("#time-left strong")
    warning = page.locator("#time-warning")
    expect(clock).to_have_text(re.compile(r"^(6:00|5:5\d)$"))
    expect(warning).to_have_attribute("aria-live", "assertive")
    expect(warning).to_be_empty()
    expect(page.locator("#time-left")).not_to_have_class(re.compile("time-low"))

    page.clock.fast_forward("01:05")
    expect(warning).to_have_text("5 minutes left.")
    expect(clock).to_have_text(re.compile(r"^4:5\d$"))
    expect(page.locator("#time-left")).to_have_class(re.compile("time-low"))  # seen, too
    screenshots.take(page, "five-minutes-left", full_page=False)
    page.clock.fast_forward("04:00")
    expect(warning).to_have_text("One minute left.")
    expect(clock).to_have_text(re.compile(r"^0:5\d$"))
