"""The question page of a select_evidence question (alone, and as a Part B beside its Part A)
runs a fixed number of queries at two data sizes, the article beside it included."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from test_query_counts import QUESTION_PAGE_QUERIES, RESULTS_PAGE_QUERIES, queries_for

from quizapp.domain.loader import load_question_set_text
from quizapp.domain.selection import group_items
from quizapp.extensions import db
from quizapp.models import Attempt, Response, User
from quizapp.models.types import utcnow
from quizapp.services.question_sets import import_question_set, latest_version_of, version_questions

ARTICLE = (
    "The council met on Monday. Mayor Ana Ortiz said the curfew would keep teens safe.\n"
    "“A curfew punishes everyone,” said Ben Frank. The vote is next month.\n"
    "Dr. Lee, a U.S. expert, said 2.5 hours of debate was not enough."
)

SET = f"""
format: quizapp/1
id: evidence-counts
title: Evidence counts
sources:
  article: {{title: The story, text: {json.dumps(ARTICLE)}, publisher: The Town Times}}
  notes: {{title: Notes, text: "The council has seven members."}}
questions:
  - id: pick-vote
    type: select_evidence
    prompt: Which sentence says when the vote is?
    source: article
    answer: ["The vote is next month."]
    explanation: The story says so.
  - id: who-a
    type: single_choice
    prompt: Who objected?
    choices: [Ben Frank, Ana Ortiz]
    answer: Ben Frank
    explanation: Frank objected.
    evidence: [{{source: article, quote: said Ben Frank}}]
  - id: who-b
    type: select_evidence
    part_of: who-a
    prompt: Which sentence shows it?
    source: article
    select: 2
    answer: ["said Ben Frank"]
    explanation: The attribution names Frank.
"""

#: Other students with submitted attempts, and their attempts each, per data size.
SIZES = {"small": (0, 0), "large": (30, 10)}


def build(app, size: str) -> tuple[int, int, dict[str, int]]:
    """Ana's attempt in progress and a submitted one among others; the page of each question."""
    others, attempts_each = SIZES[size]
    with app.app_context():
        import_question_set(load_question_set_text(SET, "counts.yaml"))
        version = latest_version_of("evidence-counts")
        questions = version_questions(version)
        ids = list(questions)
        ana = db.session.scalar(sa.select(User.id).where(User.username == "ana"))
        owners = [ana]
        for n in range(others):
            student = User(username=f"reader{n}", password_hash="x", session_token=f"r{n}")
            db.session.add(student)
            db.session.flush()
            owners += [student.id] * attempts_each
        made = []
        for n, owner in enumerate([*owners, ana]):
            submitted = n < len(owners)
            attempt = Attempt(
                user_id=owner,
                version_id=version.id,
                seed=n,
                question_ids=ids,
                max_score=float(version.total_points),
                submitted_at=utcnow() if submitted else None,
                score=0.0 if submitted else None,
            )
            db.session.add(attempt)
            db.session.flush()
            db.session.add_all(
                Response(
                    attempt_id=attempt.id,
                    question_id=qid,
                    answer=["2"] if questions[qid].type == "select_evidence" else "Ben Frank",
                    earned=0.0 if submitted else None,
                    possible=1 if submitted else None,
                )
                for qid in ids
            )
            made.append(attempt.id)
        db.session.commit()
        pages = {item[0]: n for n, item in enumerate(group_items(ids, questions), start=1)}
    return made[-1], made[0], pages


@pytest.mark.parametrize("size", SIZES)
def test_the_select_evidence_question_page_runs_a_fixed_number_of_queries(
    app, signed_in, count_queries, size
):
    client = signed_in("ana")
    in_progress, _, pages = build(app, size)
    for first in ("pick-vote", "who-a"):  # alone, and as a Part B with its Part A
        url = f"/attempts/{in_progress}/questions/{pages[first]}"
        queries = queries_for(client, count_queries, url)
        assert len(queries) == QUESTION_PAGE_QUERIES, "\n\n".join(queries)
        page = client.get(url).get_data(as_text=True)
        assert 'class="sentence"' in page and "<summary>Notes</summary>" in page


@pytest.mark.parametrize("size", SIZES)
def test_the_results_with_evidence_marked_run_a_fixed_number_of_queries(
    app, signed_in, count_queries, size
):
    client = signed_in("ana")
    _, submitted, _ = build(app, size)
    queries = queries_for(client, count_queries, f"/attempts/{submitted}/results")
    assert len(queries) == RESULTS_PAGE_QUERIES, "\n\n".join(queries)
