"""The shipped bank as a student meets it: one page per item (a Part B on its Part A's page),
every page renders, and none shows a key."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from test_student_flow import register, start_quiz

from quizapp.domain.loader import load_question_set_file
from quizapp.extensions import db
from quizapp.services import question_sets

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "questions"
BANK = load_question_set_file(QUESTIONS_DIR / "bukele-prison-offer.yaml", require_evidence=True)


def test_every_item_of_the_shipped_bank_is_one_page_without_its_explanation(app, client):
    with app.app_context():
        question_sets.import_shipped_sets(QUESTIONS_DIR)
        db.session.remove()
    register(client, "reader")
    attempt_url = start_quiz(client, "bukele-prison-offer").rsplit("/questions/", 1)[0]
    seen: set[str] = set()
    pages = 0
    for number in range(1, len(BANK.questions) + 2):
        response = client.get(f"{attempt_url}/questions/{number}")
        if response.status_code == 404:
            break
        assert response.status_code == 200, number
        page = unescape(response.get_data(as_text=True))
        shown = [q for q in BANK.questions if q.prompt in page]
        assert shown, f"page {number} shows none of the bank's prompts"
        pages += 1
        shown_ids = {q.id for q in shown}
        for question in shown:
            if question.part_of:
                assert question.part_of in shown_ids, f"{question.id} is apart from its Part A"
            seen.add(question.id)
            # Nothing that hints at the answer before grading.
            assert question.explanation.split(". ")[0] not in page, question.id
    expected = {q.id for q in BANK.questions}
    assert seen == expected, f"never shown: {sorted(expected - seen)}"
    assert pages == len([q for q in BANK.questions if not q.part_of])
