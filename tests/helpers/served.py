"""The app served by a real gunicorn on loopback: what load and browser tests share."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import requests
from flask import Flask

from quizapp import create_app
from quizapp.extensions import db

from .settings import PROJECT, SETS, app_settings


def launch_gunicorn(environment: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start gunicorn with the project's gunicorn.conf.py, as a school would, logging to ``log``."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=PROJECT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def server_environment(
    database_url: str, instance: Path, port: int, workers: int
) -> dict[str, str]:
    """What a school would export (a secret key, the database, the questions to import), with
    none of the caller's own QUIZAPP_ settings."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("QUIZAPP_")
    }
    environment.update(
        QUIZAPP_SECRET_KEY=secrets.token_hex(32),
        QUIZAPP_DATABASE_URL=database_url,
        QUIZAPP_INSTANCE_PATH=str(instance),
        QUIZAPP_QUESTIONS_DIR=str(SETS),
        # The OWASP ASVS minimum for argon2id: quick sign-ins (sixty at once on two cores in the
        # load tests), still argon2id.
        QUIZAPP_PASSWORD_HASH_MEMORY_KIB=str(19 * 1024),
        QUIZAPP_PASSWORD_HASH_TIME_COST="2",
        QUIZAPP_PASSWORD_HASH_PARALLELISM="1",
        QUIZAPP_BIND=f"127.0.0.1:{port}",
        QUIZAPP_WORKERS=str(workers),
        QUIZAPP_ACCESS_LOG=str(instance / "access.log"),
    )
    return environment


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ServedApp:
    """A gunicorn master serving the app, and an in-process app on the same database."""

    url: str
    process: subprocess.Popen[bytes]
    app: Flask
    log: Path
    environment: dict[str, str] = field(repr=False)

    @classmethod
    def launch(cls, environment: dict[str, str], folder: Path) -> Self:
        """Start gunicorn with ``environment`` (logging into ``folder``), and an in-process app
        on the same database; the caller waits for it to be ready."""
        log = folder / "gunicorn.log"
        return cls(
            url=f"http://{environment['QUIZAPP_BIND']}",
            process=launch_gunicorn(environment, log),
            app=create_app(app_settings(environment["QUIZAPP_DATABASE_URL"], folder)),
            log=log,
            environment=environment,
        )

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


def run_flask(environment: dict[str, str], *arguments: str) -> str:
    """``flask --app quizapp ...`` in the project folder; fails the test if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "quizapp", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"flask {' '.join(arguments)}:\n{done.stdout}{done.stderr}"
    return done.stdout
