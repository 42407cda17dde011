"""The shared parts of the interface in Spanish: signing in and registering, error pages, flash
messages, dates and numbers in a class's time zone, and the teachers' command line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from helpers.forms import post_form
from helpers.teacher import (
    class_of,
    enrol,
    post_new_assignment,
)

from quizapp.models import User
from quizapp.presentation import (
    OUTCOME_LABELS,
    format_count,
    format_percent,
    format_points,
    friendly_time,
    local_time,
    time_left,
)

SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.5"}
#: A Monday, 09:00 in New York.
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
#: Babel writes "p. m." with narrow no-break spaces, so that it never breaks across lines.
PM, AM = "p.\u202fm.", "a.\u202fm."


@pytest.fixture
def spanish(client: FlaskClient) -> FlaskClient:
    """A browser that asks for Spanish."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = SPANISH["Accept-Language"]
    return client


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_sign_in_page_and_its_errors_speak_spanish(
    spanish: FlaskClient, create_user: Callable[..., User]
) -> None:
    page = _text(spanish.get("/account/login"))
    assert '<html lang="es">' in page
    assert "<h1>Iniciar sesión</h1>" in page
    assert "¿Olvidaste tu contraseña?" in page
    assert '¿Eres nuevo? <a href="/account/register">Crea una cuenta</a>.' in page
    assert ">Nombre de usuario</label>" in page
    empty = _text(post_form(spanish, "/account/login", {"username": "", "password": ""}))
    assert "Corrige estos puntos:" in empty
    assert "Escribe tu nombre de usuario." in empty and "Escribe tu contraseña." in empty
    create_user("ana")
    wrong = _text(post_form(spanish, "/account/login", {"username": "ana", "password": "nope"}))
    assert "Corrige esto:" in wrong
    assert "Ese nombre de usuario y esa contraseña no coinciden con ninguna cuenta." in wrong


def test_registration_refusals_speak_spanish_from_the_form_and_the_service(
    spanish: FlaskClient, create_user: Callable[..., User]
) -> None:
    create_user("ana")
    differ = post_form(
        spanish,
        "/account/register",
        {"username": "Ana", "password": "a fine long password", "confirm": "different"},
    )
    page = _text(differ)
    assert "Las dos contraseñas no coinciden." in page
    assert "De 8 a 128 caracteres; sirve cualquier carácter." in page  # the field's hint
    short = _text(
        post_form(
            spanish, "/account/register", {"username": "bo", "password": "short", "confirm": ""}
        )
    )
    assert "Usa de 8 a 128 caracteres." in short
    assert "Escribe la contraseña otra vez." in short
    common = _text(
        post_form(
            spanish,
            "/account/register",
            {"username": "ana", "password": "password123", "confirm": "password123"},
        )
    )
    assert "Esa contraseña es de las más comunes y fácil de adivinar; elige otra." in common
    fine = "a fine long password"
    taken = post_form(
        spanish, "/account/register", {"username": "ana", "password": fine, "confirm": fine}
    )
    assert "Ese nombre de usuario ya está en uso; elige otro." in _text(taken)


def test_wtforms_own_messages_come_out_in_spanish(spanish: FlaskClient) -> None:
    """A validator without a message of ours (the display name's Length(max=100)) uses WTForms'
    catalogue."""
    data = {
        "username": "ana-garcia",
        "display_name": "a" * 101,
        "password": "a fine long password",
        "confirm": "a fine long password",
    }
    page = _text(post_form(spanish, "/account/register", data))
    assert "El campo no puede tener más de 100 caracteres." in page
    english = post_form(spanish, "/account/register", data, headers={"Accept-Language": "en"})
    assert "Field cannot be longer than 100 characters." in _text(english)


def test_flash_messages_speak_spanish(spanish: FlaskClient) -> None:
    # Flask-Login's "Please sign in" is flashed into the session: as text, not a lazy message.
    asked = spanish.get("/history", follow_redirects=True)
    assert "Inicia sesión para continuar." in _text(asked)
    made = post_form(
        spanish,
        "/account/register",
        {"username": "nina", "password": "a fine long password", "confirm": "a fine long password"},
        follow_redirects=True,
    )
    assert "¡Te damos la bienvenida! Tu cuenta está lista." in _text(made)
    out = post_form(spanish, "/account/logout", {}, page="/", follow_redirects=True)
    assert "Cerraste sesión." in _text(out)


