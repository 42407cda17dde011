"""Deterministic shuffles seeded per attempt, so a reload shows the same order."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def seeded_shuffle(items: Sequence[T], seed: int, salt: str) -> list[T]:
    """Return ``items`` shuffled by a generator seeded with the attempt's seed and ``salt``.

    This is for presentation order only, never for anything secret, so ``random`` is right.
    """
    shuffled = list(items)
    random.Random(f"{seed}:{salt}").shuffle(shuffled)  # noqa: S311 - not security-sensitive
    return shuffled
