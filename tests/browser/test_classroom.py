"""Running a class in the browser: a new class's time zone, and the management pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from helpers.teacher import join_code, version_id

from .conftest import import_playwright
from .scene import (
    BROWSER_SET,
    CLASS_TIME_ZONE,
    create_assignment,
    create_class,
    local_input,
    register,
    start_assignment,
    teacher,
)

pytestmark = pytest.mark.browser
expect = import_playwright().expect


@pytest.mark.parametrize("script", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_new_class_takes_the_browsers_time_zone(script, scene, open_page) -> None:
    page = open_page(scene.teacher, timezone_id="Europe/Paris", java_script_enabled=script)
    page.goto("/teach/")
    chosen = page.get_by_label("Time zone").input_value()
    # Without the script: the zone of the teacher's newest class.
    assert chosen == ("Europe/Paris" if script else CLASS_TIME_ZONE)


def test_a_form_sent_back_with_mistakes_keeps_the_chosen_zone(scene, open_page) -> None:
    page = open_page(scene.teacher, timezone_id="Europe/Paris")
    page.goto("/teach/")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Create class").click()  # no name: sent back
    assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"


@pytest.fixture(scope="module")
def own_class(server):
    """Mr Haddad's class of his own (the shared scene stays as it is), with Noor in it, and a quiz
    that closes in two days without a time limit, which Noor has started."""
    haddad = teacher(server, "mr-haddad", "Mr Haddad")
    class_id = create_class(haddad, "Civics 11C")
    noor = register(server, "noor-h", "Noor Haddad")
    noor.post("/classes/join", {"code": join_code(server.app, class_id)}, page="/")
    version = version_id(server.app, BROWSER_SET)
    assignment_id = create_assignment(
        haddad, class_id, version, title="Due in two days", closes_at=local_input(timedelta(days=2))
    )
    attempt_id = start_assignment(noor, assignment_id)
    return {
        "teacher": haddad.account("mr-haddad"),
        "student": noor.account("noor-h"),
        "class_id": class_id,
        "attempt_id": attempt_id,
    }


def test_a_due_date_is_shown_without_a_countdown(own_class, open_page) -> None:
    page = open_page(own_class["student"])
    page.goto(f"/attempts/{own_class['attempt_id']}/questions/1")
    due = page.locator(".due-at")
    expect(due).to_have_text(re.compile(r"^Due \w+ \d{1,2}:\d\d [AP]M C[SD]T$"))
    page.wait_for_timeout(1500)  # the script has had time to tick, if it were counting
    expect(page.get_by_text("Time left")).to_have_count(0)
    expect(due).to_have_text(re.compile(r"^Due "))


def test_removing_a_student_asks_first_and_works_without_javascript(
    own_class, open_page, screenshots
) -> None:
    page = open_page(own_class["teacher"], java_script_enabled=False)
    page.goto(f"/teach/classes/{own_class['class_id']}")
    page.get_by_role("link", name=re.compile(r"^Remove\s*Noor Haddad")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Noor Haddad from Civics 11C?")
    screenshots.take(page, "confirm-removal")
    page.get_by_role("button", name="Remove Noor Haddad").click()
    expect(page.get_by_text("Noor Haddad was removed from Civics 11C.")).to_be_visible()
    expect(page.get_by_text("No students yet.")).to_be_visible()
