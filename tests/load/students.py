"""Simulated students: each a browser with its own cookies, taking the quiz through the pages."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests
import sqlalchemy as sa
from flask import Flask
from helpers.forms import CSRF_PATTERN
from helpers.quiz import correct_form_data, presented
from helpers.settings import PASSWORD

from quizapp.extensions import db
from quizapp.models import Attempt, Response, User
from quizapp.services.question_sets import version_questions

SLUG = "civics-mini"
QUESTIONS = 6
REQUEST_TIMEOUT = 60.0
ATTEMPT_IN_LOCATION = re.compile(r"/attempts/(\d+)/questions/1$")


@dataclass
class Traffic:
    """Every status code seen, and what went wrong, across all students (thread-safe)."""

    statuses: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dropped_connections: int = 0
    client_timeouts: int = 0
    #: Students done (whether or not all went well).
    finished: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def server_errors(self) -> list[int]:
        """The 5xx answers."""
        return [status for status in self.statuses if status >= 500]


@dataclass(frozen=True)
class Plan:
    """What one student does: which questions to skip, and how to submit."""

    username: str
    skipped: frozenset[int]
    double_submit: bool = False
    retry_after_timeout: bool = False
    #: After signing up, sign out and in again: "same browser" (with its device cookie) or
    #: "new browser" (without one); None: stay signed in.
    sign_in_again: str | None = None


def plans(count: int, prefix: str) -> list[Plan]:
    """``count`` students; 10% submit twice at once and 5% retry after a client-side timeout."""
    return [
        Plan(
            username=f"{prefix}{n:03d}",
            # Skipped questions score 0, so each student expects a score of their own.
            skipped=frozenset(q for q in range(1, QUESTIONS + 1) if (n + q) % 4 == 0),
            double_submit=n % 10 == 3,
            retry_after_timeout=n % 20 == 7,
        )
        for n in range(count)
    ]


class Browser:
    """One student's cookie session against the server, recording every answer."""

    def __init__(self, base_url: str, traffic: Traffic, retry_dropped: bool) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.traffic = traffic
        self.retry_dropped = retry_dropped

    def send(self, method: str, path: str, expect: tuple[int, ...], **kwargs: Any) -> Any:
        """One request; a dropped connection is retried when the test expects drops."""
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        for _ in range(5):
            try:
                response = self.session.request(
                    method, self.base_url + path, allow_redirects=False, **kwargs
                )
            except requests.ConnectionError as error:
                with self.traffic.lock:
                    self.traffic.dropped_connections += 1
                if not self.retry_dropped:
                    raise AssertionError(f"{method} {path}: {error}") from error
                time.sleep(0.2)
                continue
            with self.traffic.lock:
                self.traffic.statuses.append(response.status_code)
            if response.status_code not in expect:
                raise AssertionError(f"{method} {path}: {response.status_code}, expected {expect}")
            return response
        raise AssertionError(f"{method} {path}: the connection kept dropping")

    def token(self, path: str) -> str:
        """The CSRF token from a page's form."""
        match = CSRF_PATTERN.search(self.send("GET", path, (200,)).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post(self, path: str, data: dict[str, Any], page: str | None = None, **kwargs: Any) -> Any:
        """Submit a form the way a browser does: token from the page, then POST."""
        token = self.token(page or path)
        expect = kwargs.pop("expect", (302,))
        return self.send("POST", path, expect, data={"csrf_token": token, **data}, **kwargs)


def take_quiz(
    server_url: str,
    app: Flask,
    plan: Plan,
    traffic: Traffic,
    retry: bool,
    browser_class: type[Browser] = Browser,
) -> None:
    """Register, start the quiz, answer every planned question, submit, read the results."""
    browser = browser_class(server_url, traffic, retry)
    account = {"username": plan.username, "password": PASSWORD, "confirm": PASSWORD}
    registered = browser.post("/account/register", account, expect=(200, 302))
    if registered.status_code == 200:  # a retried sign-up whose first try went through
        browser.post("/account/login", {"username": plan.username, "password": PASSWORD})
    if plan.sign_in_again is not None:
        browser.post("/account/logout", {}, page="/")
        if plan.sign_in_again == "new browser":
            browser = browser_class(server_url, traffic, retry)
        browser.post("/account/login", {"username": plan.username, "password": PASSWORD})
    started = browser.post(f"/quizzes/{SLUG}/start", {}, page="/")
    match = ATTEMPT_IN_LOCATION.search(started.headers["Location"])
    assert match, started.headers["Location"]
    attempt_id = int(match.group(1))
    for number in range(1, QUESTIONS + 1):
        if number in plan.skipped:
            continue
        answer = correct_form_data(presented(app, attempt_id, number))
        browser.post(f"/attempts/{attempt_id}/questions/{number}", {**answer, "nav": "next"})
    submit = f"/attempts/{attempt_id}/submit"
    review = f"/attempts/{attempt_id}/review"
    if plan.double_submit:
        token = browser.token(review)
        both = threading.Barrier(2)

        def press() -> None:
            both.wait(timeout=30)
            browser.send("POST", submit, (302,), data={"csrf_token": token})

        with ThreadPoolExecutor(2) as pair:
            for done in [pair.submit(press), pair.submit(press)]:
                done.result()
    elif plan.retry_after_timeout:
        token = browser.token(review)
        try:
            # The client gives up at once; the server still handles the submission.
            browser.session.post(
                browser.base_url + submit,
                data={"csrf_token": token},
                allow_redirects=False,
                timeout=(5, 0.001),
            )
        except requests.Timeout:
            with traffic.lock:
                traffic.client_timeouts += 1
        browser.send("POST", submit, (302,), data={"csrf_token": token})
    else:
        browser.post(submit, {}, page=review)
    browser.send("GET", f"/attempts/{attempt_id}/results", (200,))


def run_students(
    server_url: str,
    app: Flask,
    students: list[Plan],
    retry: bool = False,
    during: Callable[[Traffic], None] | None = None,
    time_limit: float = 180.0,
    browser_class: type[Browser] = Browser,
) -> Traffic:
    """All students at once, each in its own thread; ``during`` runs meanwhile, in this one,
    and may watch the traffic so far. Each student browses as a ``browser_class``."""
    traffic = Traffic()
    start_together = threading.Barrier(len(students))

    def student(plan: Plan) -> None:
        start_together.wait(timeout=30)
        try:
            take_quiz(server_url, app, plan, traffic, retry, browser_class)
        except Exception as error:
            with traffic.lock:
                traffic.problems.append(f"{plan.username}: {error}")
        finally:
            with traffic.lock:
                traffic.finished += 1

    with ThreadPoolExecutor(len(students)) as pool:
        futures = [pool.submit(student, plan) for plan in students]
        if during is not None:
            during(traffic)
        deadline = time.monotonic() + time_limit
        for future in futures:
            future.result(timeout=max(0.1, deadline - time.monotonic()))
    return traffic


def expected_score(attempt: Attempt, plan: Plan) -> float:
    """The points of the questions this student answered (all correctly)."""
    questions = version_questions(attempt.version)
    return float(
        sum(
            questions[question_id].points
            for number, question_id in enumerate(attempt.question_ids, start=1)
            if number not in plan.skipped
        )
    )


def check_every_attempt(app: Flask, students: list[Plan]) -> None:
    """Each student: one account, exactly one submitted attempt, the expected score, no dupes."""
    with app.app_context():
        for plan in students:
            users = db.session.scalars(sa.select(User).where(User.username == plan.username)).all()
            assert len(users) == 1, plan.username
            attempts = db.session.scalars(
                sa.select(Attempt).where(Attempt.user_id == users[0].id)
            ).all()
            assert len(attempts) == 1, f"{plan.username} has {len(attempts)} attempts"
            attempt = attempts[0]
            assert attempt.submitted_at is not None, f"{plan.username} lost the submission"
            assert attempt.score == expected_score(attempt, plan), plan.username
            question_ids = db.session.scalars(
                sa.select(Response.question_id).where(Response.attempt_id == attempt.id)
            ).all()
            assert sorted(question_ids) == sorted(attempt.question_ids), plan.username
