"""CPU time per request in one process, without gunicorn or wrk: ``bench/cpu.py [ROW ...]``.

On a shared machine throughput moves with the load; the CPU time a request takes moves much
less. This builds the bench's data (bench.py's ``prepare_data``) on a SQLite file in a temporary
folder, then replays each row's requests straight into the app's WSGI callable and reports the
median of ``--rounds`` rounds of ``--requests`` requests, timed with ``time.process_time()``.
``--profile ROW`` prints that row's cProfile (sorted by ``--sort``, the top ``--lines``).
``--interleave`` alternates the rows' rounds: ``bench/cpu.py --interleave question_page
question_page_es`` compares the question page in English and in Spanish under the same load.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # the bench's data and request files

#: Rows replayed here; the names of bench.py's request files.
ROWS = (
    "health_anonymous",
    "health_signed_in",
    "question_page",
    "question_page_es",
    "save_answer",
    "submit",
    "results_page",
    "results_page_150",
)


def environs(requests_file: str, accept_language: str = "") -> list[dict[str, Any]]:
    """The WSGI environments of a request file's lines (asking for ``accept_language``)."""
    built = []
    for method, path, cookie, body in bench.read_requests(requests_file):
        headers = {"Cookie": cookie, "User-Agent": bench.USER_AGENT} if cookie else {}
        if accept_language:
            headers["Accept-Language"] = accept_language
        builder = EnvironBuilder(
            path=path,
            method=method,
            headers=headers,
            data=body or None,
            content_type="application/x-www-form-urlencoded" if body else None,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        built.append(builder.get_environ())
    return built


def call(app: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> str:
    """Run one request through the app and read its body, as a server would; its status."""
    status: list[str] = []

    def start_response(line: str, headers: list[Any], exc_info: Any = None) -> None:
        status.append(line)

    body = app(environ, start_response)
    try:
        for _ in body:
            pass
    finally:
        close = getattr(body, "close", None)
        if close:
            close()
    return status[0]


def answers_in(app: Callable[..., Iterable[bytes]], environ: dict[str, Any], language: str) -> None:
    """Stop unless the app answers the request in ``language`` (its ``<html lang>``)."""
    chunks: list[bytes] = []
    body = app(fresh(environ), lambda status, headers, exc_info=None: chunks.append)
    chunks += list(body)
    getattr(body, "close", lambda: None)()
    if f'<html lang="{language}"'.encode() not in b"".join(chunks):
        raise SystemExit(f"{environ['PATH_INFO']} is not in the language {language}")


def fresh(environ: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``environ`` with its body stream rewound (a body is read once)."""
    copy = dict(environ)
    stream = environ["wsgi.input"]
    stream.seek(0)
    copy["wsgi.input"] = io.BytesIO(stream.read())
    return copy


def time_row(
    app: Any, requests: Iterator[dict[str, Any]], count: int, profiler: cProfile.Profile | None
) -> float:
    """Milliseconds of CPU per request over the next ``count`` of ``requests``."""
    total = 0.0
    for _ in range(count):
        environ = fresh(next(requests))
        start = time.process_time()
        if profiler:
            profiler.enable()
        status = call(app, environ)
        if profiler:
            profiler.disable()
        total += time.process_time() - start
        if not status.startswith(("200", "302")):
            raise SystemExit(f"{environ['PATH_INFO']} answered {status}")
    return 1000 * total / count


def main(argv: list[str] | None = None) -> int:
    """Build the data, then print each row's CPU milliseconds per request."""
    parser = argparse.ArgumentParser(prog="bench/cpu.py", description=__doc__)
    parser.add_argument("rows", nargs="*", default=list(ROWS), help="rows to time")
    parser.add_argument("--requests", type=int, default=400, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median is shown")
    parser.add_argument(
        "--interleave",
        action="store_true",
        help="alternate the rows' rounds (compare rows under the same load), and print each "
        "row's ratio to the first",
    )
    parser.add_argument("--profile", help="print this row's cProfile")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    parser.add_argument("--lines", type=int, default=30, help="cProfile lines to print")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quizapp-profile-") as temporary:
        folder = Path(temporary)
        environment = bench.server_environment(folder, 0)
        bench.init_db(environment)
        pool = args.requests * (args.rounds + 1) + 10
        files = bench.prepare_data(environment, folder, pool)
        os.environ.update(environment)
        from quizapp import create_app

        app = create_app()
        wsgi = app.wsgi_app
        profilers: dict[str, cProfile.Profile] = {}
        languages = {row.key: row.accept_language for row in bench.ROWS}
        requests: dict[str, Iterator[dict[str, Any]]] = {}
        for row in dict.fromkeys(args.rows):
            files.refresh_sessions(row)
            # A submission is new only once: the pool holds enough for every round.
            built = environs(files[row], languages.get(row, ""))
            if languages.get(row):
                answers_in(wsgi, built[0], languages[row])
            requests[row] = itertools.cycle(built)
        rows = list(requests)
        # Interleaved: round 1 of every row, then round 2..., so rows compared (English and
        # Spanish) see the same load; else each row's rounds one after another.
        order = (
            [row for _ in range(args.rounds) for row in rows]
            if args.interleave
            else [row for row in rows for _ in range(args.rounds)]
        )
        rounds: dict[str, list[float]] = {row: [] for row in rows}
        warmed: set[str] = set()
        for row in order:
            if row not in warmed:
                time_row(wsgi, requests[row], min(50, args.requests), None)
                warmed.add(row)
            profiler = (
                profilers.setdefault(row, cProfile.Profile()) if row == args.profile else None
            )
            rounds[row].append(time_row(wsgi, requests[row], args.requests, profiler))
            if len(rounds[row]) == args.rounds:
                print(
                    f"{row:<20} {statistics.median(rounds[row]):7.3f} ms CPU per request",
                    flush=True,
                )
        if args.interleave and len(rows) > 1:
            base = statistics.median(rounds[rows[0]])
            for row in rows[1:]:
                ratio = statistics.median(rounds[row]) / base
                print(f"{row} / {rows[0]}: {ratio:.3f}", flush=True)
        if args.profile in profilers:
            stats = pstats.Stats(profilers[args.profile], stream=sys.stdout)
            stats.sort_stats(args.sort).print_stats(args.lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
