"""A Moodle bank in Chromium: a teacher uploads a Moodle XML file with HTML, an image and
feedback, checks the preview (the skipped question listed), publishes it and assigns it; the
student sees clean text and the image, and after submitting reads the feedback of the answer
they picked, not that of the others."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Classroom, QuestionSet, QuestionSetVersion

from .conftest import import_playwright
from .scene import create_assignment, create_class, register, teacher

pytestmark = pytest.mark.browser
expect = import_playwright().expect

MOODLE_BANK = Path(__file__).resolve().parent / "data" / "moodle-bank.xml"
SET_TITLE = "moodle bank"


def published_version_and_join_code(server, class_id: int) -> tuple[int, str]:
    with server.app.app_context():
        version_id = db.session.scalar(
            sa.select(QuestionSetVersion.id)
            .join(QuestionSetVersion.question_set)
            .where(QuestionSet.slug == "moodle-bank")
        )
        return version_id, db.session.get(Classroom, class_id).join_code


def image_is_shown(page, alt: str) -> None:
    image = page.get_by_role("img", name=alt)
    expect(image).to_be_visible()
    # Loaded from the app (the strict CSP allows no other place), not a broken image.
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
    assert image.evaluate("img => new URL(img.src).origin === location.origin")


def no_raw_markup(page) -> None:
    text = page.locator("main").inner_text()
    for raw in ("<p", "&nbsp;", "@@PLUGINFILE@@", "<script", 'dir="ltr"', "alert("):
        assert raw not in text, raw
    assert page.locator("main [style], main script, main span.img-fluid").count() == 0


def test_a_moodle_bank_arrives_with_its_html_image_and_feedback(
    server, open_page, screenshots
) -> None:
    web = teacher(server, "ms-moodle", "Ms Moodle")
    page = open_page(web.account("ms-moodle"))
    page.goto("/teach/upload")
    page.get_by_label("Question-set file").set_input_files(MOODLE_BANK)
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_role("heading", name=f"Preview: {SET_TITLE}")).to_be_visible()
    warnings = page.locator(".warnings")
    expect(warnings).to_contain_text(
        "embedded answers (Cloze) questions are not supported; question skipped"
    )
    image_is_shown(page, "The Capitol in Washington")
    no_raw_markup(page)
    expect(page.locator("main strong", has_text="Capitol")).to_be_visible()
    screenshots.take(page, "moodle-preview")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(f"“{SET_TITLE}” version 1 published.")).to_be_visible()
    image_is_shown(page, "The Capitol in Washington")

    class_id = create_class(web, "Civics 11C")
    version_id, code = published_version_and_join_code(server, class_id)
    create_assignment(web, class_id, version_id, title="Moodle bank quiz")

    student = register(server, "ximena-moodle", "Ximena Ruiz")
    student.post("/classes/join", {"code": code}, page="/")
    pupil = open_page(student.account("ximena-moodle"))
    pupil.goto("/")
    pupil.get_by_role("button", name="Start").first.click()
    seen_image = False
    for _ in range(2):
        heading = pupil.locator("h1.prompt").inner_text()
        no_raw_markup(pupil)
        if "Which branch" in heading:
            assert "Which branch meets in this building?" in heading
            image_is_shown(pupil, "The Capitol in Washington")
            seen_image = True
            screenshots.take(pupil, "moodle-question")
            pupil.get_by_label("The executive branch").check()
        else:
            assert heading.startswith("Senators serve six-year terms.")
            pupil.get_by_label("True").check()
        pupil.get_by_role("button", name="Save and next").or_(
            pupil.get_by_role("button", name="Save and review")
        ).click()
    assert seen_image
    pupil.get_by_role("button", name="Submit my answers").click()
    expect(pupil.get_by_role("heading", name="Your results")).to_be_visible()
    results = pupil.locator("main")
    expect(results).to_contain_text("No: the President works in the White House.")
    expect(results).to_contain_text("Yes: six years.")
    for not_picked in (
        "Right: Congress makes the laws there.",
        "No: the Supreme Court has its own building.",
        "Look again: a Senate term is six years.",
    ):
        expect(results).not_to_contain_text(not_picked)
    expect(results).to_contain_text("Congress meets in the Capitol.")  # the explanation
    image_is_shown(pupil, "The Capitol in Washington")
    no_raw_markup(pupil)
    screenshots.take(pupil, "moodle-results")
