"""A set for the marking tests (a short answer with its Part B, evidence, a written response)
and a way to take it with chosen answers, through the services."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, User
from quizapp.services import attempts
from quizapp.services.question_sets import version_questions

ARTICLE = (
    "Rubio said the offer was generous. Critics said it was cruel and unusual.\n"
    "The Eighth Amendment bans cruel and unusual punishment. The plan needs Congress."
)

MARKING_SET = f"""
format: quizapp/1
id: marking-mini
title: Marking mini
sources:
  article:
    title: The article
    text: {json.dumps(ARTICLE)}
questions:
  - id: amendment
    type: short_answer
    prompt: "Part A: Which amendment bans cruel and unusual punishment?"
    answer: [Eighth Amendment]
    explanation: The Eighth Amendment does.
  - id: amendment-b
    type: select_evidence
    part_of: amendment
    prompt: "Part B: Which sentence says so?"
    source: article
    answer: ["The Eighth Amendment bans cruel"]
    explanation: The article names it.
  - id: who
    type: single_choice
    prompt: Who called the offer generous?
    choices: [Rubio, The critics, Congress]
    answer: Rubio
    shuffle: false
    explanation: Rubio said so.
  - id: explain
    type: written_response
    prompt: Explain the critics' objection.
    rubric:
      - {{points: 2, criterion: Names the Eighth Amendment}}
      - {{points: 1, criterion: Quotes the article}}
    cite: article
    explanation: A strong answer names the Eighth Amendment and quotes the critics.
"""

#: Points of the whole set: 1 + 1 + 1 + 3.
TOTAL = 6.0


def take(app: Flask, student: User, assignment: Assignment, **answers: Any) -> Attempt:
    """Start and submit an attempt with the given answers by question id (others unanswered)."""
    with app.app_context():
        attempt = attempts.start_assignment_attempt(
            db.session.get(User, student.id), db.session.get(Assignment, assignment.id)
        )
        questions = version_questions(attempt.version)
        chosen = [(questions[qid], answer) for qid, answer in answers.items()]
        if chosen:
            attempts.save_answers(attempt, chosen)
        attempts.submit_attempt(attempt)
        found = db.session.get(Attempt, attempt.id)
        db.session.refresh(found)
        db.session.expunge(found)
        return found
