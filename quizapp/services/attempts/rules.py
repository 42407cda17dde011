"""The rules of an attempt: when it is out of time, whether it is practice, when its results
may be shown. Plain answers about one attempt; they read nothing from the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from ...models import AFTER_CLOSE, PRACTICE, TEST, Attempt
from ...models.types import utcnow

#: Answers that arrive this long after a timed attempt's deadline are still accepted, so a
#: student who pressed Save at the last second is not punished for network latency.
GRACE = timedelta(seconds=30)


class AttemptRefused(Exception):
    """A student may not start (or continue) an attempt now; the message says why."""


def is_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether an open attempt is past its deadline and grace period."""
    if attempt.deadline_at is None or attempt.is_submitted:
        return False
    return (now or utcnow()) > attempt.deadline_at + GRACE


def is_practice(attempt: Attempt) -> bool:
    """Whether the attempt shows right or wrong after each answer."""
    return attempt.assignment is not None and attempt.assignment.mode == PRACTICE


def results_available_at(attempt: Attempt) -> datetime | None:
    """When a submitted attempt's results may be shown (None: now)."""
    assignment = attempt.assignment
    if (
        assignment is not None
        and assignment.mode == TEST
        and assignment.results_release == AFTER_CLOSE
    ):
        return assignment.closes_at
    return None


def held_back(attempt: Attempt) -> bool:
    """Whether the attempt is free practice on a set that is a test, not yet closed, in one of
    the student's classes: its answers would give the test's away."""
    return attempt.assignment_id is None and attempt.held_by_test


def results_visible(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the student may see the graded answers now (not while held_back)."""
    if held_back(attempt):
        return False
    available = results_available_at(attempt)
    return attempt.is_submitted and (available is None or (now or utcnow()) >= available)
