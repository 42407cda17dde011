"""Helpers for tests that take a quiz through the web pages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from quizapp.domain.grading import answer_key
from quizapp.extensions import db
from quizapp.models import Attempt, User
from quizapp.services.attempts import PresentedQuestion, present_question
from quizapp.student.forms import prompt_field_name


def presented(app: Flask, attempt_id: int, number: int) -> PresentedQuestion:
    """Question ``number`` of an attempt, as the page shows it."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        shown = present_question(attempt, number)
        assert shown is not None
        return shown


def form_data(shown: PresentedQuestion, answer: Any) -> dict[str, Any]:
    """The form fields a browser sends for ``answer`` to this question."""
    question = shown.question
    if question.type == "matching":
        return {
            prompt_field_name("matching", i): answer.get(left, "")
            for i, left in enumerate(shown.prompts)
        }
    if question.type == "ordering":
        return {
            prompt_field_name("ordering", i): str(answer.index(item) + 1)
            for i, item in enumerate(shown.prompts)
        }
    if question.type == "true_false":
        return {"answer": "true" if answer else "false"}
    return {"answer": answer}


def correct_form_data(shown: PresentedQuestion) -> dict[str, Any]:
    """The form fields of a fully correct answer."""
    return form_data(shown, answer_key(shown.question))


def wrong_answer(shown: PresentedQuestion) -> Any:
    """An answer that earns nothing (a rotated matching, a reversed order, and so on)."""
    question = shown.question
    if question.type == "single_choice":
        return next(c for c in question.choices if c != question.answer)
    if question.type == "multiple_choice":
        return [c for c in question.choices if c not in question.answer][:1]
    if question.type == "true_false":
        return not question.answer
    if question.type == "short_answer":
        return "nothing like it"
    if question.type == "matching":
        lefts = [left for left, _ in question.pairs]
        rights = [right for _, right in question.pairs]
        return dict(zip(lefts, rights[1:] + rights[:1], strict=True))
    return list(reversed(question.items))


def latest_attempt(app: Flask, username: str) -> Attempt:
    """The newest attempt of a user (detached from the session)."""
    with app.app_context():
        attempt = db.session.scalar(
            sa.select(Attempt)
            .join(User, User.id == Attempt.user_id)
            .where(User.username == username)
            .order_by(Attempt.id.desc())
        )
        assert attempt is not None
        db.session.expunge(attempt)
        return attempt


def without_article_panel(page: str) -> tuple[str, str]:
    """A question page without the article beside it, and that panel: the article holds every
    evidence quote, as its source does, so checks for leaks look at the rest of the page (and
    check the panel marks nothing)."""
    start = page.index('<aside class="article-panel"')
    end = page.index("</aside>", start) + len("</aside>")
    return page[:start] + page[end:], page[start:end]
