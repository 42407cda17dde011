"""Sixty students take the quiz at once against gunicorn with four workers; one worker dies."""

from __future__ import annotations

import dataclasses
import os
import signal
import time

import pytest
import requests
from helpers.forms import CSRF_PATTERN

from .students import Traffic, check_every_attempt, plans, run_students

pytestmark = pytest.mark.load


def test_sixty_students_at_once_get_no_server_error_and_keep_every_answer(start_server):
    server = start_server()
    students = plans(60, "student")
    traffic = run_students(server.url, server.app, students)
    assert traffic.problems == []
    assert traffic.server_errors() == []
    assert traffic.dropped_connections == 0
    # Every student's pages: sign-up, start, answers, submission, results.
    assert len(traffic.statuses) > 60 * 15
    check_every_attempt(server.app, students)


def test_a_killed_worker_is_replaced_and_no_submission_is_lost(start_server):
    server = start_server()
    before = server.worker_pids()
    students = plans(24, "survivor")
    killed: list[int] = []

    def kill_a_worker_mid_run(traffic: Traffic) -> None:
        # A third of the way in, whatever the machine's speed: sign-ups are done, answers are
        # being saved, and submissions are still to come (each student sends at least 15
        # requests). A fixed delay could fall after the end on a fast run.
        deadline = time.monotonic() + 60
        while len(traffic.statuses) < len(students) * 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    traffic = run_students(
        server.url, server.app, students, retry=True, during=kill_a_worker_mid_run
    )
    after = server.wait_for_workers(len(before), gone=killed)
    assert killed and killed[0] not in after
    assert after - before, "gunicorn started no new worker"
    assert traffic.problems == []
    assert traffic.server_errors() == []
    check_every_attempt(server.app, students)


#: Bounds on the hostile client: it stops when the class is done, or at these limits.
HOSTILE_REQUESTS, HOSTILE_SECONDS = 600, 150


def test_a_hostile_classmate_cannot_keep_the_class_from_signing_in(start_server):
    """While 60 students sign up, sign out and sign in again (half of them in a new browser),
    a classmate on the same shared address sends failed sign-ins for one student's account and
    for made-up ones. Every student still signs in and submits."""
    server = start_server()
    students = [
        dataclasses.replace(
            plan, sign_in_again="same browser" if number % 2 == 0 else "new browser"
        )
        for number, plan in enumerate(plans(60, "signin"))
    ]
    target = students[0].username  # signs in again from the browser she signed up in
    hostile_statuses: list[int] = []
    hostile = requests.Session()

    def fail_a_sign_in(number: int) -> None:
        page = hostile.get(f"{server.url}/account/login", timeout=30)
        token = CSRF_PATTERN.search(page.text)
        assert token, "no CSRF token on the sign-in page"
        account = target if number % 3 else f"made-up-{number % 7}"
        answer = hostile.post(
            f"{server.url}/account/login",
            data={"csrf_token": token.group(1), "username": account, "password": "guess!!!"},
            allow_redirects=False,
            timeout=30,
        )
        hostile_statuses.append(answer.status_code)

    def hostile_classmate(traffic: Traffic) -> None:
        deadline = time.monotonic() + HOSTILE_SECONDS
        for number in range(HOSTILE_REQUESTS):
            if traffic.finished == len(students) or time.monotonic() > deadline:
                break
            fail_a_sign_in(number)

    # The attack starts before the lesson, so the target's account is slowed for everyone
    # without her device cookie when the class arrives, and goes on during it.
    for number in range(30):
        fail_a_sign_in(number)
    traffic = run_students(server.url, server.app, students, during=hostile_classmate)
    assert traffic.problems == []
    assert traffic.server_errors() == []
    check_every_attempt(server.app, students)
    # The attack was real: it ran alongside the class and was itself slowed down.
    assert len(hostile_statuses) > 30
    assert 429 in hostile_statuses
    assert not [status for status in hostile_statuses if status >= 500]
