"""The teacher's path in Chromium: first sign-in, a class, an uploaded set checked in its preview
and published, an assignment, and a student's score in the results."""

from __future__ import annotations

import re

import pytest
from helpers.settings import PASSWORD

from .conftest import import_playwright
from .scene import (
    UPLOAD_SET,
    UPLOAD_SOURCE,
    answer_all,
    location_attempt,
    one_time_password,
    register,
    submit,
)

pytestmark = pytest.mark.browser
expect = import_playwright().expect

SET_TITLE = "Curfew review: three quick questions"


def test_a_teacher_uploads_previews_publishes_assigns_and_sees_the_score(
    server, open_page, screenshots
) -> None:
    first_password = one_time_password(server, "mr-okafor", "Mr Okafor")
    page = open_page()
    page.goto("/account/login")
    page.get_by_label("Username").fill("mr-okafor")
    page.get_by_label("Password").fill(first_password)
    page.get_by_role("button", name="Sign in").click()
    # The one-time password must be replaced first.
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    page.get_by_label("One-time password").fill(first_password)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the new password").fill(PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()

    page.get_by_role("link", name="Teaching").click()
    page.get_by_label("Class name").fill("Civics 10A")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", name="Civics 10A")).to_be_visible()
    code = page.locator(".join-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{8}", code), code
    screenshots.take(page, "class")

    page.get_by_role("link", name="← Teaching").click()
    page.get_by_role("link", name="Upload a question set").click()
    page.get_by_label("Question-set file").set_input_files(UPLOAD_SET)
    page.get_by_label("Source texts (optional)").set_input_files(UPLOAD_SOURCE)
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_role("heading", name=f"Preview: {SET_TITLE}")).to_be_visible()
    expect(page.locator(".results > li")).to_have_count(3)
    expect(page.locator(".evidence mark").first).to_contain_text("Mayor Ana Ortiz said")
    screenshots.take(page, "preview")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(f"“{SET_TITLE}” version 1 published.")).to_be_visible()
    expect(page.get_by_role("heading", name=SET_TITLE, exact=True)).to_be_visible()
    screenshots.take(page, "published-set")

    page.get_by_role("link", name="← Teaching").click()
    page.get_by_role("link", name="Civics 10A").click()
    page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Title").fill("Curfew review")
    page.get_by_label("Question set").select_option(label=f"{SET_TITLE} (version 1)")
    page.get_by_label("Time limit in minutes").fill("20")
    screenshots.take(page, "assignment-form")
    page.get_by_role("button", name="Create assignment").click()
    expect(page.get_by_text("Assignment created.")).to_be_visible()
    assignment_id = int(page.url.rsplit("/", 1)[1])

    # A student joins with the code and takes the assignment.
    student = register(server, "mia", "Mia Lopez")
    student.post("/classes/join", {"code": code}, page="/")
    attempt_id = location_attempt(student.post(f"/assignments/{assignment_id}/start", page="/"))
    answer_all(server, student, attempt_id, 3)
    submit(student, attempt_id)

    page.reload()
    row = page.get_by_role("row", name=re.compile("Mia Lopez"))
    expect(row).to_contain_text("100%")
    screenshots.take(page, "results")
    row.get_by_role("link", name="Mia Lopez").click()
    expect(page.get_by_text("score 3 of 3 (100%)")).to_be_visible()
    screenshots.take(page, "student-detail")
    page.get_by_role("link", name="← Curfew review").click()
    page.get_by_role("link", name="Item analysis").click()
    expect(page.get_by_role("heading", name="Item analysis: Curfew review")).to_be_visible()
    screenshots.take(page, "item-analysis")
