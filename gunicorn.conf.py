"""gunicorn settings for Civics Quiz: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Each setting can be changed with an environment variable, so a deployment needs no edits here:

QUIZAPP_BIND            address to listen on (default 127.0.0.1:8000; a reverse proxy in front)
QUIZAPP_WORKERS         worker processes (default: 2 per CPU core, plus one)
QUIZAPP_WORKER_TIMEOUT  seconds a request may take before its worker is restarted (default 30)
QUIZAPP_ACCESS_LOG      access log file, or - for standard output (the default)
QUIZAPP_ERROR_LOG       error log file, or - for standard error (the default)
"""

from __future__ import annotations

import multiprocessing
import os


def _number(name: str, default: int) -> int:
    """A whole number from the environment, or the default when the variable is unset."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("QUIZAPP_BIND") or "127.0.0.1:8000"
# Sync workers each serve one request at a time; while one waits on the database another can
# use the CPU, hence more workers than cores.
workers = _number("QUIZAPP_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = _number("QUIZAPP_WORKER_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 2
accesslog = os.environ.get("QUIZAPP_ACCESS_LOG") or "-"
errorlog = os.environ.get("QUIZAPP_ERROR_LOG") or "-"
# Client address, request line, status, size, and the time taken in microseconds.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus'
