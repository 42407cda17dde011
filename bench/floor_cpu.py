#!/usr/bin/env python3
"""CPU time per request of the required stack's floor, in one process: ``bench/floor_cpu.py``.

The issue's ratios compare each page with a bare Flask route. This replays, straight into each
WSGI callable as ``bench/cpu.py`` does, the bare route (``bench/hello.py``) and the floor's
``/ping`` (``bench/floor.py``: Flask, Flask-SQLAlchemy, Flask-Login, Flask-WTF, one ``SELECT 1``),
without a cookie and with a Flask-Login session cookie (so Flask-Login loads the user row), and
prints the median CPU milliseconds per request of each and its ratio to the bare route: what the
required stack alone allows a signed-in page, before any code of the app's own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def environ(path: str, cookie: str = "") -> dict[str, Any]:
    """The WSGI environment of a GET of ``path``, with a cookie header if given."""
    headers = {"Cookie": cookie} if cookie else {}
    builder = EnvironBuilder(path=path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    try:
        return builder.get_environ()
    finally:
        builder.close()


def cpu_ms(app: Callable[..., Any], base: dict[str, Any], requests: int) -> float:
    """CPU milliseconds per request of ``requests`` GETs of one environment."""

    def start_response(status: str, headers: list[Any], exc_info: Any = None) -> None:
        assert status.startswith("200"), status

    started = time.process_time()
    for _ in range(requests):
        body = app(dict(base), start_response)
        for _chunk in body:
            pass
        getattr(body, "close", lambda: None)()
    return 1000 * (time.process_time() - started) / requests


def main() -> None:
    """Time the three rows in alternating rounds and print their medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizapp-floor-") as folder:
        os.environ["QUIZAPP_FLOOR_DATABASE"] = str(Path(folder) / "floor.db")
        import floor
        import hello

        rows = {
            "bare Flask route": (hello.app, environ("/")),
            "floor, anonymous": (floor.app, environ("/ping")),
            "floor, signed in": (floor.app, environ("/ping", floor.session_cookie())),
        }
        times: dict[str, list[float]] = {name: [] for name in rows}
        for app, base in rows.values():
            cpu_ms(app, base, 200)  # warm-up
        for _ in range(arguments.rounds):
            for name, (app, base) in rows.items():
                times[name].append(cpu_ms(app, base, arguments.requests))
    bare = statistics.median(times["bare Flask route"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:20s} {median:6.3f} ms   ratio {bare / median:4.2f}")


if __name__ == "__main__":
    main()
