"""Which questions an attempt shows, and in what order.

A Part A and its Part B are one item: drawn, shuffled and counted together, Part A first.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Question
from .shuffling import seeded_shuffle


def question_items(questions: Sequence[Question]) -> list[list[Question]]:
    """The set's items in file order: each question alone, or a Part A with its Part B."""
    items: dict[str, list[Question]] = {}
    for question in questions:
        if question.part_of and question.part_of in items:
            items[question.part_of].append(question)
        else:
            items[question.id] = [question]
    return list(items.values())


def group_items(question_ids: Sequence[str], questions: dict[str, Question]) -> list[list[str]]:
    """An attempt's question ids as its items: a Part B joins the Part A just before it."""
    items: list[list[str]] = []
    for question_id in question_ids:
        question = questions.get(question_id)
        if items and question is not None and question.part_of == items[-1][0]:
            items[-1].append(question_id)
        else:
            items.append([question_id])
    return items


def draw_questions(
    questions: Sequence[Question], seed: int, count: int | None = None, balanced: bool = False
) -> list[str]:
    """Question ids for one attempt: all items or ``count`` drawn, in a seeded order.

    Balanced draws take the categories in turn, so each is represented as evenly as the set
    allows (a category with fewer questions than its share gives its turns to the others).
    A pair counts as one item, of its Part A's category.
    """
    items = {item[0].id: [q.id for q in item] for item in question_items(questions)}
    ids = list(items)
    if count is None or count >= len(ids):
        chosen = seeded_shuffle(ids, seed, "questions")
    elif not balanced:
        chosen = seeded_shuffle(ids, seed, "questions")[:count]
    else:
        by_category: dict[str, list[str]] = {}
        for question in questions:
            if question.id in items:
                by_category.setdefault(question.category, []).append(question.id)
        queues = [
            seeded_shuffle(members, seed, f"category:{name}")
            for name, members in sorted(by_category.items())
        ]
        queues = seeded_shuffle(queues, seed, "categories")
        picked: list[str] = []
        while len(picked) < count:
            for queue in queues:
                if queue and len(picked) < count:
                    picked.append(queue.pop(0))
        chosen = seeded_shuffle(picked, seed, "questions")
    return [question_id for item_id in chosen for question_id in items[item_id]]
