"""The students' pages in Spanish: the quiz list, a question of every type, its validation
messages, the results, history and the source page, while the question content keeps the
language of its set (``lang`` on the prompt, choices and sources)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, QuestionSetVersion, User
from quizapp.services import accounts, attempts
from tests.helpers.forms import post_form
from tests.helpers.quiz import presented, wrong_answer

SET = """
format: quizapp/1
id: bail-{tag}
title: Bail in the news
language: {language}
sources:
  article:
    title: Court hears bail case
    text: "The court heard the case on Monday. The judge said the bail was far too high. The Eighth Amendment forbids excessive bail."
questions:
  - id: who
    type: single_choice
    prompt: Who said the bail was too high?
    choices: [The judge, The mayor]
    answer: The judge
    shuffle: false
    explanation: The story says the judge did.
    evidence:
      - source: article
        quote: The judge said the bail was far too high.
  - id: which
    type: multiple_choice
    prompt: Which are in the Bill of Rights?
    choices: [The Eighth Amendment, The First Amendment, The Treaty of Paris]
    answer: [The Eighth Amendment, The First Amendment]
    explanation: Both are amendments.
  - id: true-or-not
    type: true_false
    prompt: The Eighth Amendment forbids excessive bail.
    answer: true
    explanation: It says so.
  - id: amendment
    type: short_answer
    prompt: Which amendment forbids excessive bail?
    answer: [Eighth, 8th]
    explanation: The Eighth Amendment.
  - id: roles
    type: matching
    prompt: Match each person with a role.
    pairs:
      The judge: Sets the bail
      The defendant: Pays the bail
    explanation: The story names their roles.
  - id: steps
    type: ordering
    prompt: Put the steps in order.
    items: [Arrest, Bail hearing, Trial]
    explanation: Bail comes before the trial.
  - id: proof
    type: select_evidence
    prompt: Which sentence names the rule?
    source: article
    select: 1
    answer: ["The Eighth Amendment forbids excessive bail."]
    explanation: The last sentence names it.
  - id: essay
    type: written_response
    prompt: Explain why bail may not be excessive.
    rubric:
      - {{points: 2, criterion: Names the amendment}}
    max_words: 80
    explanation: A strong answer names the Eighth Amendment.
  - id: year
    type: numerical
    prompt: In what year was the Bill of Rights ratified?
    answer:
      - {{value: 1791}}
    explanation: In 1791.
"""

#: Each type's hint under the prompt, in Spanish.
HINTS = {
    "single_choice": "Elige una respuesta.",
    "multiple_choice": "Elige todas las respuestas que correspondan.",
    "true_false": "Elige Verdadero o Falso.",
    "short_answer": "Escribe una respuesta corta.",
    "matching": "Empareja cada elemento de la izquierda con una opción.",
    "ordering": "Dale a cada elemento su posición, empezando por 1.",
    "select_evidence": "Elige la oración del texto que mejor apoya la respuesta.",
    "written_response": "Escribe tu respuesta con tus propias palabras.",
    "numerical": "Escribe un número.",
}
#: What each type's answer form shows, besides the hint, in Spanish.
TYPE_WORDS = {
    "true_false": ["Verdadero", "Falso"],
    "matching": ["Elige una pareja"],
    "ordering": ["Elige una posición"],
    "select_evidence": ["selecciona otra si cambias de opinión"],
    "written_response": [
        "Escribe hasta 80 palabras.",
        "0 de 80 palabras",
        "Tu docente la califica.",
    ],
}
#: Interface words of the question page that must not be left in English.
ENGLISH = ["Save and next", "Save and review", "Jump to a question", "Question 1 of", "Back</"]


def _html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    text: str = response.get_data(as_text=True)
    return text


def _page_language(html: str) -> str:
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def _slug(app: Flask, version_id: int) -> str:
    with app.app_context():
        version = db.session.get(QuestionSetVersion, version_id)
        assert version is not None
        return str(version.question_set.slug)


@pytest.fixture
def classroom_quiz(
    app: Flask,
    create_user: Callable[..., User],
    publish_set: Callable[..., int],
    create_class: Callable[..., Any],
    join_class: Callable[[User, Any], None],
    create_assignment: Callable[..., Assignment],
) -> Callable[..., tuple[User, Assignment]]:
    """Factory: a student in a class with an assignment of the set in ``language``; the
    student's interface language is ``speaks`` (None: no setting)."""

    def make(
        student_name: str, speaks: str | None, language: str = "en", **settings: Any
    ) -> tuple[User, Assignment]:
        teacher = create_user(f"t-{student_name}", role="teacher")
        text = SET.format(tag=student_name, language=language)
        version = publish_set(teacher, "bail.yaml", text.encode())
        classroom = create_class(teacher, name="Civismo 8A")
        student = create_user(student_name)
        if speaks is not None:
            with app.app_context():
                row = db.session.get(User, student.id)
                assert row is not None
                accounts.set_language(row, speaks)
        join_class(student, classroom)
        assignment = create_assignment(
            classroom, title="La fianza", set_slug=_slug(app, version), **settings
        )
        return student, assignment

    return make


