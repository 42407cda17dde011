"""The selects of matching and ordering questions: one set of names, from the form module."""

from __future__ import annotations

import re

from helpers.quiz import latest_attempt, presented
from test_student_flow import register, start_quiz

from quizapp.student.forms import prompt_field_name


def test_the_page_names_each_select_as_the_form_reads_it(app, client):
    register(client, "ivy")
    start_quiz(client)
    attempt = latest_attempt(app, "ivy")
    grouped = {}
    for number in range(1, 7):
        shown = presented(app, attempt.id, number)
        if shown.question.type in ("matching", "ordering"):
            grouped[shown.question.type] = (number, shown)
    assert set(grouped) == {"matching", "ordering"}
    for kind, (number, shown) in grouped.items():
        page = client.get(f"/attempts/{attempt.id}/questions/{number}").get_data(as_text=True)
        names = re.findall(r'<select id="([^"]+)" name="\1">', page)
        assert names == [prompt_field_name(kind, i) for i in range(len(shown.prompts))]
        labels = re.findall(r'<label class="pair-label" for="[^"]+">([^<]+)</label>', page)
        assert labels == list(shown.prompts)
