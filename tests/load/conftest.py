"""Fixtures for load tests: the app under gunicorn on a free loopback port, on a fresh database.

The database is a new SQLite file, or the PostgreSQL test database emptied, when
QUIZAPP_TEST_DATABASE_URL is set; ``flask init-db`` prepares it as a school would.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from conftest import PROJECT, SETS, TEST_DATABASE_URL, app_settings, empty_postgresql_tables
from flask import Flask

from quizapp import create_app
from quizapp.extensions import db

WORKERS = 4
START_TIMEOUT = 30.0


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A gunicorn master serving the app, and an in-process app on the same database."""

    url: str
    process: subprocess.Popen[bytes]
    app: Flask
    log: Path
    environment: dict[str, str] = field(repr=False)

    def worker_pids(self) -> set[int]:
        """The master's worker processes now."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def wait_for_workers(self, count: int, timeout: float = START_TIMEOUT) -> set[int]:
        """Wait until ``count`` workers run and the app answers; return their pids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            pids = self.worker_pids()
            if len(pids) == count and self.healthy():
                return pids
            time.sleep(0.1)
        pytest.fail(f"gunicorn did not start {count} workers:\n{self.log.read_text()[-3000:]}")

    def healthy(self) -> bool:
        """Whether /healthz answers 200."""
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        """Stop gunicorn gracefully, or kill it after a while."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        with self.app.app_context():
            db.engine.dispose()


def server_environment(database_url: str, instance: Path, port: int) -> dict[str, str]:
    """What a school would export: a secret key, the database, and the questions to import."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("QUIZAPP_")
    }
    environment.update(
        QUIZAPP_SECRET_KEY=secrets.token_hex(32),
        QUIZAPP_DATABASE_URL=database_url,
        QUIZAPP_INSTANCE_PATH=str(instance),
        QUIZAPP_QUESTIONS_DIR=str(SETS),
        # The OWASP ASVS minimum for argon2id, for speed: sixty sign-ups at once on two cores.
        QUIZAPP_PASSWORD_HASH_MEMORY_KIB=str(19 * 1024),
        QUIZAPP_PASSWORD_HASH_TIME_COST="2",
        QUIZAPP_PASSWORD_HASH_PARALLELISM="1",
        QUIZAPP_BIND=f"127.0.0.1:{port}",
        QUIZAPP_WORKERS=str(WORKERS),
        QUIZAPP_ACCESS_LOG=str(instance / "access.log"),
    )
    return environment


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
        environment = server_environment(database_url, tmp_path, port)
        prepared = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "quizapp", "init-db"],
            cwd=PROJECT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert prepared.returncode == 0, prepared.stdout + prepared.stderr
        log = tmp_path / "gunicorn.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                cwd=PROJECT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        server = Server(
            url=f"http://127.0.0.1:{port}",
            process=process,
            app=create_app(app_settings(database_url, tmp_path)),
            log=log,
            environment=environment,
        )
        started.append(server)
        server.wait_for_workers(WORKERS)
        return server

    yield start
    for server in started:
        server.stop()