def test_a_session_that_idled_out_says_so_in_spanish(
    app: Flask, create_user: Callable[..., User], sign_in: Callable[[User], FlaskClient]
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        student = sign_in(create_user("bo"))
        student.get("/")
        clock.shift(timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
        page = _text(student.get("/account/login", headers=SPANISH))
    assert "Se cerró tu sesión tras un rato sin actividad. Vuelve a iniciar sesión." in page


def test_too_many_failed_sign_ins_are_explained_in_spanish(
    app: Flask, spanish: FlaskClient, create_user: Callable[..., User]
) -> None:
    create_user("ana")
    wrong = {"username": "ana", "password": "not it"}
    with time_machine.travel(START, tick=False):
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"] + 1):
            response = post_form(spanish, "/account/login", wrong)
    assert response.status_code == 429
    assert "Demasiados intentos fallidos de iniciar sesión en esta cuenta desde aquí." in _text(
        response
    )
    assert "Espera 5 segundos" in _text(response)


@pytest.fixture
def failing(app: Flask) -> Flask:
    """The app with a page that fails, answered by the error handler."""
    app.config["TESTING"] = False

    @app.get("/fails-in-spanish")
    def fails_in_spanish() -> str:
        raise RuntimeError("broken")

    return app


def test_error_pages_speak_spanish(
    failing: Flask, signed_in: Callable[..., FlaskClient], create_user: Callable[..., User]
) -> None:
    client = failing.test_client()
    missing = client.get("/no/such/page", headers=SPANISH)
    page = _text(missing)
    assert missing.status_code == 404 and '<html lang="es">' in page
    assert "<title>Error 404 · Civics Quiz</title>" in page
    assert "<h1>Página no encontrada</h1>" in page
    assert "Aquí no hay nada." in page and "Ir a la lista de cuestionarios" in page
    broken = client.get("/fails-in-spanish", headers=SPANISH)
    assert broken.status_code == 500
    assert "Tus respuestas guardadas están a salvo" in _text(broken)
    refused = signed_in("sam").get("/teach/", headers=SPANISH)
    assert refused.status_code == 403
    assert "<h1>No permitido</h1>" in _text(refused)
    assert "No tienes acceso a esta página." in _text(refused)
    forged = client.post("/account/login", data={"username": "x"}, headers=SPANISH)
    assert forged.status_code == 400
    assert "Este formulario caducó o no vino de este sitio." in _text(forged)
    as_json = client.get("/no/such/page", headers={**SPANISH, "Accept": "application/json"})
    assert as_json.get_json()["message"].startswith("Aquí no hay nada.")


def test_english_error_pages_are_unchanged(client: FlaskClient) -> None:
    page = _text(client.get("/no/such/page"))
    assert '<html lang="en">' in page and "<h1>Page not found</h1>" in page
    assert "Go to the quiz list" in page


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (START + timedelta(hours=6), f"hoy 3:00 {PM} EST"),
        (START + timedelta(minutes=20), f"hoy 9:20 {AM} EST (en 20 minutos)"),
        (START + timedelta(minutes=1, seconds=30), f"hoy 9:01 {AM} EST (en 1 minuto)"),
        (START + timedelta(days=1), f"mañana 9:00 {AM} EST"),
        (START - timedelta(days=1), f"ayer 9:00 {AM} EST"),
        (START + timedelta(days=4), f"viernes 9:00 {AM} EST"),
        (START + timedelta(days=14), f"lunes, 16 de marzo 10:00 {AM} EDT"),
        (datetime(2027, 1, 4, 13, 30, tzinfo=UTC), f"lunes, 4 de enero de 2027 8:30 {AM} EST"),
    ],
)
def test_times_read_as_spanish_speakers_say_them_in_the_class_zone(
    app: Flask, when: datetime, expected: str
) -> None:
    with app.test_request_context("/", headers=SPANISH):
        assert friendly_time(when, "America/New_York", now=START) == expected


def test_dates_and_numbers_follow_the_language(app: Flask) -> None:
    with app.test_request_context("/", headers=SPANISH):
        assert local_time(START, "America/Chicago") == f"2 mar 2026, 8:00 {AM} (America/Chicago)"
        assert friendly_time(START, "America/Chicago", now=START, capital=True).startswith("Hoy ")
        assert format_points(2.5) == "2,5"
        assert format_points(1 / 3) == "0,33"
        assert format_points(3.0) == "3"
        assert format_percent(66.6) == "67\xa0%"
        assert format_count(20_000) == "20.000"
        assert str(OUTCOME_LABELS["correct"][1]) == "Correcta"
        with time_machine.travel(START, tick=False):
            assert time_left(START + timedelta(minutes=20, seconds=5)) == "20 minutos"
            assert time_left(START + timedelta(seconds=61)) == "1 minuto"
            assert time_left(START + timedelta(seconds=1)) == "1 segundo"
    with app.test_request_context("/"):
        assert local_time(START, "America/Chicago") == "2026-03-02 08:00 (America/Chicago)"
        assert format_points(2.5) == "2.5" and format_percent(66.6) == "67%"
        assert format_count(20_000) == "20,000"
        assert str(OUTCOME_LABELS["correct"][1]) == "Correct"


