"""A file's problems in the teacher's language: Spanish on the upload page, English elsewhere.

The messages are made while the file is validated, in the language of the request that
uploads it; the line numbers and the format's keywords (type:, answer:, 'ANSWER: A') stay as
they are in the file. Outside a request (the command line, the domain's own tests) they are
the English messages the format document quotes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.forms import post_form
from helpers.uploads import file_problems, upload_page

from quizapp.domain.errors import ValidationIssue, first_problems
from quizapp.domain.formats import parse_upload
from quizapp.domain.warnings import missing_image, no_evidence, summarize_warnings

SPANISH = {"Accept-Language": "es-US,es;q=0.9"}

# Line 1 lacks 'format:'; line 10 has a key the format does not know.
YAML_SET = b"""id: mi-conjunto
title: Prueba de la Corte Suprema
sources:
  art:
    title: Un articulo
    text: The council will vote next month.
questions:
  - id: q1
    type: single_choice
    colour: red
    prompt: Who votes?
    choices: [The council, The mayor]
    answer: The council
"""
# A colon inside a value on line 3: YAML reads it as a second key.
YAML_COLON = b"""format: quizapp/1
id: mi-conjunto
title: Nota: la Octava Enmienda
"""
# The answer block opened on line 3 is never closed.
GIFT_SET = b"""::q1::What is the capital? {=Paris ~London}

