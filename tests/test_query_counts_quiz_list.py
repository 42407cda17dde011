"""The quiz list reads what it shows of every shipped set in a fixed number of queries, even in a
process that has not read those sets yet."""

from __future__ import annotations

from helpers.settings import SETS

from quizapp.domain.loader import load_question_set_text
from quizapp.services import question_sets
from quizapp.state import BoundedCache

MINI = (SETS / "civics-mini.yaml").read_text(encoding="utf-8")


def ship_copies(app, count: int, language: str) -> None:
    """``count`` more shipped sets, copies of civics-mini under other ids, in ``language``."""
    with app.app_context():
        for n in range(count):
            text = MINI.replace("id: civics-mini", f"id: civics-copy-{language}-{n}")
            text = text.replace("language: en", f"language: {language}")
            content = load_question_set_text(
                text, "copy.yaml", lambda name: (SETS / name).read_text()
            )
            question_sets.import_question_set(content)


def test_the_quiz_list_reads_the_sets_languages_in_one_query(
    app, signed_in, count_queries, monkeypatch
):
    student = signed_in("ana")
    counts = []
    for size in (1, 4):
        ship_copies(app, size, "es" if size == 1 else "fr")
        # A fresh process: no version's language known yet.
        monkeypatch.setattr(question_sets, "_languages", BoundedCache())
        with count_queries() as cold:
            page = student.get("/").get_data(as_text=True)
        with count_queries() as warm:
            student.get("/")
        counts.append((len(cold), len(warm)))
    assert counts[0] == counts[1]
    assert counts[0][0] == counts[0][1] + 1  # the languages: one query, once
    assert page.count('lang="fr"') >= 4 and 'lang="es"' in page