def test_a_spanish_students_due_date_is_in_spanish_in_the_class_zone(
    app: Flask, signed_in: Callable[..., FlaskClient]
) -> None:
    with time_machine.travel(START, tick=False):
        teacher = signed_in("ms-lee", role="teacher")
        class_id = class_of(app, "ms-lee", time_zone="America/Chicago")
        student = signed_in("sam")
        enrol(app, "sam", class_id)
        post_new_assignment(teacher, app, class_id, closes_at="2026-03-03T15:00")
        page = _text(student.get("/", headers=SPANISH))
    assert f"Mañana 3:00 {PM} CST" in page


def _spanish_environment() -> dict[str, str | None]:
    """A terminal set to U.S. Spanish: only LANG says so, as on most machines."""
    return {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "es_US.UTF-8"}


def test_the_command_line_speaks_the_terminals_language(runner: FlaskCliRunner) -> None:
    made = runner.invoke(args=["create-teacher", "ms-ruiz"], env=_spanish_environment())
    assert made.exit_code == 0, made.output
    assert "Se creó la cuenta de docente 'ms-ruiz'." in made.output
    assert "Contraseña de un solo uso: " in made.output
    assert "Hay que cambiarla al iniciar sesión por primera vez." in made.output
    # The account service's refusal, outside any request, in the same language.
    again = runner.invoke(args=["create-teacher", "ms-ruiz"], env=_spanish_environment())
    assert again.exit_code != 0
    assert "Ese nombre de usuario ya está en uso; elige otro." in again.output
    unknown = runner.invoke(args=["reset-password", "nobody"], env=_spanish_environment())
    assert "no hay ninguna cuenta 'nobody'" in unknown.output


def test_the_backup_commands_refusal_speaks_the_terminals_language(
    app: Flask, runner: FlaskCliRunner, tmp_path
) -> None:
    taken = tmp_path / "copy.sqlite3"
    taken.write_bytes(b"")
    refused = runner.invoke(args=["backup", str(taken)], env=_spanish_environment())
    assert refused.exit_code != 0
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert "ya existe; elige otro nombre de archivo." in refused.output
    else:  # PostgreSQL is backed up with its own tool
        assert "flask backup solo copia bases de datos SQLite." in refused.output


@pytest.mark.parametrize(
    "environment",
    [
        {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None},
        {"LANGUAGE": None, "LC_ALL": "C.UTF-8", "LC_MESSAGES": None, "LANG": "es_US.UTF-8"},
        {"LANGUAGE": "de:en", "LC_ALL": None, "LC_MESSAGES": None, "LANG": "es_US.UTF-8"},
        {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "fr_FR.UTF-8"},
    ],
    ids=["nothing set", "C locale first", "LANGUAGE list first", "a language we lack"],
)
def test_the_command_line_falls_back_to_english(
    runner: FlaskCliRunner, environment: dict[str, str | None]
) -> None:
    made = runner.invoke(args=["create-teacher", "mr-ode"], env=environment)
    assert made.exit_code == 0, made.output
    assert "Teacher 'mr-ode' created." in made.output


def test_the_language_list_of_language_picks_its_first_offered_language(
    runner: FlaskCliRunner,
) -> None:
    environment = {"LANGUAGE": "de:es:en", "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C"}
    made = runner.invoke(args=["create-teacher", "ms-paz"], env=environment)
    assert "Se creó la cuenta de docente 'ms-paz'." in made.output


def test_a_request_inside_a_command_context_still_chooses_its_own_language(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient
) -> None:
    """A message outside a request must not fix the language of a request made afterwards in
    the same app context (as Flask-Babel's choice kept in g would)."""
    from quizapp.domain.i18n import gettext

    with app.app_context():
        assert gettext("Sign out") == "Sign out"
        assert "Saltar al contenido principal" in _text(client.get("/", headers=SPANISH))
