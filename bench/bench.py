"""Benchmark Civics Quiz under gunicorn on loopback with wrk, against a bare Flask route.

Run it as ``bench/run`` (about 3 minutes) or ``bench/run --quick`` (under a minute). It builds a
fresh SQLite database in a temporary folder, starts gunicorn with the project's gunicorn.conf.py
(the same settings for the bare route and for the app), and prints requests per second and
latency percentiles for each page, with each page's throughput as a ratio to the bare route.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SETS = ROOT / "tests" / "data" / "sets"
SLUG = "civics-mini"
USER_AGENT = "quizapp-bench"
PASSWORD = "bench password 1"
STUDENTS = 200
LOGIN_USERS = 30

#: Targets on the reference machine (2 cores): throughput as a share of the bare route.
RATIO_TARGETS = {"question_page": 0.40, "save_answer": 0.20, "submit": 0.15}
SCENARIO_P95_TARGET_MS = 100.0
LOGIN_P95_TARGET_MS = 1000.0

RESULT = re.compile(r"^RESULT (.*)$", re.M)


@dataclass(frozen=True)
class Timing:
    """How long each part runs."""

    row_seconds: int
    warmup_seconds: int
    scenario_seconds: int
    submit_pool: int


QUICK = Timing(row_seconds=4, warmup_seconds=1, scenario_seconds=10, submit_pool=4000)
FULL = Timing(row_seconds=15, warmup_seconds=3, scenario_seconds=30, submit_pool=12000)


@dataclass(frozen=True)
class Measure:
    """What wrk reported for one row."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        """Throughput in requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Row:
    """One line of the table: a page of the app and the requests that exercise it."""

    key: str
    label: str
    requests_file: str | None
    connections: int
    pending: str = ""


def cpu_model() -> str:
    """The processor's model name from /proc/cpuinfo, and the number of cores."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model} ({os.cpu_count()} cores)"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(folder: Path, port: int) -> dict[str, str]:
    """The settings a school would export; password hashing keeps its production cost."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    environment.update(
        QUIZAPP_SECRET_KEY=secrets.token_hex(32),
        QUIZAPP_DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        QUIZAPP_INSTANCE_PATH=str(folder),
        QUIZAPP_QUESTIONS_DIR=str(SETS),
        QUIZAPP_BIND=f"127.0.0.1:{port}",
        QUIZAPP_ACCESS_LOG=str(folder / "access.log"),
        QUIZAPP_ERROR_LOG=str(folder / "error.log"),
    )
    return environment


@contextmanager
def gunicorn(app: str, environment: dict[str, str], ready_path: str) -> Iterator[str]:
    """Serve ``app`` with gunicorn.conf.py until the block ends; yields the base URL."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    command += ["--pythonpath", str(BENCH), app]
    process = subprocess.Popen(command, cwd=ROOT, env=environment)
    url = f"http://{environment['QUIZAPP_BIND']}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {environment['QUIZAPP_ERROR_LOG']}")
            try:
                with urllib.request.urlopen(url + ready_path, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not become ready in 30 s")
            time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


class Requests:
    """Writes the request files wrk replays: one request per line, with its cookie and body."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, name: str, lines: list[tuple[str, str, str, str]]) -> str:
        """Store ``(method, path, cookie, body)`` lines, shuffled, and return the file's path."""
        random.Random(name).shuffle(lines)
        path = self.folder / f"{name}.tsv"
        path.write_text("".join("\t".join(line) + "\n" for line in lines), encoding="utf-8")
        return str(path)


