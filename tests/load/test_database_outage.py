"""PostgreSQL stops for a few seconds while students work: 503s meanwhile, 200s right after."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from helpers.settings import IN_CI, PASSWORD, TEST_DATABASE_URL
from sqlalchemy.engine import make_url

from .students import Browser, Traffic

pytestmark = [pytest.mark.load, pytest.mark.postgresql]

STUDENTS = 6
DOWN_FOR = 3.0
RECOVERY = 1.0


@dataclass(frozen=True)
class Sample:
    """One request: when it was sent and answered, and how."""

    sent: float
    answered: float
    status: int
    retry_after: str | None


def cluster_of(url: str) -> list[str]:
    """``[version, name]`` of the local cluster that serves ``url``, for pg_ctlcluster."""
    port = str(make_url(url).port or 5432)
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    )
    for line in listing.stdout.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return [version, name]
    raise LookupError(f"no local cluster on port {port}")


@pytest.fixture
def cluster(postgresql_url: str) -> Iterator[list[str]]:
    """The cluster to stop and start (root is needed); started again whatever happens."""
    found = None
    if shutil.which("pg_ctlcluster") and shutil.which("pg_lsclusters"):
        try:
            found = cluster_of(postgresql_url)
        except (LookupError, subprocess.CalledProcessError):
            found = None
    if found is None:
        message = "this test stops the local PostgreSQL server with pg_ctlcluster, as root"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    yield found
    subprocess.run(["pg_ctlcluster", *found, "start"], capture_output=True, check=False)


def test_pages_answer_503_while_postgresql_is_down_and_200_within_a_second_of_its_return(
    start_server, cluster
):
    assert TEST_DATABASE_URL
    server = start_server()
    traffic = Traffic()
    browsers = []
    for n in range(STUDENTS):
        browser = Browser(server.url, traffic, retry_dropped=False)
        account = {"username": f"steady{n}", "password": PASSWORD, "confirm": PASSWORD}
        browser.post("/account/register", account)
        started = browser.post("/quizzes/civics-mini/start", {}, page="/")
        browsers.append((browser, started.headers["Location"]))

    samples: list[Sample] = []
    stop = threading.Event()

    def keep_reading(browser: Browser, page: str) -> None:
        deadline = time.monotonic() + 60  # bounded even if the main thread fails
        while not stop.is_set() and time.monotonic() < deadline:
            sent = time.monotonic()
            response = browser.session.get(server.url + page, allow_redirects=False, timeout=30)
            samples.append(
                Sample(
                    sent,
                    time.monotonic(),
                    response.status_code,
                    response.headers.get("Retry-After"),
                )
            )
            time.sleep(0.05)

    readers = [threading.Thread(target=keep_reading, args=pair) for pair in browsers]
    for reader in readers:
        reader.start()
    try:
        time.sleep(1.0)
        # The server refuses new work as soon as it starts stopping, which can take most of a
        # second (a checkpoint first): pages may answer 503 from here, before the stop returns.
        stopping = time.monotonic()
        subprocess.run(["pg_ctlcluster", *cluster, "stop", "-m", "fast"], check=True, timeout=60)
        down = time.monotonic()
        health_while_down = requests.get(f"{server.url}/healthz", timeout=10)
        time.sleep(DOWN_FOR)
        restarting = time.monotonic()
        subprocess.run(["pg_ctlcluster", *cluster, "start"], check=True, timeout=60)
        up = time.monotonic()
        time.sleep(RECOVERY + 2.0)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)

    def timeline(chosen: list[Sample]) -> str:
        """The samples as seconds from the stop, for the failure message."""
        return ", ".join(f"{s.sent - down:+.2f}s:{s.status}" for s in chosen)

    assert health_while_down.status_code == 503
    assert {sample.status for sample in samples} <= {200, 503}, timeline(samples)
    while_down = [s for s in samples if s.sent > down and s.answered < restarting]
    assert while_down, "no request was made while the database was down"
    assert all(s.status == 503 and s.retry_after == "5" for s in while_down), timeline(while_down)
    after_return = [s for s in samples if s.sent > up + RECOVERY]
    assert after_return, "no request was made after the database came back"
    assert all(s.status == 200 for s in after_return), (
        f"back at {up - down:+.2f}s: {timeline(after_return)}"
    )
    before = [s for s in samples if s.answered < stopping]
    assert before, "no request was answered before the database stopped"
    assert all(s.status == 200 for s in before), timeline(before)
