"""Importing sets as versions: unchanged files change nothing, attempts keep their version."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from helpers.forms import post_form
from helpers.quiz import correct_form_data, latest_attempt, presented
from helpers.settings import SETS

from quizapp.domain.loader import load_question_set_file
from quizapp.extensions import db
from quizapp.models import Attempt, QuestionSetVersion, SourceText
from quizapp.services.question_sets import import_question_set, source_titles


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_reimporting_an_unchanged_set_changes_nothing(app):
    before = (count(app, QuestionSetVersion), count(app, SourceText))
    with app.app_context():
        result = import_question_set(load_question_set_file(SETS / "civics-mini.yaml"))
        assert not result.created
        assert result.version.number == 1
    assert (count(app, QuestionSetVersion), count(app, SourceText)) == before


def test_a_changed_set_becomes_a_new_version_and_old_attempts_keep_theirs(
    app, client, create_user, login
):
    create_user("ana")
    login("ana")
    post_form(client, "/quizzes/civics-mini/start", {}, page="/")
    attempt = latest_attempt(app, "ana")
    for number in range(1, 7):
        shown = presented(app, attempt.id, number)
        post_form(
            client,
            f"/attempts/{attempt.id}/questions/{number}",
            {**correct_form_data(shown), "nav": "next"},
        )

    # The teacher fixes a question: True becomes the key and it is worth 5 points now.
    original = load_question_set_file(SETS / "civics-mini.yaml")
    changed_questions = tuple(
        replace(q, answer=True, points=5) if q.id == "vote-held" else q for q in original.questions
    )
    with app.app_context():
        result = import_question_set(replace(original, questions=changed_questions))
        assert result.created and result.version.number == 2

    post_form(client, f"/attempts/{attempt.id}/submit", {}, page=f"/attempts/{attempt.id}/review")
    with app.app_context():
        graded = db.session.get(Attempt, attempt.id)
        assert graded.version.number == 1
        assert graded.score == graded.max_score == 7  # graded on the version it was started on
    results = client.get(f"/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "You scored <strong>7 of 7</strong>" in results

    post_form(client, "/quizzes/civics-mini/start", {}, page="/")
    newer = latest_attempt(app, "ana")
    assert newer.id != attempt.id
    with app.app_context():
        assert db.session.get(Attempt, newer.id).version.number == 2
        assert db.session.get(Attempt, newer.id).max_score == 11


def test_each_version_lists_its_sources_in_its_own_order(app):
    """The content hash ignores the order of the sources; the list of sources must not."""
    original = load_question_set_file(SETS / "civics-mini.yaml")
    report = original.sources["report"]
    memo = replace(report, key="memo", title="A council memo")
    first = replace(original, sources={"report": report, "memo": memo})
    between = replace(original, title="A retitled set")
    again = replace(original, sources={"memo": memo, "report": report})
    with app.app_context():
        versions = [import_question_set(content).version for content in (first, between, again)]
        assert versions[0].content_hash == versions[2].content_hash
        assert [key for key, _ in source_titles(versions[0])] == ["report", "memo"]
        assert [key for key, _ in source_titles(versions[2])] == ["memo", "report"]
