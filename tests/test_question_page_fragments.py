"""The question page's kept fragments (quizapp/fragments.py): a question's prompt and choices in
one order, rendered once, never carry one student's answer to another, and follow the order,
the interface language and the mount point."""

from __future__ import annotations

import html
import re

import pytest
from helpers.forms import post_form
from helpers.quiz import form_data, latest_attempt, presented

from quizapp.domain.question_types import type_of
from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.presentation import TYPE_HINTS
from quizapp.services.question_sets import version_questions
from quizapp.state import app_state

CHOICE = "what-was-raised"  # multiple_choice in the test set
MATCHING = "match-speakers"


def start(app, signed_in, username: str):
    """A signed-in student with an attempt at the test set."""
    client = signed_in(username)
    response = post_form(client, "/quizzes/civics-mini/start", {}, page="/")
    assert response.status_code == 302
    return client, latest_attempt(app, username)


def align(app, attempt_id: int, like: Attempt, seed: int) -> None:
    """Give an attempt the same questions in the same order as ``like``, with ``seed``."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.question_ids = list(like.question_ids)
        attempt.seed = seed
        db.session.commit()


def number_of(attempt: Attempt, question_id: str) -> int:
    return list(attempt.question_ids).index(question_id) + 1


def options_on(page: str) -> list[str]:
    """The answer inputs' values in page order."""
    found = re.findall(r'<input [^>]*name="answer" type="checkbox" value="([^"]*)"', page)
    return [html.unescape(value) for value in found]


def checked_on(page: str) -> list[str]:
    found = re.findall(r'<input checked [^>]*name="answer" type="checkbox" value="([^"]*)"', page)
    return [html.unescape(value) for value in found]


def shown_options(app, attempt: Attempt, question_id: str, seed: int) -> list[str]:
    with app.app_context():
        db.session.add(attempt)
        question = version_questions(attempt.version)[question_id]
        options, _ = type_of(question).shown(question, seed)
        db.session.expunge(attempt)
        return list(options)


@pytest.fixture
def two_students(app, signed_in):
    """Ana and Ben at the same questions in the same order with the same seed."""
    ana, ana_attempt = start(app, signed_in, "ana")
    ben, ben_attempt = start(app, signed_in, "ben")
    align(app, ana_attempt.id, ana_attempt, 7)
    align(app, ben_attempt.id, ana_attempt, 7)
    return (ana, latest_attempt(app, "ana")), (ben, latest_attempt(app, "ben"))