def _answer_wrong_and_submit(app: Flask, attempt_id: int) -> None:
    """Every question answered wrong (the written one answered, to wait for the teacher)."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        for number in range(1, len(attempt.question_ids) + 1):
            shown = attempts.present_question(attempt, number)
            assert shown is not None
            question = shown.question
            if question.type == "written_response":
                answer: Any = {"text": "Porque la Constitución lo dice.", "cited": []}
            elif question.type == "numerical":
                answer = "1787"
            elif question.type == "select_evidence":
                answer = ["1"]
            else:
                answer = wrong_answer(shown)
            attempts.save_answer(attempt, question, answer)
        attempts.submit_attempt(attempt)


def _start(student: FlaskClient, assignment: Assignment) -> int:
    started = post_form(student, f"/assignments/{assignment.id}/start", {}, page="/")
    assert started.status_code == 302, started.get_data(as_text=True)
    return int(started.headers["Location"].split("/")[2])


def test_the_quiz_list_and_a_question_of_every_type_speak_spanish_around_english_content(
    app: Flask, classroom_quiz: Callable[..., tuple[User, Assignment]], sign_in
) -> None:
    user, assignment = classroom_quiz("lucia", "es")
    student = sign_in(user)
    quizzes = _html(student.get("/"))
    assert _page_language(quizzes) == "es"
    for words in ("Asignados por tus docentes", "Intentos restantes", "Práctica libre", "Empezar"):
        assert words in quizzes
    assert "Assigned by your teachers" not in quizzes and "Attempts left" not in quizzes

    attempt_id = _start(student, assignment)
    with app.app_context():
        total = len(db.session.get(Attempt, attempt_id).question_ids)  # type: ignore[union-attr]
    seen = set()
    for number in range(1, total + 1):
        shown = presented(app, attempt_id, number)
        kind = shown.question.type
        seen.add(kind)
        html = _html(student.get(f"/attempts/{attempt_id}/questions/{number}"))
        assert _page_language(html) == "es"
        assert f"Pregunta {number} de {total}" in html
        assert HINTS[kind] in html, kind
        for words in TYPE_WORDS.get(kind, []):
            assert words in html, (kind, words)
        assert ("Guardar y seguir" if number < total else "Guardar y repasar") in html
        assert "Ir a una pregunta" in html and 'aria-label="Pregunta 1, ' in html
        for english in ENGLISH:
            assert english not in html, (kind, english)
        # The prompt is the set's content: English, inside the Spanish page.
        assert re.search(r'<h1 class="prompt" lang="en" id="question-heading"', html), kind
        if shown.question.choices:
            assert '<ul class="options" lang="en">' in html
        if kind == "select_evidence":
            assert '<div class="passage" lang="en">' in html
        if kind == "matching":
            assert '<li lang="en"><label class="pair-label"' in html
            assert '<option lang="es" value="">Elige una pareja</option>' in html.replace(
                'value="" lang="es"', 'lang="es" value=""'
            )
    assert seen == set(HINTS)


def test_answers_refused_by_the_grader_or_the_form_say_why_in_spanish(
    app: Flask, classroom_quiz: Callable[..., tuple[User, Assignment]], sign_in
) -> None:
    user, assignment = classroom_quiz("mateo", "es")
    student = sign_in(user)
    joined = post_form(student, "/classes/join", {"code": ""}, page="/")
    assert "Escribe el código que te dio tu docente." in _html(joined)

    attempt_id = _start(student, assignment)
    with app.app_context():
        total = len(db.session.get(Attempt, attempt_id).question_ids)  # type: ignore[union-attr]
    numbers = {presented(app, attempt_id, n).question.type: n for n in range(1, total + 1)}
    base = f"/attempts/{attempt_id}/questions"
    year = post_form(student, f"{base}/{numbers['numerical']}", {"answer": "abc", "nav": "next"})
    assert "Escribe un número, como 1787 o 2.5." in _html(year)
    picks = post_form(
        student, f"{base}/{numbers['select_evidence']}", {"answer": ["1", "2"], "nav": "next"}
    )
    assert "Elige como máximo 1 oración; elegiste 2." in _html(picks)
    too_long = post_form(
        student,
        f"{base}/{numbers['written_response']}",
        {"answer": "palabra " * 81, "nav": "next"},
    )
    assert "Tu respuesta debe tener como máximo 80 palabras; tiene 81." in _html(too_long)


def test_results_history_and_the_source_page_speak_spanish(
    app: Flask, classroom_quiz: Callable[..., tuple[User, Assignment]], sign_in
) -> None:
    user, assignment = classroom_quiz("sofia", "es", attempts_allowed=1)
    student = sign_in(user)
    attempt_id = _start(student, assignment)
    _answer_wrong_and_submit(app, attempt_id)

    results = _html(student.get(f"/attempts/{attempt_id}/results"))
    assert _page_language(results) == "es"
    for words in (
        "Tus resultados",
        "Obtuviste <strong>0 de ",
        "Resumen",
        "8 preguntas para repasar:",  # every question but the written one, which waits
        "1 respuesta escrita espera a tu docente:",
        "Esperando a que tu docente califique esta respuesta.",
        "0 de 1 punto",
        "Esta puntuación es provisional",
        "Mostrar en la fuente",
        "Por qué:",
    ):
        assert words in results, words
    for english in ("Your results", "You scored", "questions to review", "Show in the source"):
        assert english not in results
    # The evidence and the explanations are the set's words, marked as English.
    assert '<blockquote lang="en">The judge said the bail was far too high.</blockquote>' in results
    assert '<span lang="en">The story says the judge did.</span>' in results

    history = _html(student.get("/history"))
    assert "Mis resultados" in history and "Empezado" in history and "My results" not in history

    source = _html(student.get(f"/attempts/{attempt_id}/sources/article?question=who"))
    assert _page_language(source) == "es"
    assert '<article class="source-text" lang="en">' in source
    assert '<p class="evidence-note" role="note" lang="es">' in source
    assert "La evidencia de «" in source and "<mark>resaltada</mark> abajo." in source
    assert 'lang="es">Evidencia: </span>The judge said the bail was far too high.</mark>' in source

    again = post_form(student, f"/assignments/{assignment.id}/start", {}, page="/")
    assert again.status_code == 302
    assert "Ya usaste todos los intentos que permite esta tarea." in _html(student.get("/"))


def test_the_browser_language_chooses_spanish_before_any_setting(
    app: Flask, classroom_quiz: Callable[..., tuple[User, Assignment]], sign_in
) -> None:
    user, assignment = classroom_quiz("diego", None)
    student = sign_in(user)
    attempt_id = _start(student, assignment)
    url = f"/attempts/{attempt_id}/questions/1"
    spanish = _html(student.get(url, headers={"Accept-Language": "es-US,es;q=0.9"}))
    assert _page_language(spanish) == "es" and "Pregunta 1 de " in spanish
    english = _html(student.get(url))
    assert _page_language(english) == "en" and "Question 1 of " in english
    # Content in the page's own language needs no lang of its own.
    assert '<h1 class="prompt" id="question-heading"' in english


def test_a_set_in_mexican_spanish_carries_its_own_tag(
    app: Flask, classroom_quiz: Callable[..., tuple[User, Assignment]], sign_in
) -> None:
    user, assignment = classroom_quiz("valeria", "es", language="es-MX")
    student = sign_in(user)
    attempt_id = _start(student, assignment)
    html = _html(student.get(f"/attempts/{attempt_id}/questions/1"))
    assert _page_language(html) == "es"
    assert '<h1 class="prompt" lang="es-MX" id="question-heading"' in html
    assert 'lang="en"' not in html.split("<main", 1)[1].split("</main>", 1)[0]
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.id == attempt_id))
        assert attempt is not None and attempt.version.document["language"] == "es-MX"


def test_each_types_fields_in_the_editor_are_named_in_spanish(
    app: Flask, create_user: Callable[..., User], sign_in
) -> None:
    """The question types name their own editor fields: a Spanish teacher reads them in Spanish."""
    teacher = create_user("profe-rios", role="teacher")
    with app.app_context():
        row = db.session.get(User, teacher.id)
        assert row is not None
        accounts.set_language(row, "es")
    client = sign_in(teacher)
    started = post_form(
        client, "/teach/drafts/new", {"title": "La fianza", "set_id": "la-fianza", "article": ""}
    )
    assert started.status_code == 303, started.get_data(as_text=True)
    draft = started.headers["Location"].rsplit("/", 1)[-1]
    expected = {
        "matching": ["Parejas", "Parejas de más", "Mezclar el orden para cada estudiante"],
        "numerical": ["Respuestas correctas", "Respuesta 1:", "de la respuesta 1"],
        "written_response": ["Rúbrica", "Mínimo de palabras", "Máximo de palabras"],
        "true_false": ["La afirmación es"],
    }
    for kind, words in expected.items():
        html = _html(client.get(f"/teach/drafts/{draft}/questions/new/{kind}"))
        for word in words:
            assert word in html, (kind, word)
        assert "Shuffle the order" not in html and "Right answers" not in html
