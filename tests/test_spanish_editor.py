"""The editor, the article intake and the LTI pages in Spanish: a teacher whose language is
Spanish writes, checks and publishes a set in Spanish, with the problems in Spanish beside their
fields; an LMS launch refused for a Spanish browser says why in Spanish, and is logged in
English for the school's IT."""

from __future__ import annotations

import io
import logging
import re
from html import unescape

import pytest
from helpers.editor import ARTICLE, BASE, EVERY_TYPE, QUOTE
from helpers.forms import csrf_token, post_form
from helpers.lti_launch import launch, register, running_platform
from helpers.lti_platform import LEARNER, LaunchSpec, TestPlatform

from quizapp.domain import drafting
from quizapp.domain.i18n import gettext

SPANISH = {"Accept-Language": "es-US,es;q=0.9"}


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def choose_spanish(client) -> None:
    """The teacher's own setting, made with the switch at the foot of the page."""
    chosen = post_form(client, "/language", {"language": "es", "next": "/teach/"}, page="/teach/")
    assert chosen.status_code == 303


@pytest.fixture
def teacher(signed_in):
    client = signed_in("profe", role="teacher")
    choose_spanish(client)
    return client


def start(client, **fields) -> int:
    data = {"title": "Votación del concejo", "set_id": "votacion", "article": ARTICLE, **fields}
    response = post_form(client, "/teach/drafts/new", data)
    assert response.status_code == 303, text_of(response)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def field_error(page: str, field_id: str) -> str:
    """The error text the form macro shows for one field (its aria-describedby target)."""
    found = re.search(rf'id="{field_id}-error"[^>]*>(.*?)</p>', page, re.S)
    assert found, f"no error shown for {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_the_new_set_page_and_its_refusals_are_in_spanish(teacher):
    page = teacher.get("/teach/drafts/new")
    text = text_of(page)
    assert '<html lang="es"' in text
    assert "<h1>Escribir un conjunto de preguntas</h1>" in text
    assert "Texto del artículo (opcional)" in text
    assert "Empezar a escribir" in text
    assert "Write a question set" not in text and "Article text" not in text

    refused = post_form(teacher, "/teach/drafts/new", {"title": "", "set_id": "Mal Id"})
    assert refused.status_code == 422
    refusal = text_of(refused)
    assert "Ponle un título al conjunto." in refusal
    assert "Usa de 3 a 64 letras minúsculas, dígitos y '-'" in refusal
    assert "Give the set a title." not in refusal

    too_long = post_form(
        teacher, "/teach/drafts/new", {"title": "Largo", "article": "palabra " * 30_000}
    )
    assert too_long.status_code == 422
    assert "el artículo tiene más de 200,000 caracteres" in text_of(too_long)


def test_a_draft_its_questions_and_its_problems_are_in_spanish(app, teacher):
    draft_id = start(teacher)
    page = teacher.get(f"/teach/drafts/{draft_id}")
    text = text_of(page)
    assert "Borrador guardado. Agrega sus preguntas." in text
    assert "<h1>Borrador: Votación del concejo</h1>" in text
    assert "Todavía no está listo para publicar." in text
    assert "Todavía no hay preguntas." in text
    # The type menu, the sources and the plural of the question count.
    assert ">Opción única</a>" in text and ">Seleccionar la evidencia</a>" in text
    assert "· 0 preguntas" in text
    assert "Eliminar este borrador" in text

    # A question saved without its text: the validator's problem, in the editor's Spanish
    # words, beside the question field (not above the form).
    missing_prompt = {**EVERY_TYPE["true_false"], "prompt": ""}
    saved = post_form(teacher, f"/teach/drafts/{draft_id}/questions/new/true_false", missing_prompt)
    assert saved.status_code == 303
    question = teacher.get(saved.headers["Location"])
    question_page = text_of(question)
    assert "Guardado. Algunos campos todavía necesitan cambios" in question_page
    assert field_error(question_page, "prompt").endswith("completa el campo prompt")
    assert "<h1>Pregunta 1: Verdadero o falso</h1>" in question_page
    assert "Guardar pregunta" in question_page

    # The article keeps its own language inside the Spanish page (a screen reader reads it
    # in English); so do the sentences offered as evidence.
    assert '<div class="passage" lang="en">' in question_page
    draft_page = text_of(teacher.get(f"/teach/drafts/{draft_id}"))
    assert '<div class="source-text" lang="en"><p>The council met on Monday' in draft_page
    assert "Pregunta 1, prompt: completa el campo prompt" in draft_page
    assert "· 1 pregunta<" in draft_page or "· 1 pregunta\n" in draft_page


def test_preview_and_publish_speak_spanish(teacher):
    draft_id = start(teacher)
    post_form(
        teacher, f"/teach/drafts/{draft_id}/questions/new/true_false", EVERY_TYPE["true_false"]
    )
    draft_page = text_of(teacher.get(f"/teach/drafts/{draft_id}"))
    assert "Listo para publicar." in draft_page
    assert '<span lang="en">Who said the bill would be voted down?</span>' in draft_page
    preview = text_of(teacher.get(f"/teach/drafts/{draft_id}/preview"))
    assert "<h1>Vista previa: Votación del concejo</h1>" in preview
    assert "Esta será la versión 1 de un conjunto nuevo, «Votación del concejo»" in preview
    assert "Como lo verán los estudiantes" in preview
    published = post_form(
        teacher, f"/teach/drafts/{draft_id}/publish", {}, page=f"/teach/drafts/{draft_id}"
    )
    assert published.status_code == 303
    set_page = text_of(teacher.get(published.headers["Location"]))
    assert "Se publicó «Votación del concejo», versión 1." in set_page
    assert "Copiar a mis conjuntos" in set_page and "Asignar a una clase" in set_page

    copy = text_of(teacher.get("/teach/sets/votacion/duplicate"))
    assert "Copiar «Votación del concejo» a tus conjuntos" in copy
    assert 'value="Copia de Votación del concejo"' in copy


