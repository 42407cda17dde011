"""Errors a question-set file can contain, reported together rather than one at a time."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import gettext, ngettext


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
            where.append(gettext("line %(line)s", line=self.line))
        if self.question_id:
            where.append(gettext("question '%(id)s'", id=self.question_id))
        return f"{', '.join(where)}: {self.message}"


def first_problems(issues: list[ValidationIssue], shown: int) -> list[str]:
    """The first ``shown`` issues as text, then one line that counts the rest.

    A file of a hundred thousand broken lines needs its first problems fixed, not a page of
    megabytes listing every one.
    """
    listed = [str(issue) for issue in issues[:shown]]
    if len(issues) > shown:
        more = len(issues) - shown
        listed.append(
            ngettext(
                "… and %(count)s more problem; fix the ones above, then upload the file again "
                "to see the rest",
                "… and %(count)s more problems; fix the ones above, then upload the file again "
                "to see the rest",
                more,
                count=format(more, ","),
            )
        )
    return listed


class QuestionSetError(Exception):
    """A question-set file that cannot be imported; ``issues`` lists every problem found.

    ``warnings`` are what the file would also have been warned of (a description with no
    question after it): shown, never counted as problems. ``valid_questions`` and
    ``invalid_questions`` say what importing only the valid questions would do (0: it would
    not save the file).
    """

    def __init__(
        self,
        issues: list[ValidationIssue],
        *,
        warnings: list[ValidationIssue] | None = None,
        valid_questions: int = 0,
        invalid_questions: int = 0,
    ) -> None:
        self.issues = issues
        self.warnings = warnings or []
        self.valid_questions = valid_questions
        self.invalid_questions = invalid_questions
        super().__init__("\n".join(str(issue) for issue in issues))