::q2::Who rules? {=The people ~Nobody
"""
CSV_SET = b"type,promt,answer\nsingle_choice,Who votes?,A\n"
MOODLE_SET = b'<?xml version="1.0" encoding="UTF-8"?>\n<quizz>\n</quizz>\n'
AIKEN_SET = b"Who votes?\nA. The council\nB. The mayor\n"
# Three questions without evidence quotes: one warning line counts them.
GIFT_WITHOUT_EVIDENCE = (
    b"::a::First? {=Yes ~No}\n\n::b::Second? {=Yes ~No}\n\n::c::Third? {=Yes ~No}\n"
)


@pytest.fixture
def spanish_teacher(signed_in: Callable[..., FlaskClient]) -> FlaskClient:
    """A teacher who chose Spanish with the switch at the foot of the page."""
    teacher = signed_in("sra-lopez", role="teacher")
    post_form(teacher, "/language", {"language": "es", "next": "/"}, page="/")
    return teacher


def test_a_yaml_files_problems_are_in_spanish_with_lines_and_keywords(
    spanish_teacher: FlaskClient,
) -> None:
    page = upload_page(spanish_teacher, "corte.yaml", YAML_SET)
    assert "corte.yaml, línea 1: agrega 'format: quizapp/1' al principio del archivo" in page
    assert (
        "corte.yaml, línea 10, pregunta 'q1': clave de pregunta desconocida 'colour'; "
        "claves permitidas: "
    ) in page
    assert "add 'format: quizapp/1'" not in page


def test_a_yaml_syntax_problem_is_explained_in_spanish(spanish_teacher: FlaskClient) -> None:
    page = upload_page(spanish_teacher, "nota.yaml", YAML_COLON)
    assert (
        "nota.yaml, línea 3: un texto con dos puntos necesita comillas: escribe "
        '`title: "Nota: la Octava Enmienda"`'
    ) in page


def test_gift_csv_moodle_and_aiken_problems_are_in_spanish(
    spanish_teacher: FlaskClient,
) -> None:
    gift = upload_page(spanish_teacher, "capitales.gift", GIFT_SET, set_id="capitales")
    assert (
        "capitales.gift, línea 3, pregunta 'q2': el bloque de respuestas abierto con '{' en la "
        "línea 3 nunca se cierra con '}'; escribe \\{ para una llave literal"
    ) in gift
    csv = upload_page(spanish_teacher, "votos.csv", CSV_SET, set_id="votos")
    assert (
        "votos.csv, línea 1: columna desconocida 'promt' (¿querías decir 'prompt'?); "
        "las columnas son id, type,"
    ) in csv
    assert (
        "la fila de encabezados necesita la(s) columna(s) prompt; tiene 'type', 'promt' y 'answer'"
    ) in csv
    moodle = upload_page(spanish_teacher, "banco.xml", MOODLE_SET, set_id="banco")
    assert (
        "banco.xml, línea 2: un archivo Moodle XML empieza con <quiz>, no con <quizz>"
    ) in moodle
    aiken = upload_page(spanish_teacher, "votos.txt", AIKEN_SET, set_id="votos-aiken")
    assert "no se puede saber el formato de este archivo .txt" in aiken
    aiken = upload_page(spanish_teacher, "votos.aiken", AIKEN_SET, set_id="votos-aiken")
    assert (
        "votos.aiken, línea 1, pregunta 'q1': la pregunta no tiene una línea 'ANSWER: A' "
        "después de sus opciones"
    ) in aiken


def test_warnings_of_one_kind_are_counted_in_spanish(spanish_teacher: FlaskClient) -> None:
    """The summary tells the kinds of warning apart in the language they were made in."""
    page = upload_page(spanish_teacher, "tres.gift", GIFT_WITHOUT_EVIDENCE, set_id="tres")
    assert (
        "3 preguntas no tienen cita de evidencia; los estudiantes no verán ninguna fuente "
        "para ellas"
    ) in page
    assert "la pregunta 'a' no tiene cita de evidencia" not in page


def test_the_same_files_outside_a_request_give_the_english_messages() -> None:
    assert file_problems("corte.yaml", YAML_SET)[0] == (
        "corte.yaml, line 1: add 'format: quizapp/1' at the top of the file"
    )
    assert file_problems("nota.yaml", YAML_COLON) == [
        "nota.yaml, line 3: text with a colon needs quotes: write "
        '`title: "Nota: la Octava Enmienda"`'
    ]
    assert file_problems("capitales.gift", GIFT_SET) == [
        "capitales.gift, line 3, question 'q2': the answer block opened with '{' on line 3 is "
        "never closed with '}'; write \\{ for a literal brace"
    ]
    assert file_problems("votos.csv", CSV_SET)[0].startswith(
        "votos.csv, line 1: unknown column 'promt' (did you mean 'prompt'?); the columns are"
    )
    assert file_problems("banco.xml", MOODLE_SET) == [
        "banco.xml, line 2: a Moodle XML file starts with <quiz>, not <quizz>; export the "
        "questions from Moodle's question bank as Moodle XML"
    ]
    assert file_problems("votos.aiken", AIKEN_SET) == [
        "votos.aiken, line 1, question 'q1': the question has no 'ANSWER: A' line after its options"
    ]
    warnings = parse_upload("tres.gift", GIFT_WITHOUT_EVIDENCE).warnings
    assert summarize_warnings(warnings) == [
        "tres.gift: 3 questions have no evidence quote; students will see no source for them "
        "(lines 1, 3, 5)"
    ]


def test_the_count_of_problems_not_shown_follows_the_language(app: Flask) -> None:
    issues = [ValidationIssue("big.csv", "bad row", line) for line in range(1, 2_005)]
    assert first_problems(issues, 3)[-1] == (
        "… and 2,001 more problems; fix the ones above, then upload the file again to see the rest"
    )
    assert first_problems(issues[:4], 3)[-1].startswith("… and 1 more problem; fix")
    with app.test_request_context(headers=SPANISH):
        listed = first_problems(issues, 3)
    assert listed[0] == "big.csv, línea 1: bad row"
    assert listed[-1] == (
        "… y 2,001 problemas más; corrige los de arriba y vuelve a subir el archivo para ver "
        "el resto"
    )


def test_each_kind_of_warning_is_summarized_in_spanish(app: Flask) -> None:
    with app.test_request_context(headers=SPANISH):
        warnings = [ValidationIssue("banco.gift", no_evidence(f"q{n}"), n) for n in range(1, 8)]
        warnings += [
            ValidationIssue("banco.gift", missing_image(f"q{n}", name), n)
            for n, name in ((4, "mapa.png"), (9, "sello.png"))
        ]
        warnings += [ValidationIssue("banco.gift", "the same note", n) for n in (11, 12)]
        summary = summarize_warnings(warnings)
    assert summary == [
        "banco.gift: 7 preguntas no tienen cita de evidencia; los estudiantes no verán ninguna "
        "fuente para ellas (líneas 1, 2, 3, 4, 5 y 2 más)",
        "banco.gift: 2 imágenes no están entre los archivos subidos y se omiten de sus "
        "preguntas: mapa.png, sello.png (líneas 4, 9)",
        "banco.gift: the same note (y 1 más como este) (líneas 11, 12)",
    ]


# A matching question without pairs (line 9) and a numerical answer that is no number (line 13).
YAML_TYPE_PROBLEMS = b"""format: quizapp/1
id: ramas
title: Las ramas del gobierno
sources:
  art:
    title: Un articulo
    text: Congress makes the laws. The Constitution was signed in 1787.
questions:
  - id: m1
    type: matching
    prompt: Match each branch with its work.
  - id: n1
    type: numerical
    prompt: In what year was the Constitution signed?
    answer: seventeen
"""


def test_question_type_problems_are_in_spanish_and_english_outside_a_request(
    spanish_teacher: FlaskClient,
) -> None:
    """The types' own checks speak the teacher's language; their keywords stay as written."""
    page = upload_page(spanish_teacher, "ramas.yaml", YAML_TYPE_PROBLEMS, set_id="ramas")
    assert (
        "ramas.yaml, línea 9, pregunta 'm1': agrega 'pairs:' que asocie cada elemento de la "
        "izquierda con su pareja"
    ) in page
    assert (
        "ramas.yaml, línea 15, pregunta 'n1': la respuesta 1 debe ser un número, como 1787 o 2.5"
    ) in page
    assert "add 'pairs:'" not in page
    assert file_problems("ramas.yaml", YAML_TYPE_PROBLEMS) == [
        "ramas.yaml, line 9, question 'm1': add 'pairs:' mapping each left item to its match",
        "ramas.yaml, line 15, question 'n1': answer 1 must be a number, such as 1787 or 2.5",
    ]
