"""A district's layout on loopback: two gunicorn app servers on one PostgreSQL through PgBouncer
(transaction mode), behind a round-robin proxy. Students' consecutive requests land on different
servers, one server restarts mid-class, and nothing is lost between them."""

from __future__ import annotations

import io
import itertools
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from helpers import factories
from helpers.forms import CSRF_PATTERN
from helpers.pgbouncer import require_pgbouncer
from helpers.served import ServedApp, free_loopback_port, launch_gunicorn, run_flask
from helpers.served import server_environment as school_environment
from helpers.settings import PASSWORD, SETS, app_settings, empty_postgresql_tables
from helpers.teacher import assignment_form, version_id

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Attempt, Response, User

from .proxy import BACKEND_HEADER, ERROR_HEADER, RoundRobinProxy
from .students import REQUEST_TIMEOUT, Browser, Traffic, check_every_attempt, plans, run_students

pytestmark = [pytest.mark.load, pytest.mark.postgresql]

WORKERS = 2
START_TIMEOUT = 60.0
#: How long a student keeps retrying the proxy's 502 while a server restarts.
RESTART_PATIENCE = 90.0


@dataclass
class District:
    """Two app servers on one database through PgBouncer, and an app for checking it directly."""

    servers: list[ServedApp]
    ports: list[int]
    folders: list[Path]
    environments: list[dict[str, str]]
    checker: Flask

    def start(self, index: int) -> ServedApp:
        """Start (or start again) server ``index`` and wait until it answers."""
        folder = self.folders[index]
        server = ServedApp(
            url=f"http://127.0.0.1:{self.ports[index]}",
            process=launch_gunicorn(self.environments[index], folder / "gunicorn.log"),
            app=self.checker,
            log=folder / "gunicorn.log",
            environment=self.environments[index],
        )
        if index < len(self.servers):
            self.servers[index] = server
        else:
            self.servers.append(server)
        deadline = time.monotonic() + START_TIMEOUT
        while not server.healthy():
            if server.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server {index} did not start:\n{server.log.read_text()[-3000:]}")
            time.sleep(0.2)
        return server

    def terminate(self, index: int) -> int:
        """SIGTERM server ``index``, as a deploy does, and wait for it to finish; its exit code."""
        process = self.servers[index].process
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=60)


@pytest.fixture
def district(
    request: pytest.FixtureRequest, postgresql_database: str, tmp_path: Path
) -> Iterator[District]:
    """Two gunicorn servers, 2 workers each, sharing a secret key and the database (through
    PgBouncer with QUIZAPP_DATABASE_PGBOUNCER=1); init-db run once, as a deploy would. With the
    parameter "redis", both count sign-in failures in one redis-server."""
    pgbouncer_url = require_pgbouncer()
    store = getattr(request, "param", "database")
    shared = {"QUIZAPP_REDIS_URL": request.getfixturevalue("redis_url")} if store == "redis" else {}
    checker = create_app(app_settings(postgresql_database, tmp_path))
    with checker.app_context():
        empty_postgresql_tables()
    secret_key = secrets.token_hex(32)
    ports = [free_loopback_port(), free_loopback_port()]
    while ports[1] == ports[0]:
        ports[1] = free_loopback_port()
    folders = [tmp_path / "server-a", tmp_path / "server-b"]
    environments = []
    for port, folder in zip(ports, folders, strict=True):
        folder.mkdir()
        environment = school_environment(pgbouncer_url, folder, port, WORKERS)
        environment.update(
            QUIZAPP_SECRET_KEY=secret_key,
            QUIZAPP_DATABASE_PGBOUNCER="1",
            QUIZAPP_THREADS="2",
            QUIZAPP_QUESTIONS_DIR=str(SETS),
            # 120 sign-ups from one address, more than a school's default hour allows.
            QUIZAPP_REGISTRATION_LIMIT_PER_ADDRESS="1000",
        )
        environment.update(shared)
        environments.append(environment)
    run_flask(environments[0], "init-db")
    built = District([], ports, folders, environments, checker)
    try:
        built.start(0)
        built.start(1)
        yield built
    finally:
        for server in built.servers:
            if server.process.poll() is None:
                server.process.send_signal(signal.SIGTERM)
                try:
                    server.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.process.kill()
                    server.process.wait(timeout=10)
        with checker.app_context():
            db.engine.dispose()


