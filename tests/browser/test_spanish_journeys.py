"""Civics Quiz in Spanish, end to end in Chromium: a teacher makes a class and an assignment, a
student signs up, joins, takes the quiz and reads the results, the teacher reads the item
analysis; and the language switch used with the keyboard alone.

The browsers here say ``Accept-Language: es-US`` (or choose Español with the switch). Fields and
buttons are found by their ids and roles, not their words; every page on the way must be in
Spanish (``<html lang="es">``, no English words left, see english_words.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from helpers.quiz import presented
from helpers.settings import PASSWORD

from .checks import tab_to
from .conftest import import_playwright
from .english_words import english_words, names_people_gave, report
from .in_language import catalogue
from .scene import Visitor, register
from .test_student_journey import QUESTIONS, answer_by_keyboard, press_the_main_button

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = import_playwright().expect

SPANISH = {"locale": "es-US"}
SPANISH_CATALOGUE = catalogue("es")
ASSIGNMENT_ID = re.compile(r"/teach/assignments/(\d+)$")


def spanish(message: str) -> str:
    """The Spanish of an English message of the interface (failing when it has none)."""
    translated = str(SPANISH_CATALOGUE.gettext(message))
    assert translated != message, f"the Spanish catalogue does not translate {message!r}"
    return translated


def page_language(page: Page) -> str:
    """The ``lang`` of the page's ``<html>``."""
    language: str = page.evaluate("() => document.documentElement.lang")
    return language


def assert_in_spanish(page: Page, server) -> None:
    """The page says it is Spanish and shows no English outside content and names."""
    assert page_language(page) == "es", page.url
    left = english_words(page, names_people_gave(server.app))
    assert not left, f"English left on {page.url}:\n" + report(left)


def submit_form_of(page: Page, field: str) -> None:
    """Press the submit button of the form that holds the field ``field`` (an id)."""
    with page.expect_navigation():
        page.locator(f"form:has(#{field}) [type=submit]").first.click()


def test_a_class_in_spanish_from_the_teachers_class_to_the_item_analysis(
    server, scene, open_page, screenshots
) -> None:
    teacher = open_page(scene.teacher, **SPANISH)
    teacher.goto("/teach/")
    assert_in_spanish(teacher, server)
    teacher.locator("#name").fill("Cívica 9E")
    teacher.locator("#time_zone").select_option("America/Los_Angeles")
    submit_form_of(teacher, "time_zone")
    expect(teacher.get_by_role("heading", name="Cívica 9E", level=1)).to_be_visible()
    assert_in_spanish(teacher, server)
    code = teacher.locator(".join-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{8}", code), code
    screenshots.take(teacher, "class")

    teacher.goto(teacher.url + "/assignments/new")
    assert_in_spanish(teacher, server)
    teacher.locator("#title").fill("Toque de queda")
    teacher.locator("#version_id").select_option(str(scene.version_id))
    submit_form_of(teacher, "version_id")
    match = ASSIGNMENT_ID.search(teacher.url)
    assert match, teacher.url
    assignment_id = int(match.group(1))
    assert_in_spanish(teacher, server)

    # A student whose browser speaks Spanish signs up, with a mistake first.
    student = open_page(**SPANISH)
    student.goto("/")
    assert_in_spanish(student, server)
    student.goto("/account/register")
    student.locator("#username").fill("lucia")
    student.locator("#display_name").fill("Lucía Martínez")
    student.locator("#password").fill(PASSWORD)
    student.locator("#confirm").fill("otra contraseña distinta")
    submit_form_of(student, "confirm")
    expect(student.locator("#error-summary")).to_be_focused()
    expect(student.locator("#confirm")).to_have_attribute("aria-invalid", "true")
    assert_in_spanish(student, server)
    screenshots.take(student, "register-error")
    student.locator("#password").fill(PASSWORD)
    student.locator("#confirm").fill(PASSWORD)
    submit_form_of(student, "confirm")
    expect(student.locator(".who")).to_contain_text("Lucía Martínez")
    assert_in_spanish(student, server)

    student.locator("#code").fill(code)
    submit_form_of(student, "code")
    start = student.locator(f"[aria-describedby='assignment-{assignment_id}']")
    expect(start).to_be_visible()
    assert_in_spanish(student, server)
    screenshots.take(student, "joined")

    with student.expect_navigation():
        start.click()
    attempt_id = int(re.search(r"/attempts/(\d+)/", student.url).group(1))  # type: ignore[union-attr]
    for number in range(1, QUESTIONS + 1):
        expect(student.locator("#question-heading")).to_be_focused()
        expect(student.locator("#progress-label")).to_contain_text(f"{number}")
        assert_in_spanish(student, server)
        answer_by_keyboard(student, presented(server.app, attempt_id, number))
        press_the_main_button(student)

    expect(student).to_have_url(re.compile(r"/review$"))
    assert_in_spanish(student, server)
    press_the_main_button(student)
    expect(student).to_have_url(re.compile(r"/results$"))
    # Full marks: 7 points of 7, each question right, said in Spanish.
    expect(student.locator(".score")).to_contain_text(re.compile(r"\b7\b.*\b7\b"))
    expect(student.locator(".result .outcome")).to_have_count(QUESTIONS)
    assert_in_spanish(student, server)
    screenshots.take(student, "results")

    teacher.goto(f"/teach/assignments/{assignment_id}")
    expect(teacher.get_by_role("row", name=re.compile("Lucía Martínez"))).to_contain_text("100")
    assert_in_spanish(teacher, server)
    with teacher.expect_navigation():
        teacher.locator(f"a[href$='/assignments/{assignment_id}/analysis']").first.click()
    expect(teacher.get_by_role("heading", level=1)).to_contain_text("Toque de queda")
    assert_in_spanish(teacher, server)
    screenshots.take(teacher, "item-analysis")


def switch_by_keyboard(page: Page, language: str) -> None:
    """Tab to the switch's button for ``language`` and press Enter."""
    tab_to(page, f"el.name === 'language' && el.value === '{language}'", limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_language_switch_by_keyboard_before_and_after_signing_in(
    server, open_page, screenshots
) -> None:
    register(server, "mateo", "Mateo Cruz")
    page = open_page(java_script_enabled=False)
    page.goto("/account/login")
    assert page_language(page) == "en"

    switch_by_keyboard(page, "es")
    expect(page).to_have_url(re.compile(r"/account/login$"))
    assert page_language(page) == "es"
    expect(page.locator("button[name=language][value=es]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".skip-link")).to_have_text(spanish("Skip to main content"))
    assert_in_spanish(page, server)
    screenshots.take(page, "sign-in-in-spanish")

    # Signing in keeps the choice; choosing again while signed in keeps it for the account.
    page.locator("#username").fill("mateo")
    page.locator("#password").fill(PASSWORD)
    submit_form_of(page, "password")
    assert page_language(page) == "es"
    expect(page.locator(".who")).to_contain_text("Mateo Cruz")
    switch_by_keyboard(page, "es")
    assert page_language(page) == "es"

    # Another device, whose browser asks for English: the account's choice wins.
    elsewhere = Visitor(server.url)
    elsewhere.post("/account/login", {"username": "mateo", "password": PASSWORD})
    other = open_page(elsewhere.account("mateo"), locale="en-US")
    other.goto("/history")
    assert page_language(other) == "es"
    assert_in_spanish(other, server)

    # And back to English with the keyboard, on the page where the student was.
    switch_by_keyboard(other, "en")
    expect(other).to_have_url(re.compile(r"/history$"))
    assert page_language(other) == "en"
    expect(other.locator(".skip-link")).to_have_text("Skip to main content")
