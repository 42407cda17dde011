"""The app served by a real gunicorn on loopback: what load and browser tests share."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import requests
from flask import Flask

from quizapp.extensions import db

PROJECT = Path(__file__).resolve().parent.parent


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
