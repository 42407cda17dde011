"""What grading a response produces, shared by every question type."""

from __future__ import annotations

from dataclasses import dataclass

CORRECT, PARTLY_CORRECT, INCORRECT, UNANSWERED = "correct", "partial", "incorrect", "unanswered"
#: A response the teacher has still to score (a written response): its points are provisional.
PENDING = "pending"


class InvalidResponse(ValueError):
    """A response that cannot belong to the question (such as a choice it does not offer)."""


@dataclass(frozen=True)
class Grade:
    """Points earned for one response, out of the question's points."""

    earned: float
    possible: int
    answered: bool = True
    #: The teacher has still to score this response; ``earned`` counts nothing of it yet.
    pending: bool = False

    @property
    def outcome(self) -> str:
        """correct, partial, incorrect, unanswered or pending."""
        if not self.answered:
            return UNANSWERED
        if self.pending:
            return PENDING
        if self.earned >= self.possible:
            return CORRECT
        return PARTLY_CORRECT if self.earned > 0 else INCORRECT
