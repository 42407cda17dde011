"""Which language a page speaks: the user's setting, the choice before signing in, the browser."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import User
from tests.helpers.forms import csrf_token, post_form

SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.5"}


def _speaks(page) -> str:
    html = page.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_english_without_a_choice_spanish_when_the_browser_asks(client: FlaskClient) -> None:
    assert _speaks(client.get("/account/login")) == "en"
    page = client.get("/account/login", headers=SPANISH)
    assert _speaks(page) == "es"
    assert "Saltar al contenido principal" in page.get_data(as_text=True)
    # A language the app does not have falls back to English.
    assert _speaks(client.get("/account/login", headers={"Accept-Language": "de"})) == "en"


def test_the_switch_is_on_every_page_and_names_each_language_in_itself(
    client: FlaskClient,
) -> None:
    html = client.get("/account/login").get_data(as_text=True)
    assert 'action="/language"' in html
    assert 'lang="es"' in html and ">Español</button>" in html
    assert 'value="en" lang="en" class="link-button" aria-describedby' in html


def test_a_choice_before_signing_in_outranks_the_browser_and_survives_sign_in(
    client: FlaskClient, create_user: Callable[..., User], login
) -> None:
    create_user("ana")
    response = post_form(
        client, "/language", {"language": "es", "next": "/account/login"}, page="/account/login"
    )
    assert response.status_code == 303 and response.headers["Location"] == "/account/login"
    english_browser = {"Accept-Language": "en"}
    assert _speaks(client.get("/account/login", headers=english_browser)) == "es"
    login("ana")
    assert _speaks(client.get("/", headers=english_browser)) == "es"


def test_a_signed_in_users_setting_follows_them_to_another_browser(
    app: Flask, signed_in: Callable[..., FlaskClient], sign_in
) -> None:
    laptop = signed_in("ben")
    post_form(laptop, "/language", {"language": "es", "next": "/"}, page="/")
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="ben"))
        assert user is not None and user.language == "es"
        phone = sign_in(user)
    assert _speaks(phone.get("/")) == "es"
    post_form(phone, "/language", {"language": "en", "next": "/"}, page="/")
    assert _speaks(laptop.get("/", headers=SPANISH)) == "en"


def test_the_switch_refuses_other_sites_unknown_languages_gets_and_missing_tokens(
    client: FlaskClient,
) -> None:
    away = post_form(
        client, "/language", {"language": "es", "next": "https://evil.example/"}, page="/"
    )
    assert away.headers["Location"] == "/"
    sideways = post_form(
        client, "/language", {"language": "es", "next": "/\\evil.example"}, page="/"
    )
    assert sideways.headers["Location"] == "/"
    post_form(client, "/language", {"language": "en", "next": "/"}, page="/")
    post_form(client, "/language", {"language": "xx", "next": "/"}, page="/")
    assert _speaks(client.get("/", headers=SPANISH)) == "en"
    assert client.get("/language").status_code == 405
    assert client.post("/language", data={"language": "es"}).status_code == 400
    assert csrf_token(client, "/")  # the page still offers the form


def test_domain_messages_follow_the_request_and_stay_english_outside_one(app: Flask) -> None:
    from quizapp.domain.i18n import gettext

    with app.test_request_context("/", headers=SPANISH):
        assert gettext("Sign out") == "Cerrar sesión"
        assert gettext("Signed in as %(name)s", name="Ana") == "Sesión iniciada como Ana"
    with app.app_context():
        assert gettext("Sign out") == "Sign out"
    assert gettext("Sign out") == "Sign out"


def test_template_messages_escape_their_variables_and_keep_percent_signs(app: Flask) -> None:
    """The app's own template gettext: variables escaped, literal % kept, plural forms."""
    with app.test_request_context("/", headers=SPANISH):
        render = app.jinja_env.from_string
        assert render("{{ _('Signed in as %(name)s', name=n) }}").render(n="<b>") == (
            "Sesión iniciada como &lt;b&gt;"
        )
        assert render("{% trans %}100% sure{% endtrans %}").render() == "100% sure"
        assert render("{{ _('100%% sure') }}").render() == "100% sure"
        plural = "{% trans count=n %}{{ count }} try{% pluralize %}{{ count }} tries{% endtrans %}"
        assert [render(plural).render(n=n) for n in (1, 2)] == ["1 try", "2 tries"]


def test_every_template_is_html_so_messages_may_be_marked_safe() -> None:
    """_page_gettext returns Markup with escaped variables: right only under autoescaping,
    which Flask turns on for .html templates."""
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "quizapp" / "templates"
    others = [p.name for p in templates.rglob("*") if p.is_file() and p.suffix != ".html"]
    assert not others


def test_a_page_in_the_browsers_language_varies_with_it_for_caches(client: FlaskClient) -> None:
    assert "Accept-Language" in client.get("/account/login", headers=SPANISH).vary
    # A choice made with the switch, or a user's setting, does not depend on the header.
    post_form(client, "/language", {"language": "es", "next": "/"}, page="/")
    assert "Accept-Language" not in client.get("/account/login", headers=SPANISH).vary
    # A response with no text (a stylesheet) never looked at the language.
    with client.get("/static/css/app.css", headers=SPANISH) as stylesheet:
        assert "Accept-Language" not in stylesheet.vary


def test_pages_carry_the_scripts_messages_in_their_language(client: FlaskClient) -> None:
    import html
    import json
    import re

    def messages(page) -> dict[str, str]:
        found = re.search(r'id="script-messages" hidden data-messages="([^"]*)"', page.text)
        assert found, "the page carries no script messages"
        return json.loads(html.unescape(found.group(1)))

    assert messages(client.get("/account/login"))["saved"] == "Saved"
    spanish = messages(client.get("/account/login", headers=SPANISH))
    assert spanish["saved"] == "Guardado"
    assert spanish["evidence_added"] == "Se agregó como evidencia: «%(quote)s»"
