"""A teacher who chose Spanish reads the teacher pages in Spanish: the dashboard, a class, the
assignment form and its errors, item analysis, the print view and answer key, the scoring page.

Question content keeps its set's language: an English set on a Spanish page carries lang="en"
on its text. CSV column names stay English whatever the teacher's language, so files read back.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from flask import Flask
from flask.testing import FlaskClient
from helpers.factories import (
    join_class,
    make_assignment,
    make_class,
    make_user,
    sign_in,
    take_assignment,
)
from helpers.forms import post_form
from helpers.marking import MARKING_SET, take
from helpers.teacher import assignment_form

from quizapp.domain.loader import load_question_set_text
from quizapp.extensions import db
from quizapp.models import Response, User
from quizapp.services import accounts
from quizapp.services.question_sets import import_question_set

#: Interface words of the teacher pages that a Spanish page must not show (the visible text,
#: question content left out). Whole phrases, so that a student's name cannot match one. The
#: shared form macros (their "Please correct these:") are checked with the pages' own lists.
ENGLISH_PHRASES = [
    "Your classes",
    "Create class",
    "Question sets",
    "Join code",
    "New assignment",
    "Add students",
    "Download",
    "Item analysis",
    "Facility",
    "Discrimination",
    "By category",
    "Score written answers",
    "Save the score",
    "point in all",
    "points in all",
    "Answer key",
    "Printable quiz",
    "Name:",
    "Date:",
    "Students (",
    "Teaching",
]


def _speak_spanish(app: Flask, user: User) -> None:
    with app.app_context():
        accounts.set_language(db.session.get(User, user.id), "es")


@pytest.fixture
def spanish_teacher(app: Flask) -> dict:
    """Sra. Ruiz teaches in Spanish: her class of two, an assignment of the marking set (English
    content) that both students took, and her signed-in client."""
    teacher = make_user(app, "sra-ruiz", role="teacher", display_name="Sra. Ruiz")
    _speak_spanish(app, teacher)
    with app.app_context():
        import_question_set(
            load_question_set_text(MARKING_SET, "marking.yaml"), owner_id=teacher.id
        )
    classroom = make_class(app, teacher, name="Cívica 9B")
    ana = make_user(app, "ana", display_name="Ana Garcia")
    ben = make_user(app, "ben", display_name="Ben Okafor")
    for student in (ana, ben):
        join_class(app, student, classroom)
    assignment = make_assignment(app, classroom, "La Octava Enmienda", set_slug="marking-mini")
    written = {"text": "The critics say it is cruel and unusual.", "cited": ["2"]}
    take(app, ana, assignment, amendment="Eighth Amendment", who="Rubio", explain=written)
    take(app, ben, assignment, amendment="8th", who="Congress", explain=written)
    return {
        "app": app,
        "teacher": teacher,
        "client": sign_in(app, teacher),
        "classroom": classroom,
        "assignment": assignment,
        "ana": ana,
    }


class _VisibleText(HTMLParser):
    """The text a reader sees, without scripts, styles or elements in another language."""

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "rect", "line", "hr"):
            return
        lang = dict(attrs).get("lang")
        hidden = tag in ("script", "style", "title", "desc") or (
            lang is not None and lang != self.page_language
        )
        self._stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not any(hidden for _tag, hidden in self._stack):
            self.parts.append(data)


def visible_interface_text(html: str) -> str:
    """The page's visible text in the interface's language (content marked lang= left out)."""
    parser = _VisibleText(html.split('<html lang="', 1)[1].split('"', 1)[0])
    parser.feed(html.split("<main", 1)[1] if "<main" in html else html)
    return " ".join(" ".join(parser.parts).split())


def assert_no_english(html: str) -> None:
    text = visible_interface_text(html)
    left = [phrase for phrase in ENGLISH_PHRASES if phrase in text]
    assert not left, f"English left on a Spanish page: {left}\n{text[:2000]}"


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_dashboard_speaks_spanish(spanish_teacher: dict) -> None:
    html = page(spanish_teacher["client"], "/teach/")
    assert '<html lang="es">' in html
    for spanish in ("Tus clases", "Crear la clase", "Conjuntos de preguntas", "Código de la clase"):
        assert spanish in html, spanish
    # The time-zone menu: the U.S. zones by their Spanish names, in a Spanish group.
    assert '<optgroup label="Estados Unidos">' in html
    assert "Hora del Este (Nueva York)" in html
    assert_no_english(html)


def test_the_checker_sees_english_left_on_a_page() -> None:
    """The English-phrase check itself: interface English is found, marked content is not."""
    html = (
        '<html lang="es"><main><h1>Tus clases</h1><p lang="en">Your classes</p>'
        "<script>var a = 'Item analysis';</script></main></html>"
    )
    assert_no_english(html)
    with pytest.raises(AssertionError, match="Item analysis"):
        assert_no_english(html.replace("<h1>Tus clases", "<h1>Item analysis"))


def test_a_new_class_and_its_page_speak_spanish(spanish_teacher: dict) -> None:
    client = spanish_teacher["client"]
    created = post_form(
        client,
        "/teach/classes",
        {"name": "Gobierno 12A", "time_zone": "America/Chicago"},
        "/teach/",
    )
    assert created.status_code == 302
    html = page(client, created.headers["Location"])
    assert "Clase creada. Los estudiantes se unen con el código" in html
    assert "Código de la clase:" in html and "Nueva tarea" in html
    assert "Estudiantes (0)" in html and "Todavía no hay estudiantes." in html
    html = page(client, f"/teach/classes/{spanish_teacher['classroom'].id}")
    assert "Estudiantes (2)" in html and "Ana Garcia" in html
    assert '<td data-label="Modo">Prueba</td>' in html
    assert_no_english(html)


def test_a_class_without_a_name_is_refused_in_spanish(spanish_teacher: dict) -> None:
    response = post_form(
        spanish_teacher["client"], "/teach/classes", {"name": "", "time_zone": "UTC"}, "/teach/"
    )
    assert response.status_code == 200
    assert "Ponle un nombre a la clase." in response.get_data(as_text=True)


def test_the_assignment_forms_errors_are_spanish(spanish_teacher: dict) -> None:
    app, client = spanish_teacher["app"], spanish_teacher["client"]
    url = f"/teach/classes/{spanish_teacher['classroom'].id}/assignments/new"
    html = page(client, url)
    assert "Nueva tarea para Cívica 9B" in html
    assert "Práctica: correcto o incorrecto y la explicación después de cada respuesta" in html
    assert "Qué intento cuenta" in html and ">El mejor<" in html
    refused = post_form(
        client, url, assignment_form(app, title="", question_count="0", time_limit_minutes="900")
    )
    html = refused.get_data(as_text=True)
    assert "Ponle un título a la tarea." in html
    assert "Usa un número entero de 1 a 600." in html
    assert "Give the assignment a title." not in html
    assert_no_english(html)


def test_item_analysis_speaks_spanish_and_marks_the_questions_english(
    spanish_teacher: dict,
) -> None:
    assignment = spanish_teacher["assignment"]
    html = page(spanish_teacher["client"], f"/teach/assignments/{assignment.id}/analysis")
    assert "Análisis de preguntas: La Octava Enmienda" in html
    assert "A partir de 2 intentos entregados en la versión 1." in html
    assert "<strong>Facilidad</strong> es la puntuación media en la pregunta (100% = todos" in html
    assert "Pregunta por pregunta" in html and "[elegida por " in html
    assert "Oración correcta:" in html
    # The question text is the set's English, marked so a screen reader reads it in English.
    assert '<span lang="en">Who called the offer generous?</span>' in html
    assert '<span lang="en">Rubio</span>: 1 <span class="outcome outcome-correct">' in html
    assert '(<span aria-hidden="true">✓</span> correcta)' in html
    # The typed answers: the interface's words, the students' answers in the set's language.
    typed = re.search(r'<table class="table typed-answers">(.*?)</table>', html, re.S).group(1)
    assert '<th scope="row" lang="en">8th</th>' in typed and "Aceptar" in typed
    assert_no_english(html)


def test_the_results_page_and_the_chart_speak_spanish(spanish_teacher: dict) -> None:
    assignment = spanish_teacher["assignment"]
    html = page(spanish_teacher["client"], f"/teach/assignments/{assignment.id}")
    assert "Resultados por estudiante" in html and "cuenta el mejor intento" in html
    assert "Puntuaciones que cuentan de 2 estudiantes" in html
    assert "2 intentos entregados tienen respuestas escritas por calificar" in html
    assert_no_english(html)


def test_the_scoring_page_speaks_spanish(spanish_teacher: dict) -> None:
    app, client, assignment = (
        spanish_teacher["app"],
        spanish_teacher["client"],
        spanish_teacher["assignment"],
    )
    queue = page(client, f"/teach/assignments/{assignment.id}/scoring")
    assert "Por calificar (2)" in queue and "Calificadas (0)" in queue
    assert '<td data-label="Pregunta" lang="en">' in queue
    with app.app_context():
        response_id = db.session.scalar(
            sa.select(sa.func.min(Response.id)).where(Response.question_id == "explain")
        )
    url = f"/teach/assignments/{assignment.id}/scoring/{response_id}"
    html = page(client, url)
    assert "Calificar la respuesta de Ana Garcia" in html
    assert "Puntuación por criterio (3 puntos en total)" in html
    # The criterion is the set's own words, marked with its language; the points are the page's.
    assert '<span lang="en">Names the Eighth Amendment</span> (de 0 a 2 puntos)' in html
    assert '<h2 lang="en">Explain the critics&#39; objection.</h2>' in html
    assert "Las oraciones citadas en el texto" in html
    assert_no_english(html)
    refused = post_form(client, url, {"criterion_0": "5", "criterion_1": ""})
    assert refused.status_code == 422
    errors = refused.get_data(as_text=True)
    assert "Da de 0 a 2 puntos." in errors
    assert "Dale una puntuación a este criterio (0 también es una puntuación)." in errors
    saved = post_form(client, url, {"criterion_0": "2", "criterion_1": "1"})
    assert saved.status_code == 302
    assert "Puntuación guardada para Ana Garcia." in page(client, saved.headers["Location"])


def test_the_print_view_and_answer_key_speak_spanish(spanish_teacher: dict) -> None:
    client = spanish_teacher["client"]
    quiz = page(client, "/teach/sets/marking-mini/versions/1/print")
    assert "Nombre:" in quiz and "Fecha:" in quiz
    assert "Usa el comando Imprimir de tu navegador" in quiz
    assert '<h1><span lang="en">Marking mini</span></h1>' in quiz
    assert '<strong lang="en">Who called the offer generous?</strong>' in quiz
    assert "(1 punto)" in quiz and "(3 puntos)" in quiz
    assert "La Parte B solo puntúa si la Parte A es correcta." in quiz
    assert '<section class="print-source" aria-labelledby="print-source-1" lang="en">' in quiz
    assert_no_english(quiz)
    key = page(client, "/teach/sets/marking-mini/versions/1/answer-key")
    assert "<h1>Marking mini: clave de respuestas</h1>" in key
    assert "Clave de respuestas · Marking mini" in key


def test_an_english_teacher_sees_the_same_pages_in_english(spanish_teacher: dict) -> None:
    """English stays the default: the same set, printed for a teacher with no setting."""
    app = spanish_teacher["app"]
    colleague = make_user(app, "mr-hale", role="teacher")
    client = sign_in(app, colleague)
    quiz = page(client, "/teach/sets/civics-mini/versions/1/print")
    assert '<html lang="en">' in quiz and "Name:" in quiz and "Nombre:" not in quiz
    # English content on an English page needs no lang mark of its own.
    assert "<strong>Who said every young person" in quiz


def test_csv_headers_stay_english_for_a_spanish_teacher(spanish_teacher: dict) -> None:
    app, client = spanish_teacher["app"], spanish_teacher["client"]
    assignment, classroom = spanish_teacher["assignment"], spanish_teacher["classroom"]
    urls = [
        f"/teach/assignments/{assignment.id}/results.csv",
        f"/teach/classes/{classroom.id}/gradebook.csv",
    ]
    spanish = [_csv_rows(client.get(url).get_data(as_text=True)) for url in urls]
    with app.app_context():
        accounts.set_language(db.session.get(User, spanish_teacher["teacher"].id), "en")
    english = [_csv_rows(client.get(url).get_data(as_text=True)) for url in urls]
    assert [rows[0] for rows in spanish] == [rows[0] for rows in english]
    assert spanish == english  # every cell: the files read back the same in any language
    assert spanish[1][0][:2] == ["student", "username"]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_a_spanish_set_is_marked_spanish_in_an_english_preview(app: Flask) -> None:
    """The other way round: Spanish content on an English page carries lang="es"."""
    teacher = make_user(app, "ms-park", role="teacher")
    spanish_set = MARKING_SET.replace("id: marking-mini", "id: marcado\nlanguage: es").replace(
        "Who called the offer generous?", "¿Quién dijo que la oferta era generosa?"
    )
    with app.app_context():
        import_question_set(
            load_question_set_text(spanish_set, "marcado.yaml"), owner_id=teacher.id
        )
    html = page(sign_in(app, teacher), "/teach/sets/marcado")
    assert '<html lang="en">' in html
    assert '<h3 lang="es">¿Quién dijo que la oferta era generosa?</h3>' in html
    assert '<ul class="answer-lines" lang="es">' in html
    assert '<span class="visually-hidden" lang="en">Evidence: </span>' in html


def test_roster_problems_and_delete_confirmations_are_spanish(spanish_teacher: dict) -> None:
    client, classroom = spanish_teacher["client"], spanish_teacher["classroom"]
    url = f"/teach/classes/{classroom.id}/students/new"
    refused = post_form(client, url, {"roster": "First Name,Last Name\n"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "No se creó nada. Corrige la lista:" in html
    assert "La lista tiene una fila de encabezados, pero ningún estudiante debajo." in html
    confirm = page(client, f"/teach/classes/{classroom.id}/delete")
    assert "¿Eliminar la clase «Cívica 9B»?" in confirm
    assert (
        "2 inscripciones de estudiantes" in confirm and "2 intentos (y sus resultados)" in confirm
    )
    unticked = post_form(client, f"/teach/classes/{classroom.id}/delete", {})
    assert unticked.status_code == 422
    assert "Marca la casilla para confirmar, o vuelve atrás." in unticked.get_data(as_text=True)


def test_true_or_false_counts_in_item_analysis_are_spanish_words(app: Flask) -> None:
    """A true-or-false question's choices are the interface's words, not the set's content."""
    teacher = make_user(app, "sr-vega", role="teacher")
    _speak_spanish(app, teacher)
    classroom = make_class(app, teacher)
    student = make_user(app, "eva", display_name="Eva Luna")
    join_class(app, student, classroom)
    assignment = make_assignment(app, classroom, "Toque de queda")
    take_assignment(app, student, assignment, correct=True)
    html = page(sign_in(app, teacher), f"/teach/assignments/{assignment.id}/analysis")
    assert "<li>Falso: 1 <span" in html and ">False<" not in html
    assert '<span lang="en">Ana Ortiz</span>: 1' in html


def test_a_criterions_words_are_marked_where_the_placeholder_stands(app: Flask) -> None:
    """A translation may say the criterion's words elsewhere in the sentence too: the span is
    the placeholder's, not the first place the words appear."""
    from flask import g

    from quizapp.domain.model import Criterion
    from quizapp.teacher.scoring_forms import _criterion_label

    catalog = Catalog(locale="en")
    catalog.add(
        ("%(criterion)s (0 to %(num)s point)", "%(criterion)s (0 to %(num)s points)"),
        ("Scored 0 to %(num)s point: %(criterion)s", "Scored 0 to %(num)s points: %(criterion)s"),
    )
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        g._catalogue = Translations(compiled)
        label = str(_criterion_label(Criterion(2, "points"), "es"))
    assert label == 'Scored 0 to 2 points: <span lang="es">points</span>'