class AlternatingBrowser(Browser):
    """A student whose every request goes to the other server than the one before (the two
    presses of a double submit too), retrying the proxy's 502 for a server that is down."""

    refused_retries = 0

    def __init__(self, base_url: str, traffic: Traffic, retry_dropped: bool) -> None:
        super().__init__(base_url, traffic, retry_dropped)
        self.turns = itertools.count()

    def send(self, method: str, path: str, expect: tuple[int, ...], **kwargs: Any) -> Any:
        """One request through the proxy to the next server in this student's turn."""
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        deadline = time.monotonic() + RESTART_PATIENCE
        while True:
            headers = {BACKEND_HEADER: str(next(self.turns) % 2)}
            response = self.session.request(
                method, self.base_url + path, allow_redirects=False, headers=headers, **kwargs
            )
            if response.headers.get(ERROR_HEADER) != "refused":
                break
            # Nothing reached that server (it is restarting): send it again, as a load
            # balancer would, and the next turn names the other server.
            AlternatingBrowser.refused_retries += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} {path}: no server took it in {RESTART_PATIENCE} s")
            time.sleep(0.1)
        with self.traffic.lock:
            self.traffic.statuses.append(response.status_code)
        if response.status_code not in expect:
            raise AssertionError(f"{method} {path}: {response.status_code}, expected {expect}")
        return response


def test_two_servers_behind_pgbouncer_lose_nothing_when_one_restarts(district):
    """120 students, each request to the other server than the last, 10% pressing Submit twice
    at once (one press to each server); server A is restarted a third of the way in."""
    students = plans(120, "district")
    restarted: dict[str, Any] = {}

    def restart_server_a(traffic: Traffic) -> None:
        # A third of the way: each student sends at least 15 requests, sign-up is 2 of them.
        deadline = time.monotonic() + 120
        while len(traffic.statuses) < len(students) * 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        restarted["in flight"] = len(students) - traffic.finished
        restarted["exit code"] = district.terminate(0)
        district.start(0)
        restarted["requests before"] = len(traffic.statuses)

    AlternatingBrowser.refused_retries = 0
    with RoundRobinProxy(district.ports) as proxy:
        traffic = run_students(
            proxy.url,
            district.checker,
            students,
            during=restart_server_a,
            time_limit=150,
            browser_class=AlternatingBrowser,
        )
        throttled = _failed_sign_ins_on_both_servers(proxy.url, students[0].username)
    assert traffic.problems == []
    # The restart came while the class was working, and gunicorn stopped cleanly.
    assert restarted["in flight"] > 0 and restarted["exit code"] == 0
    # SIGTERM let server A finish what it had taken: the proxy saw no answer cut off, and the
    # only 5xx are its own 502s for the restarting server, each sent again.
    assert proxy.dropped == 0
    assert traffic.server_errors() == []
    assert proxy.refused == AlternatingBrowser.refused_retries
    assert min(proxy.served) > len(students) * 5, proxy.served
    check_every_attempt(district.checker, students)
    _check_no_duplicate_rows(district.checker, len(students))
    # Five failures counted together across both servers (three on A, two on B), then the wait
    # (429) on either; counted apart, neither server would have reached five. (A wait starts at
    # 5 s, which a stalled machine may outlast before the sixth try: the next one doubles it.)
    assert throttled[:5] == [200] * 5
    assert 429 in throttled[5:]


def _failed_sign_ins_on_both_servers(proxy_url: str, username: str) -> list[int]:
    """Wrong passwords for one account from a new browser, alternately on server A and B."""
    browser = requests.Session()
    statuses = []
    for turn in range(7):
        headers = {BACKEND_HEADER: str(turn % 2)}
        page = browser.get(f"{proxy_url}/account/login", headers=headers, timeout=30)
        token = CSRF_PATTERN.search(page.text)
        assert token, page.status_code
        answer = browser.post(
            f"{proxy_url}/account/login",
            data={"csrf_token": token.group(1), "username": username, "password": "not it!!"},
            headers=headers,
            allow_redirects=False,
            timeout=30,
        )
        statuses.append(answer.status_code)
    return statuses


@pytest.mark.parametrize("district", ["database", "redis"], indirect=True)
def test_sign_in_limits_and_device_cookies_hold_across_servers(district):
    """Failures sent alternately to both servers are counted together, in the database or in
    Redis; a browser that signed in to the account on server A is still let in on server B."""
    app = district.checker
    factories.make_user(app, "ana")
    with RoundRobinProxy(district.ports) as proxy:
        own_browser = requests.Session()
        for backend in ("0", "1"):
            headers = {BACKEND_HEADER: backend}
            page = own_browser.get(f"{proxy.url}/account/login", headers=headers, timeout=30)
            token = CSRF_PATTERN.search(page.text)
            assert token
            signed_in = own_browser.post(
                f"{proxy.url}/account/login",
                data={"csrf_token": token.group(1), "username": "ana", "password": PASSWORD},
                headers=headers,
                allow_redirects=False,
                timeout=30,
            )
            assert signed_in.status_code == 302, backend
            if backend == "0":
                own_browser.cookies.pop("session", None)  # signed out; the device cookie stays
                throttled = _failed_sign_ins_on_both_servers(proxy.url, "ana")
    assert throttled[:5] == [200] * 5
    assert 429 in throttled[5:]


