"""Item analysis of graded responses: facility, discrimination, distractors, categories.

Everything is computed in one pass over plain rows, so the caller can fetch them with a single
query however many students there are.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import Question, Response
from .question_types import type_of


@dataclass(frozen=True)
class GradedResponse:
    """One graded answer in one attempt."""

    attempt_id: int
    question_id: str
    earned: float
    possible: float
    answer: Response


@dataclass
class ItemStatistics:
    """How one question performed."""

    question: Question
    responses: int = 0
    #: Mean score fraction (Moodle's facility index), 0..1; None without responses.
    facility: float | None = None
    #: Correlation between the item's score and the rest of the test (Moodle's discrimination
    #: index); None when it cannot be computed (fewer than two attempts, or no variation).
    discrimination: float | None = None
    #: How often each option was picked, for choice questions (distractor analysis).
    picks: dict[str, int] = field(default_factory=dict)
    #: The options among ``picks`` that the answer key holds, so a page can mark them.
    correct_choices: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Analysis:
    """Item statistics in question order, and the mean score fraction per category."""

    items: list[ItemStatistics]
    category_means: dict[str, float]
    attempts: int


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def analyse(questions: Sequence[Question], rows: Iterable[GradedResponse]) -> Analysis:
    """Item statistics for ``questions`` from the graded responses of submitted attempts."""
    by_attempt: dict[int, dict[str, GradedResponse]] = defaultdict(dict)
    for row in rows:
        by_attempt[row.attempt_id][row.question_id] = row
    totals = {
        attempt: sum(r.earned for r in answers.values()) for attempt, answers in by_attempt.items()
    }
    items: list[ItemStatistics] = []
    category_scores: dict[str, list[float]] = defaultdict(list)
    for question in questions:
        stats = ItemStatistics(question)
        kind = type_of(question)
        labels = kind.pick_labels(question)
        if labels:
            stats.picks = dict.fromkeys(labels, 0)
            stats.correct_choices = frozenset(kind.right_choices(question))
        item_scores: list[float] = []
        rest_scores: list[float] = []
        picks: Counter[str] = Counter()
        for attempt, answers in by_attempt.items():
            response = answers.get(question.id)
            if response is None or not response.possible:
                continue
            fraction = response.earned / response.possible
            item_scores.append(fraction)
            rest_scores.append(totals[attempt] - response.earned)
            category_scores[question.category].append(fraction)
            picks.update(kind.picked(question, response.answer))
        stats.responses = len(item_scores)
        if item_scores:
            stats.facility = sum(item_scores) / len(item_scores)
            stats.discrimination = _pearson(item_scores, rest_scores)
        for label, count in picks.items():
            if label in stats.picks:
                stats.picks[label] = count
        if not kind.lists_every_option:
            stats.picks = {
                label: count
                for label, count in stats.picks.items()
                if count or label in stats.correct_choices
            }
        items.append(stats)
    category_means = {name: sum(v) / len(v) for name, v in sorted(category_scores.items()) if v}
    return Analysis(items, category_means, len(by_attempt))


def histogram(percentages: Iterable[float], bins: int = 10) -> list[int]:
    """Counts of scores in ``bins`` equal bands from 0 to 100% (100% goes in the top band)."""
    counts = [0] * bins
    for value in percentages:
        index = min(bins - 1, max(0, int(value * bins // 100)))
        counts[index] += 1
    return counts


def counted_fraction(fractions: Sequence[float], rule: str) -> float | None:
    """The score that counts among attempts (oldest first): best, last or average."""
    if not fractions:
        return None
    if rule == "last":
        return fractions[-1]
    if rule == "average":
        return sum(fractions) / len(fractions)
    return max(fractions)
