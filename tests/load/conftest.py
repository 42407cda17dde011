"""Fixtures for load tests: the app under gunicorn on a free loopback port, on a fresh database.

The database is a new SQLite file, or the PostgreSQL test database emptied, when
QUIZAPP_TEST_DATABASE_URL is set; ``flask init-db`` prepares it as a school would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.served import ServedApp, free_loopback_port, run_flask, server_environment
from helpers.settings import TEST_DATABASE_URL, app_settings, empty_postgresql_tables

from quizapp import create_app
from quizapp.extensions import db

WORKERS = 4
START_TIMEOUT = 30.0


def _alive(pid: int) -> bool:
    """Whether a process runs: a killed worker stays a zombie child until the master reaps it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@dataclass
class Server(ServedApp):
    """A gunicorn master serving the app, and an in-process app on the same database."""

    def worker_pids(self) -> set[int]:
        """The master's worker processes now."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split() if _alive(int(pid))}

    def wait_for_workers(
        self, count: int, timeout: float = START_TIMEOUT, gone: Collection[int] = ()
    ) -> set[int]:
        """Wait until ``count`` workers run, none of them in ``gone`` (a killed worker takes a
        moment to die), and the app answers; return their pids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            pids = self.worker_pids()
            if len(pids) == count and not pids & set(gone) and self.healthy():
                return pids
            time.sleep(0.1)
        pytest.fail(f"gunicorn did not start {count} workers:\n{self.log.read_text()[-3000:]}")


@pytest.fixture
def start_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Server]]:
    """Factory: init-db on a fresh database, then gunicorn with 4 workers on loopback."""
    started: list[Server] = []

    def start() -> Server:
        if TEST_DATABASE_URL:
            database_url = request.getfixturevalue("postgresql_database")
            cleaner = create_app(app_settings(database_url, tmp_path))
            with cleaner.app_context():
                empty_postgresql_tables()
                db.engine.dispose()
        else:
            database_url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
        port = free_loopback_port()
        environment = server_environment(database_url, tmp_path, port, WORKERS)
        run_flask(environment, "init-db")
        server = Server.launch(environment, tmp_path)
        started.append(server)
        server.wait_for_workers(WORKERS)
        return server

    yield start
    for server in started:
        server.stop()