def _check_no_duplicate_rows(app: Flask, students: int) -> None:
    """One user and one attempt per student, one response per question of an attempt."""
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == students
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == students
        pairs = sa.select(Response.attempt_id, Response.question_id).distinct().subquery()
        distinct = db.session.scalar(sa.select(sa.func.count()).select_from(pairs))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
        assert distinct == total


MINI = (SETS / "civics-mini.yaml").read_bytes()
SOURCE = (SETS / "sources" / "town-meeting.txt").read_bytes()
OLD_PROMPT = b"Which amendment protects the right to assemble?"
NEW_PROMPT = b"Which amendment of the Constitution protects the right to assemble?"


def _district_set(prompt: bytes) -> bytes:
    return MINI.replace(b"id: civics-mini", b"id: district-curfew").replace(OLD_PROMPT, prompt)


def _signed_in(base_url: str, username: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base_url}/account/login", timeout=30)
    token = CSRF_PATTERN.search(page.text)
    assert token
    answer = browser.post(
        f"{base_url}/account/login",
        data={"csrf_token": token.group(1), "username": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text
    return browser


def _token(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    token = CSRF_PATTERN.search(page.text)
    assert token, url
    return token.group(1)


def _all_questions(browser: requests.Session, base_url: str, attempt_id: int) -> str:
    pages = [
        browser.get(f"{base_url}/attempts/{attempt_id}/questions/{number}", timeout=30)
        for number in range(1, 7)
    ]
    assert [page.status_code for page in pages] == [200] * 6
    return "".join(page.text for page in pages)


def test_a_version_published_on_one_server_is_served_by_the_other(district):
    """A teacher stages a new version of her set on server B, publishes it and switches her
    assignment to it on server A; server B, whose caches saw the old version, starts the next
    attempt on the new one and shows its changed question."""
    server_a, server_b = (server.url for server in district.servers)
    app = district.checker
    teacher = factories.make_user(app, "ms-rivera", role="teacher")
    first = factories.make_user(app, "early-student")
    second = factories.make_user(app, "late-student")
    classroom = factories.make_class(app, teacher)
    for student in (first, second):
        factories.join_class(app, student, classroom)
    old_version = factories.publish_set(
        app, teacher, "district.yaml", _district_set(OLD_PROMPT), {"town-meeting.txt": SOURCE}
    )
    assignment = factories.make_assignment(app, classroom, set_slug="district-curfew")
    start = f"/assignments/{assignment.id}/start"

    early = _signed_in(server_b, "early-student")
    started = early.post(
        server_b + start, data={"csrf_token": _token(early, server_b + "/")}, timeout=30
    )
    assert started.status_code == 200, started.status_code
    early_attempt = int(re.search(r"/attempts/(\d+)/", started.url).group(1))
    assert OLD_PROMPT.decode() in _all_questions(early, server_b, early_attempt)

    ms_rivera = _signed_in(server_a, "ms-rivera")
    staged = ms_rivera.post(
        server_b + "/teach/upload",
        data={"csrf_token": _token(ms_rivera, server_b + "/teach/upload")},
        files=[
            ("question_file", ("district.yaml", io.BytesIO(_district_set(NEW_PROMPT)))),
            ("source_files", ("town-meeting.txt", io.BytesIO(SOURCE))),
        ],
        allow_redirects=False,
        timeout=30,
    )
    assert staged.status_code == 302, staged.text
    preview = staged.headers["Location"]
    preview_on_a = server_a + preview if preview.startswith("/") else preview
    published = ms_rivera.post(
        preview_on_a + "/publish",
        data={"csrf_token": _token(ms_rivera, preview_on_a)},
        allow_redirects=False,
        timeout=30,
    )
    assert published.status_code == 302, published.text
    new_version = version_id(app, "district-curfew", 2)
    edit = f"{server_a}/teach/assignments/{assignment.id}/edit"
    switched = ms_rivera.post(
        edit,
        data={
            "csrf_token": _token(ms_rivera, edit),
            **assignment_form(app, version_id=new_version),
        },
        allow_redirects=False,
        timeout=30,
    )
    assert switched.status_code == 302, switched.text

    late = _signed_in(server_b, "late-student")
    started = late.post(server_b + start, data={"csrf_token": _token(late, server_b + "/")})
    assert started.status_code == 200, started.status_code
    late_attempt = int(re.search(r"/attempts/(\d+)/", started.url).group(1))
    shown = _all_questions(late, server_b, late_attempt)
    assert NEW_PROMPT.decode() in shown and OLD_PROMPT.decode() not in shown
    with app.app_context():
        versions = {
            attempt.id: attempt.version_id
            for attempt in db.session.scalars(sa.select(Attempt)).all()
        }
    assert versions == {early_attempt: old_version, late_attempt: new_version}
