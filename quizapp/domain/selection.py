"""Which questions an attempt shows, and in what order."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Question
from .shuffling import seeded_shuffle


def draw_questions(
    questions: Sequence[Question], seed: int, count: int | None = None, balanced: bool = False
) -> list[str]:
    """Question ids for one attempt: all of them or ``count`` drawn, in a seeded order.

    Balanced draws take the categories in turn, so each is represented as evenly as the set
    allows (a category with fewer questions than its share gives its turns to the others).
    """
    ids = [q.id for q in questions]
    if count is None or count >= len(ids):
        return seeded_shuffle(ids, seed, "questions")
    if not balanced:
        return seeded_shuffle(ids, seed, "questions")[:count]
    by_category: dict[str, list[str]] = {}
    for question in questions:
        by_category.setdefault(question.category, []).append(question.id)
    queues = [
        seeded_shuffle(members, seed, f"category:{name}")
        for name, members in sorted(by_category.items())
    ]
    queues = seeded_shuffle(queues, seed, "categories")
    chosen: list[str] = []
    while len(chosen) < count:
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    return seeded_shuffle(chosen, seed, "questions")
