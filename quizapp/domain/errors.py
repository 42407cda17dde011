"""Errors a question-set file can contain, reported together rather than one at a time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValidationIssue:
    """One problem in a question-set file, located as precisely as the file allows."""

    filename: str
    message: str
    line: int | None = None
    question_id: str | None = None

    def __str__(self) -> str:
        where = [self.filename]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.question_id:
            where.append(f"question '{self.question_id}'")
        return f"{', '.join(where)}: {self.message}"


class QuestionSetError(Exception):
    """A question-set file that cannot be imported; ``issues`` lists every problem found."""

    def __init__(self, issues: list[ValidationIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))