def test_question_moves_are_reported_in_spanish(teacher):
    draft_id = start(teacher)
    for _ in range(2):
        post_form(
            teacher,
            f"/teach/drafts/{draft_id}/questions/new/true_false",
            {**BASE, "answer": "true", "evidence_0_pick": QUOTE},
        )
    moved = post_form(
        teacher,
        f"/teach/drafts/{draft_id}/questions/2/move",
        {"direction": "up"},
        page=f"/teach/drafts/{draft_id}",
        follow_redirects=True,
    )
    assert "Pregunta 2 movida hacia arriba." in text_of(moved)
    copied = post_form(
        teacher,
        f"/teach/drafts/{draft_id}/questions/1/duplicate",
        {},
        page=f"/teach/drafts/{draft_id}",
        follow_redirects=True,
    )
    assert "Pregunta 1 copiada: la copia es la pregunta 2." in text_of(copied)


# --- the article intake and the draft review's messages ----------------------------------------------


def test_article_intake_refusals_are_in_spanish(teacher):
    intake = "/teach/articles/new"
    empty = post_form(teacher, intake, {"text": "  \n ", "action": "draft"})
    assert empty.status_code == 422
    assert "El artículo no tiene texto; pega la noticia o sube su archivo." in text_of(empty)

    wrong_type = {
        "csrf_token": csrf_token(teacher, intake),
        "text": "Mi párrafo.",
        "action": "read",
        "article_file": (io.BytesIO(b"MZ"), "noticia.exe"),
    }
    refused = teacher.post(intake, data=wrong_type, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "'noticia.exe' no es un tipo de archivo que la aplicación pueda leer" in text_of(refused)


def test_review_errors_follow_the_readers_language(app):
    """The draft review's messages from the domain (drafts still undecided, an article with
    nothing to draft) are worded when shown: Spanish in a Spanish request, English outside."""
    with app.test_request_context("/", headers=SPANISH):
        with pytest.raises(drafting.DraftReviewError) as spanish:
            drafting.reviewed_set_data({"questions": [{"id": "who-said-1"}]}, {})
        assert str(spanish.value) == (
            "primero acepta, edita o descarta cada borrador; falta revisar: who-said-1"
        )
        assert str(drafting.NOTHING_TO_DRAFT).startswith("la aplicación no encontró")
    with app.test_request_context("/"):
        assert str(drafting.NOTHING_TO_DRAFT).startswith("the app found no quotation")
        assert gettext("fill in the %(field)s", field="prompt") == "fill in the prompt"


# --- LTI ----------------------------------------------------------------------------------


@pytest.fixture
def registered(app, signed_in):
    """A running platform, registered through the setup page."""
    with running_platform() as platform:
        yield register(app, signed_in("lms-admin", role="teacher"), platform)


def spanish_launch(app, platform: TestPlatform, spec: LaunchSpec):
    """The OIDC flow from a browser that reads Spanish; the tool's answer to the launch."""
    return launch(app, platform, spec, headers=SPANISH)[1]


def test_a_refused_launch_is_explained_in_spanish_and_logged_in_english(app, registered, caplog):
    caplog.set_level(logging.WARNING, logger="quizapp.security")
    expired = spanish_launch(app, registered, LaunchSpec(sub="s", roles=[LEARNER], expires_in=-120))
    assert expired.status_code == 400
    page = text_of(expired)
    assert '<html lang="es"' in page
    assert "<h1>Civics Quiz no se pudo abrir desde tu LMS</h1>" in page
    assert "El token de inicio del LMS caducó." in page
    assert "Vuelve a abrir Civics Quiz desde tu curso." in page
    assert "could not open" not in page
    logged = [r.getMessage() for r in caplog.records if "lti_launch_refused" in r.getMessage()]
    assert logged and "The LMS's launch token has expired." in logged[-1]
    assert "caducó" not in logged[-1]

    # A valid launch the app cannot serve (no teacher has set the course up): the service's
    # refusal, in Spanish too.
    early = spanish_launch(app, registered, LaunchSpec(sub="early", roles=[LEARNER]))
    assert early.status_code == 403
    assert "Tu docente todavía no ha configurado Civics Quiz en este curso." in text_of(early)


def test_the_lms_setup_page_and_its_problems_are_in_spanish(signed_in):
    admin = signed_in("lms-admin", role="teacher")
    setup = text_of(admin.get("/lti/setup", headers=SPANISH))
    assert "<h1>Civics Quiz en tu LMS (LTI 1.3)</h1>" in setup
    assert "Registrar una plataforma" in setup and "Ninguna todavía." in setup
    refused = post_form(
        admin,
        "/lti/platforms",
        {"name": "Canvas", "issuer": "https://canvas.example", "client_id": "1",
         "deployment_ids": "1", "auth_login_url": "not an address",
         "auth_token_url": "https://canvas.example/token", "key_set_url": "https://canvas.example/jwks"},
        page="/lti/setup",
        headers=SPANISH,
    )  # fmt: skip
    problem = text_of(refused)
    assert "Escribe una dirección web completa que empiece con https://." in problem
    missing = post_form(admin, "/lti/platforms", {"name": ""}, page="/lti/setup", headers=SPANISH)
    assert "Ponle un nombre a la plataforma." in text_of(missing)