def prepare_data(environment: dict[str, str], folder: Path, pool: int) -> dict[str, str]:
    """Students with attempts, sign-in cookies, and the request files of every row."""
    import sqlalchemy as sa
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from quizapp import create_app
    from quizapp.domain.grading import answer_key
    from quizapp.domain.shuffling import seeded_shuffle
    from quizapp.extensions import db
    from quizapp.models import Attempt, Response, User
    from quizapp.services.accounts import hash_password
    from quizapp.services.attempts import start_attempt
    from quizapp.services.question_sets import latest_version_of, version_questions

    app = create_app(
        {
            "SECRET_KEY": environment["QUIZAPP_SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": environment["QUIZAPP_DATABASE_URL"],
            "QUESTIONS_DIR": str(SETS),
            "INSTANCE_PATH": str(folder),
        }
    )
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT}

    def cookie(user: object | None) -> tuple[str, str]:
        """A session cookie as the server would set it (signed in, or not), and its CSRF token."""
        # A new app context each time: Flask-WTF caches the token in ``g``.
        with app.app_context(), app.test_request_context("/", environ_base=environ):
            if user is not None:
                login_user(user)
            token = generate_csrf()
            return f"{app.config['SESSION_COOKIE_NAME']}={serializer.dumps(dict(session))}", token

    files = Requests(folder)
    with app.app_context():
        # One hash at the production cost, shared: verifying it costs what a real one does.
        password_hash = hash_password(PASSWORD)
        students = [
            User(username=f"bench{n:03d}", password_hash=password_hash) for n in range(STUDENTS)
        ]
        people = [
            User(username=f"login{n:02d}", password_hash=password_hash) for n in range(LOGIN_USERS)
        ]
        db.session.add_all(students + people)
        db.session.commit()
        version = latest_version_of(SLUG)
        assert version is not None
        questions = version_questions(version)
        pages, saves, scenario = [], [], []
        for student in students:
            attempt = start_attempt(student, SLUG)
            assert attempt is not None
            jar, token = cookie(student)
            numbers = range(1, len(attempt.question_ids) + 1)
            for number in numbers:
                pages.append(("GET", f"/attempts/{attempt.id}/questions/{number}", jar, ""))
            true_false = next(
                n
                for n, qid in zip(numbers, attempt.question_ids, strict=True)
                if questions[qid].type == "true_false"
            )
            body = urlencode({"csrf_token": token, "answer": "true", "nav": "next"})
            path = f"/attempts/{attempt.id}/questions/{true_false}"
            saves.append(("POST", path, jar, body))
            scenario += [pages[-1], pages[-2], saves[-1]]
        # Attempts waiting to be submitted, every question answered, one submission each.
        owners = [(student, *cookie(student)) for student in students]
        submits = []
        ids = list(questions)
        rows = []
        for n in range(pool):
            student, jar, token = owners[n % len(owners)]
            order = seeded_shuffle(ids, n, "questions")
            rows.append(
                {
                    "user_id": student.id,
                    "version_id": version.id,
                    "seed": n,
                    "question_ids": order,
                    "max_score": float(version.total_points),
                }
            )
        new_ids = db.session.scalars(sa.insert(Attempt).returning(Attempt.id), rows).all()
        db.session.execute(
            sa.insert(Response),
            [
                {"attempt_id": attempt_id, "question_id": qid, "answer": answer_key(questions[qid])}
                for attempt_id in new_ids
                for qid in ids
            ],
        )
        db.session.commit()
        for n, attempt_id in enumerate(new_ids):
            _, jar, token = owners[n % len(owners)]
            body = urlencode({"csrf_token": token})
            submits.append(("POST", f"/attempts/{attempt_id}/submit", jar, body))
        logins = []
        for person in people:
            jar, token = cookie(None)
            body = urlencode(
                {"csrf_token": token, "username": person.username, "password": PASSWORD}
            )
            logins.append(("POST", "/account/login", jar, body))
        db.engine.dispose()
    return {
        "question_page": files.write("question_page", pages),
        "save_answer": files.write("save_answer", saves),
        "submit": files.write("submit", submits),
        "logins": files.write("logins", logins),
        "scenario": files.write("scenario", scenario),
        "hello": files.write("hello", [("GET", "/", "", "")]),
    }


