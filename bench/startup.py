"""The bench's start-up and memory rows: gunicorn start to the first 200, and worker memory.

``bench/run`` runs them after its other rows; ``bench/run --startup`` runs only these (seconds).
Each measurement starts gunicorn with gunicorn.conf.py and 2 workers, twice:
once without preload_app (QUIZAPP_PRELOAD=0: each worker builds the app) and once with it (the
default: the app built in the master, shared with the workers by fork's copy-on-write), so the
table says what preloading saves here. The floor (bench/floor.py: the required stack with one
model and one query) is started the same two ways, so each line can be read against it.

The app is measured as a school runs it from an installed wheel, with bytecode: quizapp is
compiled first (``compileall``, into its __pycache__ folders), because a machine that sets
PYTHONDONTWRITEBYTECODE would otherwise compile every module from source at every start.
"""

from __future__ import annotations

import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

#: Worker processes for these rows: what the issue's targets are measured with.
WORKERS = 2
#: Requests sent round-robin before memory is read, so every worker has served each page type.
WARMUP_REQUESTS = 300


@dataclass(frozen=True)
class Memory:
    """One worker's memory in kB (from /proc): resident, proportional share, and its own."""

    rss: int
    pss: int
    uss: int


def smaps_rollup(pid: int) -> Memory:
    """Rss, Pss and Private_* of a process (its USS), from /proc/PID/smaps_rollup."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        value = rest.split()
        if value:
            fields[name] = int(value[0])
    private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return Memory(rss=fields.get("Rss", 0), pss=fields.get("Pss", 0), uss=private)


def children(pid: int) -> list[int]:
    """The worker processes of gunicorn's master ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


@dataclass(frozen=True)
class Startup:
    """One gunicorn start: milliseconds to the first 200, and each worker's memory after warm-up."""

    first_200_ms: float
    workers: list[Memory]
    #: Warm-up requests that failed (status 400 or more, or no answer): memory read after
    #: failures would understate what a worker needs.
    failures: int = 0


def compile_bytecode(root: Path) -> None:
    """Compile quizapp, wsgi.py and the floor to bytecode, as installing a wheel does."""
    sources = ["quizapp", "wsgi.py", "bench/floor.py"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *sources], cwd=root, check=True)


def start_once(
    root: Path,
    environment: dict[str, str],
    warmup: list[tuple[str, str, str, str]],
    preload: bool,
    app: str = "wsgi:app",
) -> Startup:
    """Start gunicorn, time the first 200 from /healthz, warm it up, read memory, stop it."""
    from bench import Client  # the bench's keep-alive client

    command = [sys.executable, "-m", "gunicorn", "-c", str(root / "gunicorn.conf.py")]
    command += ["--workers", str(WORKERS), "--pythonpath", str(root / "bench"), app]
    environment = {**environment, "QUIZAPP_PRELOAD": "1" if preload else "0"}
    url = f"http://{environment['QUIZAPP_BIND']}"
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, env=environment)
    try:
        deadline = started + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {environment['QUIZAPP_ERROR_LOG']}")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.perf_counter() > deadline:
                raise SystemExit("gunicorn did not answer 200 in 60 s")
            time.sleep(0.005)
        first_200_ms = 1000 * (time.perf_counter() - started)
        # Several connections, so that both workers serve every kind of page.
        clients = [Client(url) for _ in range(4)]
        failures = 0
        for n in range(WARMUP_REQUESTS):
            _, succeeded = clients[n % len(clients)].send(*warmup[n % len(warmup)])
            failures += not succeeded
        workers = [smaps_rollup(pid) for pid in children(process.pid)]
        return Startup(first_200_ms, workers, failures)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def startup_rows(
    root: Path, environment: dict[str, str], warmup: list[tuple[str, str, str, str]], runs: int
) -> list[str]:
    """The rows' lines: the median start time and mean worker memory of ``runs`` starts each, of
    Civics Quiz and of the floor, without and with preload_app."""
    compile_bytecode(root)
    floor = {
        **environment,
        "QUIZAPP_FLOOR_DATABASE": str(Path(environment["QUIZAPP_INSTANCE_PATH"]) / "floor.sqlite3"),
    }
    floor_warmup = [("GET", "/healthz", "", "")]
    # The floor's table is made once here: two workers each making it at start would race.
    subprocess.run(
        [sys.executable, "-c", "import floor"], cwd=root / "bench", env=floor, check=True
    )
    lines = ["quizapp compiled to bytecode first, as an installed wheel is (compileall)"]
    for name, app, app_environment, app_warmup in (
        ("Civics Quiz", "wsgi:app", environment, warmup),
        ("floor (bench/floor.py)", "floor:app", floor, floor_warmup),
    ):
        for preload in (False, True):
            starts = [
                start_once(root, app_environment, app_warmup, preload, app) for _ in range(runs)
            ]
            lines.append(_line(name, preload, starts))
    return lines


def _line(name: str, preload: bool, starts: list[Startup]) -> str:
    """One row: the median first 200 and the mean memory per worker of ``starts``."""
    memories = [memory for start in starts for memory in start.workers]
    label = "preload_app (the default)" if preload else "QUIZAPP_PRELOAD=0"
    first = statistics.median(start.first_200_ms for start in starts)
    rss = statistics.mean(m.rss for m in memories) / 1024
    pss = statistics.mean(m.pss for m in memories) / 1024
    uss = statistics.mean(m.uss for m in memories) / 1024
    return (
        f"{name}, gunicorn {WORKERS} workers, {label}: first 200 after {first:.0f} ms; per "
        f"worker after {WARMUP_REQUESTS} requests RSS {rss:.1f} MB, PSS {pss:.1f} MB, "
        f"USS {uss:.1f} MB; {sum(start.failures for start in starts)} warm-up errors"
    )


def warmup_requests(files: object, names: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """Interleaved lines of the request files ``names``, for the warm-up."""
    from bench import read_requests

    files_by_name = [read_requests(files[name]) for name in names]  # type: ignore[index]
    return [lines[n % len(lines)] for n in range(100) for lines in files_by_name if lines]
