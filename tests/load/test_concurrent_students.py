"""Sixty students take the quiz at once against gunicorn with four workers; one worker dies."""

from __future__ import annotations

import os
import signal
import time

import pytest

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
