"""Reproductions from the review of the editor, rich text and Moodle XML work."""

from __future__ import annotations

from quizapp.domain.question_editor import edited_question
from quizapp.domain.question_types import REGISTRY


def test_editor_keeps_a_numerical_questions_answer():
    original = {
        "id": "born",
        "type": "numerical",
        "prompt": "In what year was Grant born?",
        "answer": [{"value": 1822, "tolerance": 1}],
        "tolerance": 1,
    }
    common = {"id": "born", "prompt": "In what year was Grant born?", "explanation": ""}
    edited = edited_question(
        original, "numerical", REGISTRY["numerical"].editor_fields, common, {}
    )
    assert edited.get("answer") == original["answer"]