def submitted_count(database_url: str) -> int:
    """How many attempts are submitted now."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(
            sa.text("SELECT count(*) FROM attempt WHERE submitted_at IS NOT NULL")
        ).scalar_one()
    engine.dispose()
    return int(count)


def run_wrk(
    url: str,
    requests_file: str,
    connections: int,
    seconds: int,
    threads: int,
    script: Path,
) -> Measure:
    """One wrk run; its Lua script prints a RESULT line with the numbers."""
    command = ["wrk", f"-t{threads}", f"-c{max(connections, threads)}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "-s", str(script), url, "--", requests_file, str(threads)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = RESULT.search(output)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{output}")
    fields = dict(pair.split("=") for pair in match.group(1).split())
    numbers = {key: int(value) for key, value in fields.items()}
    return Measure(
        requests=numbers["requests"],
        seconds=numbers["duration_us"] / 1e6,
        p50_ms=numbers["p50"] / 1000,
        p95_ms=numbers["p95"] / 1000,
        p99_ms=numbers["p99"] / 1000,
        errors=sum(numbers[key] for key in ("connect", "read", "write", "status", "timeout")),
    )


ROWS = [
    Row("question_page", "question page", "question_page", connections=8),
    Row("save_answer", "save an answer", "save_answer", connections=8),
    Row("submit", "submit an attempt", "submit", connections=8),
    # Add it when the teacher pages exist: a class of 30 with 10 attempts each.
    Row("results_page", "teacher's results", None, 8, pending="teacher pages pending"),
    Row("logins", "sign in (30 at once)", "logins", connections=LOGIN_USERS),
]


def line(label: str, measure: Measure, ratio: str = "") -> str:
    """One table line."""
    return (
        f"{label:<24}{measure.per_second:>9.0f}{measure.p50_ms:>9.1f}{measure.p95_ms:>9.1f}"
        f"{measure.p99_ms:>9.1f}{measure.errors:>8}{ratio:>8}"
    )


def say(text: str) -> None:
    """Print a line of the report at once."""
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Measure every row and print the table; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs: under a minute")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed. Install it first: sudo apt-get install wrk", file=sys.stderr)
        return 2
    timing = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as temporary:
        folder = Path(temporary)
        environment = server_environment(folder, free_port())
        prepared = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "quizapp", "init-db"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if prepared.returncode:
            raise SystemExit(prepared.stdout + prepared.stderr)
        files = prepare_data(environment, folder, timing.submit_pool)
        script = BENCH / "requests.lua"
        think = folder / "think.lua"
        think.write_text(
            script.read_text() + "\nfunction delay()\n  return math.random(1000, 3000)\nend\n"
        )

        def measure(url: str, name: str, connections: int, seconds: int) -> Measure:
            return run_wrk(url, files[name], connections, seconds, args.threads, script)

        with gunicorn("hello:app", environment, "/") as url:
            measure(url, "hello", 8, timing.warmup_seconds)
            bare = measure(url, "hello", 8, timing.row_seconds)
        results: dict[str, Measure] = {}
        with gunicorn("wsgi:app", environment, "/healthz") as url:
            measure(url, "question_page", 8, timing.warmup_seconds)
            for row in ROWS:
                if row.requests_file:
                    results[row.key] = measure(
                        url, row.requests_file, row.connections, timing.row_seconds
                    )
            pool_used = results["submit"].requests
            graded = submitted_count(environment["QUIZAPP_DATABASE_URL"])
            scenario = run_wrk(
                url, files["scenario"], STUDENTS, timing.scenario_seconds, args.threads, think
            )

    workers = _gunicorn_workers()
    say(f"Civics Quiz benchmark{' (quick)' if args.quick else ''}: {cpu_model()}")
    say(
        f"gunicorn {workers} sync workers; wrk {args.threads} threads; {timing.row_seconds} s a row"
    )
    say("")
    say(f"{'row':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}")
    say(line("bare Flask route", bare))
    ratios: dict[str, float | None] = {}
    for row in ROWS:
        if row.key not in results:
            ratios[row.key] = None
            say(f"{row.label:<24}not measured yet: {row.pending}")
            continue
        ratio = results[row.key].per_second / bare.per_second
        ratios[row.key] = ratio
        say(line(row.label, results[row.key], f"{ratio:.2f}"))
    say("")
    say(
        f"{STUDENTS} students, 1-3 s think time: {scenario.per_second:.0f} req/s, "
        f"p50 {scenario.p50_ms:.1f} ms, p95 {scenario.p95_ms:.1f} ms, p99 {scenario.p99_ms:.1f} ms, "
        f"{scenario.errors} errors"
    )
    if pool_used > graded:
        say(f"note: {pool_used} submissions sent but only {graded} attempts were waiting")
    missed = [
        f"{key} {ratios[key]:.2f} < {target}"
        for key, target in RATIO_TARGETS.items()
        if (ratios.get(key) or 0.0) < target
    ]
    if scenario.p95_ms > SCENARIO_P95_TARGET_MS or scenario.errors:
        missed.append(f"200 students p95 {scenario.p95_ms:.0f} ms, {scenario.errors} errors")
    if results["logins"].p95_ms > LOGIN_P95_TARGET_MS or results["logins"].errors:
        missed.append(f"30 logins p95 {results['logins'].p95_ms:.0f} ms")
    say("targets: " + ("all met" if not missed else "missed: " + "; ".join(missed)))
    say(
        "ratios: "
        + " ".join(
            f"{key}={'n/a' if ratios[key] is None else format(ratios[key], '.2f')}"
            for key in ("question_page", "save_answer", "submit", "results_page")
        )
    )
    return 1 if missed else 0


def _gunicorn_workers() -> int:
    """The worker count gunicorn.conf.py chooses here."""
    import runpy

    return int(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"])


if __name__ == "__main__":
    sys.exit(main())
