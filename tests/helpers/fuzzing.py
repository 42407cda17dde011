"""How many examples the property (Hypothesis) tests try: every one in CI, a fifth locally.

The fuzz tests of the readers and the renderer are a quarter of the suite's time at their full
counts. CI (CI=true) and a run with QUIZAPP_TEST_FULL_FUZZ=1 try them all; a developer's run
tries a fifth, at least ten, of newly drawn examples each time, so the runs add up to coverage.
"""

from __future__ import annotations

import os

from .settings import IN_CI

#: Whether this run tries every example the tests ask for.
FULL_FUZZ = IN_CI or os.environ.get("QUIZAPP_TEST_FULL_FUZZ", "") == "1"


def examples(full: int, full_fuzz: bool = FULL_FUZZ) -> int:
    """The examples to try of a test that asks for ``full`` of them."""
    return full if full_fuzz else min(full, max(10, full // 5))