def save(client, attempt: Attempt, question_id: str, answer) -> str:
    """Save an answer through the page, and return the page shown again."""
    number = number_of(attempt, question_id)
    url = f"/attempts/{attempt.id}/questions/{number}"
    shown_page = client.get(url)
    assert shown_page.status_code == 200
    data = form_data(presented(client.application, attempt.id, number), answer)
    response = post_form(client, url, {**data, "nav": "prev"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(url).get_data(as_text=True)


def test_two_students_with_the_same_order_each_see_their_own_answer(app, two_students):
    (ana, ana_attempt), (ben, ben_attempt) = two_students
    options = shown_options(app, ana_attempt, CHOICE, 7)
    ana_page = save(ana, ana_attempt, CHOICE, [options[0]])
    assert app_state(app).fragments.entries, "the page was kept in pieces"
    ben_page = save(ben, ben_attempt, CHOICE, [options[1], options[2]])
    # The same pieces, each student's own checks.
    assert options_on(ana_page) == options_on(ben_page) == options
    assert checked_on(ana_page) == [options[0]]
    assert checked_on(ben_page) == [options[1], options[2]]
    # Ana again, after Ben's page was rendered from the same pieces.
    number = number_of(ana_attempt, CHOICE)
    again = ana.get(f"/attempts/{ana_attempt.id}/questions/{number}").get_data(as_text=True)
    assert checked_on(again) == [options[0]]
    assert "\x00" not in again and "\x00" not in ben_page


def test_two_students_each_see_their_own_matches(app, two_students):
    (ana, ana_attempt), (ben, ben_attempt) = two_students
    with app.app_context():
        db.session.add(ana_attempt)
        question = version_questions(ana_attempt.version)[MATCHING]
        db.session.expunge(ana_attempt)
    lefts = [left for left, _ in question.pairs]
    rights = [right for _, right in question.pairs]
    ana_page = save(ana, ana_attempt, MATCHING, dict(zip(lefts, rights, strict=True)))
    ben_page = save(
        ben, ben_attempt, MATCHING, dict(zip(lefts, rights[1:] + rights[:1], strict=True))
    )

    def selected(page: str) -> list[str]:
        return [html.unescape(v) for v in re.findall(r'<option selected value="([^"]*)"', page)]

    assert sorted(selected(ana_page)) == sorted(rights)
    assert selected(ana_page) != selected(ben_page)
    assert sorted(selected(ben_page)) == sorted(rights)


def test_another_order_of_the_choices_is_not_served_from_the_kept_pieces(app, two_students):
    (ana, ana_attempt), (ben, ben_attempt) = two_students
    ana_order = shown_options(app, ana_attempt, CHOICE, 7)
    other_seed = next(
        seed for seed in range(100) if shown_options(app, ana_attempt, CHOICE, seed) != ana_order
    )
    align(app, ben_attempt.id, ana_attempt, other_seed)
    number = number_of(ana_attempt, CHOICE)
    ana_page = ana.get(f"/attempts/{ana_attempt.id}/questions/{number}").get_data(as_text=True)
    ben_page = ben.get(f"/attempts/{ben_attempt.id}/questions/{number}").get_data(as_text=True)
    assert options_on(ana_page) == ana_order
    assert options_on(ben_page) == shown_options(app, ana_attempt, CHOICE, other_seed)
    assert options_on(ben_page) != ana_order


def test_a_spanish_page_after_an_english_one_is_spanish(app, two_students):
    (ana, ana_attempt), (ben, ben_attempt) = two_students
    number = number_of(ana_attempt, CHOICE)
    with app.test_request_context():
        hint = str(TYPE_HINTS["multiple_choice"])
    english = ana.get(f"/attempts/{ana_attempt.id}/questions/{number}").get_data(as_text=True)
    spanish = ben.get(
        f"/attempts/{ben_attempt.id}/questions/{number}", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert hint in english
    assert '<html lang="es">' in spanish
    assert hint not in spanish
    assert "Cuestionarios" in spanish and ">Quizzes<" not in spanish  # the menu's kept piece
    english_again = ana.get(f"/attempts/{ana_attempt.id}/questions/{number}").get_data(True)
    assert hint in english_again and ">Quizzes<" in english_again


def test_a_page_under_another_mount_point_links_under_it(app, two_students):
    (ana, ana_attempt), _ = two_students
    url = f"/attempts/{ana_attempt.id}/questions/1"
    plain = ana.get(url).get_data(as_text=True)
    mounted = ana.get(url, base_url="http://localhost/civics").get_data(as_text=True)
    assert 'href="/static/css/app.css' in plain
    assert 'href="/civics/static/css/app.css' in mounted
    assert 'href="/civics/history"' in mounted
    assert 'href="/static/css/app.css' not in mounted


def test_the_kept_fragments_stay_within_their_character_budget() -> None:
    """Pieces differ in size a thousand times: the total kept is bounded, not only the count."""
    from quizapp.state import SizedCache

    kept: SizedCache[str] = SizedCache(size=100, budget=1_600)
    for n in range(20):
        kept.put(f"piece {n}", "x" * 100)
    assert kept.kept == sum(len(text) for text in kept.entries.values()) <= 1_600
    assert list(kept.entries)[-1] == "piece 19", "the newest piece is kept, the oldest dropped"
    kept.put("piece 19", "y" * 50)
    assert kept.kept == sum(len(text) for text in kept.entries.values())
    assert kept.put("too long", "z" * 101) == "z" * 101, "a piece too long is given back"
    assert "too long" not in kept.entries
