"""gunicorn settings for Civics Quiz: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Each setting can be changed with an environment variable, so a deployment needs no edits here:

QUIZAPP_BIND            address to listen on (default 127.0.0.1:8000; a reverse proxy in front)
QUIZAPP_WORKERS         worker processes (default: one per CPU core, plus one)
QUIZAPP_THREADS         threads per worker (default 1; 2-4 for PostgreSQL on another machine)
QUIZAPP_WORKER_TIMEOUT  seconds a worker may stop answering before it is restarted (default 30);
                        a threaded worker answers while a request runs, so this does not limit
                        one request; the app's limits on the work (quizapp/domain/limits.py) do
QUIZAPP_ACCESS_LOG      access log file, or - for standard output (the default)
QUIZAPP_ERROR_LOG       error log file, or - for standard error (the default)
QUIZAPP_PRELOAD         0 to build the app in each worker instead of once in the master
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Any


def _number(name: str, default: int) -> int:
    """A whole number from the environment, or the default when the variable is unset."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("QUIZAPP_BIND") or "127.0.0.1:8000"
# One process per core, plus one to use a core while another waits (on the database, or for
# its turn to write). Python runs one thread of a process at a time, so more processes or
# threads than that only add switching: measured on 2 cores (docs/benchmarks.md), 5 workers of
# 2 threads served saves about 20% slower than 3 workers of 1 thread.
workers = _number("QUIZAPP_WORKERS", multiprocessing.cpu_count() + 1)
# Threaded workers keep connections alive between a browser's requests, and a connection that is
# open but idle (a slow client, a preconnecting browser) waits in a poller instead of holding a
# worker as it would with sync workers. One thread handles the requests; raise QUIZAPP_THREADS
# (2-4) when the database is PostgreSQL on another machine, whose network waits a second thread
# can fill.
worker_class = "gthread"
threads = _number("QUIZAPP_THREADS", 1)
timeout = _number("QUIZAPP_WORKER_TIMEOUT", 30)
# The app is built once in the master, and the workers share its memory through fork's
# copy-on-write: measured with 2 workers, about 45 MB of PSS per worker instead of 68, and the
# first 200 sooner (docs/benchmarks.md). Each worker empties its copy of the database pool
# (quizapp/database.py). New code then needs a restart (SIGTERM and start, as docs/district.md
# deploys), not a SIGHUP.
preload_app = os.environ.get("QUIZAPP_PRELOAD", "1").strip() != "0"


def when_ready(server: Any) -> None:
    """With the app preloaded, move every object the master made out of the garbage collector's
    reach before the workers are forked (gc.freeze): a collection in a worker would otherwise
    write to each object's header, copying the master's shared pages into the worker one by one.
    """
    if preload_app:
        gc.freeze()


graceful_timeout = 30
# Seconds a browser's idle connection stays open: longer than a student's pause between clicks
# on one page, short enough not to pile up idle connections.
keepalive = 5
accesslog = os.environ.get("QUIZAPP_ACCESS_LOG") or "-"
errorlog = os.environ.get("QUIZAPP_ERROR_LOG") or "-"
# Client address, request line, status, size, and the time taken in microseconds.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus'
