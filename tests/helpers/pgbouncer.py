"""The PgBouncer in front of the PostgreSQL test database, for the tests that go through it."""

from __future__ import annotations

import os

import pytest

from .settings import IN_CI, per_worker, require_postgresql

#: The test database reached through PgBouncer in transaction mode (.ci/pgbouncer starts one,
#: which passes any database name through: a pytest-xdist worker's one too).
PGBOUNCER_URL = per_worker(os.environ.get("QUIZAPP_TEST_PGBOUNCER_URL", ""))
PGBOUNCER_MISSING = (
    "set QUIZAPP_TEST_PGBOUNCER_URL to the test database through PgBouncer, for example "
    "postgresql+psycopg://quizapp:quizapp@127.0.0.1:6432/quizapp_test after `.ci/pgbouncer`"
)


def require_pgbouncer() -> str:
    """The PgBouncer URL; skip without it (fail in CI, whose PostgreSQL pass starts PgBouncer)."""
    require_postgresql()
    if not PGBOUNCER_URL:
        if IN_CI:
            pytest.fail(f"PgBouncer is required in CI's PostgreSQL run: {PGBOUNCER_MISSING}")
        pytest.skip(PGBOUNCER_MISSING)
    return PGBOUNCER_URL
