"""Forms of the marking pages: a score per rubric criterion with a comment, and the
confirmation that accepts a typed short answer."""

from __future__ import annotations

from typing import cast

from babel.support import LazyProxy
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..domain.i18n import lazy_gettext, lazy_ngettext, ngettext_unfilled
from ..domain.limits import MAX_COMMENT_CHARS, MAX_SHORT_ANSWER_CHARS
from ..domain.model import Criterion, Question
from ..i18n import content_lang


class ScoreForm(FlaskForm):
    """A score per criterion (fields ``criterion_0``...) and an optional comment."""

    comment = TextAreaField(
        lazy_gettext("Comment for the student (optional)"),
        validators=[
            Optional(),
            Length(
                max=MAX_COMMENT_CHARS,
                message=lazy_gettext(
                    "Keep the comment to %(limit)s characters.",
                    limit=format(MAX_COMMENT_CHARS, ","),
                ),
            ),
        ],
        description=lazy_gettext(
            "Up to %(limit)s characters. The student reads it with the score.",
            limit=format(MAX_COMMENT_CHARS, ","),
        ),
        render_kw={"rows": 4},
    )

    def criterion_fields(self) -> list[IntegerField]:
        """The criterion fields, in rubric order."""
        return [field for name, field in self._fields.items() if name.startswith("criterion_")]

    def points(self) -> list[int]:
        """The points given per criterion, once validated."""
        return [int(field.data) for field in self.criterion_fields()]


def _criterion_label(criterion: Criterion, language: str) -> str:
    """A criterion's label in the page's language, the criterion's own words (question content)
    marked with the set's ``language``: made when the label is shown."""

    def label() -> Markup:
        # The placeholder itself becomes the marked span, so the words the translation repeats
        # elsewhere in the sentence stay unmarked.
        template = ngettext_unfilled(
            "%(criterion)s (0 to %(num)s point)",
            "%(criterion)s (0 to %(num)s points)",
            criterion.points,
        )
        words: str = criterion.criterion
        mark = content_lang(language)
        if mark:  # the set's language is not the page's
            words = Markup("<span%s>%s</span>") % (mark, words)
        # Markup's % escapes the plain words and keeps the span.
        return escape(template) % {"criterion": words, "num": criterion.points}

    return cast(str, LazyProxy(label, enable_cache=False))


def score_form(
    question: Question, points: list[int] | None, comment: str, language: str = "en"
) -> ScoreForm:
    """The form for one written response, filled with its score when it has one; ``language``
    is the set's, for the criteria's own words."""

    class QuestionScoreForm(ScoreForm):
        pass

    for number, criterion in enumerate(question.rubric):
        setattr(
            QuestionScoreForm,
            f"criterion_{number}",
            IntegerField(
                _criterion_label(criterion, language),
                validators=[
                    InputRequired(
                        message=lazy_gettext("Give this criterion a score (0 is a score).")
                    ),
                    NumberRange(
                        0,
                        criterion.points,
                        message=lazy_ngettext(
                            "Give 0 to %(num)s point.",
                            "Give 0 to %(num)s points.",
                            criterion.points,
                        ),
                    ),
                ],
                default=None if points is None else points[number],
                render_kw={"min": 0, "max": criterion.points, "inputmode": "numeric"},
            ),
        )
    form = QuestionScoreForm()
    if not form.is_submitted() and comment:
        form.comment.data = comment
    return form


class AcceptAnswerForm(FlaskForm):
    """Accept a typed answer (the confirmation page's button)."""

    answer = HiddenField(validators=[DataRequired(), Length(max=MAX_SHORT_ANSWER_CHARS)])
