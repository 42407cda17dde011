"""No leaks: before grading, a student's pages hold no answer key and nobody else's data."""

from __future__ import annotations

import re

from helpers.forms import post_form
from helpers.quiz import presented, without_article_panel

from quizapp.domain.grading import answer_key
from quizapp.presentation import answer_lines


def test_question_pages_carry_no_answer_key_anywhere(app, signed_in):
    other = signed_in("other-kid", display_name="Zelda Quartermaine")
    post_form(other, "/quizzes/civics-mini/start", {}, page="/")
    student = signed_in("leak-kid")
    post_form(student, "/quizzes/civics-mini/start", {}, page="/")
    attempt_id = 2
    for number in range(1, 7):
        shown = presented(app, attempt_id, number)
        question = shown.question
        whole = student.get(f"/attempts/{attempt_id}/questions/{number}").get_data(as_text=True)
        page, panel = without_article_panel(whole)
        assert "<mark" not in panel and "evidence" not in panel.lower()
        assert question.explanation not in whole
        attributes = " ".join(re.findall(r"\sdata-[a-z-]+=\"[^\"]*\"", page))
        scripts = " ".join(re.findall(r"<script[^>]*>.*?</script>", page, re.S))
        for text in (page, attributes, scripts):
            assert question.explanation not in text
            for evidence in question.evidence:
                assert evidence.quote not in text
        assert "Zelda Quartermaine" not in whole and "other-kid" not in whole
        key_lines = answer_lines(question, answer_key(question))
        if question.type == "short_answer":
            for accepted in question.answer:
                assert f'value="{accepted}"' not in page
        if question.type in ("matching", "ordering"):
            # The pairing and the order are the key: neither may be shown in solved form.
            for line in key_lines:
                assert line not in page
        assert "correct" not in whole.lower() and "answer-key" not in whole.lower()
    review = student.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Zelda" not in review and "explanation" not in review.lower()


def test_extra_form_fields_are_ignored(app, signed_in):
    """Mass assignment: a score, a user id or another attempt id in a form changes nothing."""
    import sqlalchemy as sa

    from quizapp.extensions import db
    from quizapp.models import Attempt, Response

    victim = signed_in("victim-kid")
    post_form(victim, "/quizzes/civics-mini/start", {}, page="/")
    attacker = signed_in("sly-kid")
    post_form(attacker, "/quizzes/civics-mini/start", {}, page="/")
    shown = presented(app, 2, 1)
    extra = {
        "score": "999",
        "earned": "50",
        "user_id": "1",
        "attempt_id": "1",
        "role": "teacher",
        "possible": "0",
    }
    data = {"answer": shown.options[0] if shown.options else "x", "nav": "next", **extra}
    post_form(attacker, "/attempts/2/questions/1", data)
    post_form(attacker, "/attempts/2/submit", {**extra}, page="/attempts/2/review")
    post_form(
        attacker,
        "/account/password",
        {
            **extra,
            "current_password": "nope",
            "new_password": "a b c d e f",
            "confirm": "a b c d e f",
        },
    )
    with app.app_context():
        victim_attempt = db.session.get(Attempt, 1)
        assert victim_attempt.submitted_at is None
        assert (
            db.session.scalar(sa.select(sa.func.count(Response.id)).where(Response.attempt_id == 1))
            == 0
        )
        mine = db.session.get(Attempt, 2)
        assert mine.score <= mine.max_score < 999
        from quizapp.models import User

        assert (
            db.session.scalar(sa.select(User.role).where(User.username == "sly-kid")) == "student"
        )
