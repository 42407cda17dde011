"""Hostile uploads are refused fast and without exhausting memory.

Bandit's checks (ruff's S rules) run with the other lint rules in ``.ci/lint``.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import parse_upload

BROKEN = Path(__file__).resolve().parent.parent / "data" / "broken"
HOSTILE = ["alias-bomb.yaml", "alias-expansion.yaml", "deeply-nested.yaml"]


def _deep_json(levels: int) -> bytes:
    return ("[" * levels + "]" * levels).encode()


@pytest.mark.parametrize(
    ("name", "content"),
    [(name, (BROKEN / name).read_bytes()) for name in HOSTILE]
    + [
        ("deep.json", _deep_json(50_000)),
        ("deep.yaml", b"a: " + b"{x: " * 5_000 + b"1" + b"}" * 5_000),
    ],
    ids=[*HOSTILE, "deep-json", "deep-flow-yaml"],
)
def test_bombs_and_deep_nesting_are_refused_within_seconds(name, content):
    # A bound that catches a blow-up (a bomb once took minutes), with room for a loaded machine.
    started = time.perf_counter()
    with pytest.raises(QuestionSetError):
        parse_upload(name, content)
    elapsed = time.perf_counter() - started
    assert elapsed < 5.0, f"{name} took {elapsed:.2f} s"
    # Measured apart from the time: tracing every allocation slows the parser several times.
    tracemalloc.start()
    try:
        with pytest.raises(QuestionSetError):
            parse_upload(name, content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"{name} used {peak / 2**20:.0f} MiB"
