"""Civics Quiz inside an LMS's iframe, in Chromium: a teacher adds the quiz through deep linking,
a student takes it in the frame, and the score arrives at the platform (lti1p3platform on
loopback, the app under gunicorn)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
import requests
from helpers.lti_platform import INSTRUCTOR, LEARNER, LaunchSpec, TestPlatform
from helpers.quiz import presented

from quizapp.services.lti_launch import ASSIGNMENT_PARAMETER

from .conftest import AppServer, import_playwright
from .test_student_journey import QUESTIONS, answer_with_the_mouse

pytestmark = pytest.mark.browser
expect = import_playwright().expect

#: How long the score may take to reach the platform after the student submits.
SCORE_WAIT_SECONDS = 20


@pytest.fixture
def lms(server: AppServer) -> Iterator[TestPlatform]:
    """A platform registered with the served app by `flask lti add-platform`."""
    platform = TestPlatform()
    platform.tool_login_url = server.url + "/lti/login"
    platform.tool_launch_url = server.url + "/lti/launch"
    platform.start()
    settings = platform.tool_settings()
    server.flask(
        "lti",
        "add-platform",
        "--name",
        "Browser LMS",
        "--issuer",
        settings["issuer"],
        "--client-id",
        settings["client_id"],
        "--deployment-id",
        settings["deployment_ids"],
        "--auth-login-url",
        settings["auth_login_url"],
        "--auth-token-url",
        settings["auth_token_url"],
        "--key-set-url",
        settings["key_set_url"],
    )
    # The platform reads our JWKS at its URL once, as an LMS caches it.
    platform.tool_key_set = requests.get(server.url + "/lti/jwks.json", timeout=10).json()
    yield platform
    platform.stop()


def test_a_student_takes_the_quiz_inside_the_lms_frame_and_the_score_arrives(
    server: AppServer, scene, lms: TestPlatform, open_page, screenshots
) -> None:
    teacher = open_page()
    teacher.goto(
        lms.course_page(
            LaunchSpec(
                sub="teacher-frame",
                roles=[INSTRUCTOR],
                name="Ms Okafor",
                context_id="course-frame",
                deep_linking=True,
            )
        )
    )
    dialog = teacher.frame_locator("iframe")
    dialog.get_by_label("Title").fill("Curfew quiz in the LMS")
    dialog.get_by_label("Question set").select_option(
        label="Town curfew: the full report (version 1)"
    )
    screenshots.take(teacher, "deep-linking-in-the-frame", sizes=("desktop",))
    dialog.get_by_role("button", name="Create assignment").click()
    expect(dialog.get_by_text("Item added.")).to_be_visible()
    (item,) = lms.deep_link_items
    assert item["type"] == "ltiResourceLink" and item["lineItem"]["scoreMaximum"] == 100

    student = open_page()
    student.goto(
        lms.course_page(
            LaunchSpec(
                sub="student-frame",
                roles=[LEARNER],
                name="Ada Obi",
                context_id="course-frame",
                custom=item["custom"],
                lineitem_url=lms.lineitem_url("frame"),
            )
        )
    )
    quiz = student.frame_locator("iframe")
    expect(quiz.get_by_role("heading", name="Curfew quiz in the LMS")).to_be_visible()
    quiz.get_by_role("button", name="Start").click()
    for number in range(1, QUESTIONS + 1):
        expect(quiz.locator("#progress-label")).to_have_text(f"Question {number} of {QUESTIONS}")
        frame = next(f for f in student.frames if "/attempts/" in f.url)
        attempt_id = int(re.search(r"/attempts/(\d+)/", frame.url).group(1))
        answer_with_the_mouse(quiz, presented(server.app, attempt_id, number))
        quiz.locator("button.primary[type=submit]").click()
    quiz.get_by_role("button", name="Submit my answers").click()
    expect(quiz.locator(".score")).to_be_visible(timeout=15_000)
    screenshots.take(student, "results-in-the-frame", sizes=("desktop",))

    deadline = time.monotonic() + SCORE_WAIT_SECONDS
    while not lms.scores and time.monotonic() < deadline:
        time.sleep(0.2)
    (score,) = lms.scores
    assert score["lineitem"] == "frame" and score["userId"] == "student-frame"
    assert score["scoreGiven"] == 100 and score["scoreMaximum"] == 100
    assert item["custom"][ASSIGNMENT_PARAMETER]
