"""Registering, signing in and out, and sessions that end on the server."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from helpers.forms import post_form
from helpers.settings import PASSWORD

from quizapp.extensions import db
from quizapp.models import User


def register_data(**overrides: str) -> dict[str, str]:
    data = {"username": "nadia", "display_name": "", "password": PASSWORD, "confirm": PASSWORD}
    data.update(overrides)
    return data


def test_register_signs_in_and_stores_an_argon2id_hash(app, client):
    response = post_form(
        client, "/account/register", register_data(username="Nadia", display_name="Nadia R.")
    )
    assert response.status_code == 302
    assert "Signed in as Nadia R." in client.get("/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "nadia"))
        assert user.role == "student"
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": ""}, "username", "Choose a username."),
        ({"username": "a!"}, "username", "Use 3 to 32 letters, digits"),
        ({"username": "a" * 33}, "username", "Use 3 to 32 letters, digits"),
        ({"password": "short", "confirm": "short"}, "password", "Use 8 to 128 characters."),
        ({"password": "x" * 129, "confirm": "x" * 129}, "password", "Use 8 to 128 characters."),
        ({"confirm": "something else"}, "confirm", "The two passwords differ."),
        (
            {"display_name": "x" * 101},
            "display_name",
            "Field cannot be longer than 100 characters.",
        ),
    ],
)
def test_register_errors_are_shown_next_to_their_field(client, overrides, field, message):
    response = post_form(client, "/account/register", register_data(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in page
    assert message in page
    assert (
        f'aria-describedby="{field}-hint {field}-error"' in page
        or f'aria-describedby="{field}-error"' in page
    )


def test_the_username_field_is_as_long_as_the_rule_allows(client):
    assert 'maxlength="32"' in client.get("/account/register").get_data(as_text=True)


def test_every_broken_rule_of_the_form_shows_at_once(client):
    """The username rule used to show only once the password was right: a second try for it."""
    response = post_form(
        client,
        "/account/register",
        register_data(username="a b", password="password", confirm="password"),
    )
    page = response.get_data(as_text=True)
    assert 'id="username-error"' in page and "Use 3 to 32 letters, digits" in page
    assert 'id="password-error"' in page and "one of the most common ones" in page
    short = post_form(
        client, "/account/register", register_data(password="short", confirm="short")
    ).get_data(as_text=True)
    assert short.count("characters.</p>") == 1, "one message for a short password, not two"


def test_taken_username_is_refused_whatever_the_case(client, create_user):
    create_user("nadia")
    page = post_form(client, "/account/register", register_data(username="NADIA")).get_data(
        as_text=True
    )
    assert "That username is taken" in page


def test_any_characters_are_allowed_in_passwords(client):
    password = "пароль 🔒 with spaces"
    response = post_form(
        client, "/account/register", register_data(password=password, confirm=password)
    )
    assert response.status_code == 302
    post_form(client, "/account/logout", {}, page="/")
    assert (
        post_form(client, "/account/login", {"username": "nadia", "password": password}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("username", "password"),
    [("nadia", "wrong password"), ("nobody", PASSWORD)],
)
def test_failed_login_gives_one_message(client, create_user, username, password):
    create_user("nadia")
    response = post_form(client, "/account/login", {"username": username, "password": password})
    assert response.status_code == 200
    assert "That username and password do not match an account." in response.get_data(as_text=True)


def test_login_follows_only_local_next(client, create_user):
    create_user("nadia")
    token_page = "/account/login?next=/history"
    assert (
        post_form(client, token_page, {"username": "nadia", "password": PASSWORD}).headers[
            "Location"
        ]
        == "/history"
    )
    post_form(client, "/account/logout", {}, page="/")
    evil = "/account/login?next=//evil.example/"
    assert (
        post_form(client, evil, {"username": "nadia", "password": PASSWORD}).headers["Location"]
        == "/"
    )


def test_logout_is_a_post_only(client, create_user, login):
    create_user("nadia")
    login("nadia")
    assert client.get("/account/logout").status_code == 405
    assert "Signed in as" in client.get("/").get_data(as_text=True)


def test_a_cookie_captured_before_logout_is_refused_afterwards(app, create_user, login, client):
    create_user("nadia")
    login("nadia")
    captured = client.get_cookie("session")
    assert captured is not None
    post_form(client, "/account/logout", {}, page="/")
    replay = app.test_client()
    replay.set_cookie("session", captured.value)
    assert replay.get("/history").status_code == 302
    assert "Signed in as" not in replay.get("/").get_data(as_text=True)


def test_a_new_password_must_differ_from_the_current_one(client, create_user, login):
    create_user("nadia")
    login("nadia")
    form = {"current_password": PASSWORD, "new_password": PASSWORD, "confirm": PASSWORD}
    page = post_form(client, "/account/password", form).get_data(as_text=True)
    assert "it must differ from the current one" in page


def test_wrong_current_passwords_are_throttled_like_sign_ins(app, client, create_user, login):
    create_user("nadia")
    login("nadia")
    wrong = {"current_password": "nope", "new_password": "a new one 42", "confirm": "a new one 42"}
    limit = app.config["LOGIN_LIMIT_PER_ACCOUNT"]
    for _ in range(limit):
        assert post_form(client, "/account/password", wrong).status_code == 200
    refused = post_form(client, "/account/password", wrong)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    right = {**wrong, "current_password": PASSWORD}
    assert post_form(client, "/account/password", right).status_code == 429


def test_a_password_change_clears_the_failures_before_it(app, client, create_user, login):
    create_user("nadia")
    login("nadia")
    wrong = {"current_password": "nope", "new_password": "a new one 42", "confirm": "a new one 42"}
    for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"] - 1):
        post_form(client, "/account/password", wrong)
    right = {**wrong, "current_password": PASSWORD}
    assert post_form(client, "/account/password", right).status_code == 302
    post_form(client, "/account/logout", {}, page="/")
    typo = post_form(client, "/account/login", {"username": "nadia", "password": "a new one 4"})
    assert typo.status_code == 200
    signed_in = post_form(
        client, "/account/login", {"username": "nadia", "password": "a new one 42"}
    )
    assert signed_in.status_code == 302


def test_session_cookie_flags(client, create_user):
    create_user("nadia")
    response = post_form(client, "/account/login", {"username": "nadia", "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_password_change_requires_the_current_one(client, create_user, login):
    create_user("nadia")
    login("nadia")
    new = "a brand new password"
    page = post_form(
        client,
        "/account/password",
        {"current_password": "nope", "new_password": new, "confirm": new},
    ).get_data(as_text=True)
    assert "Your current password is not right." in page
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert response.status_code == 302
    post_form(client, "/account/logout", {}, page="/")
    assert (
        post_form(client, "/account/login", {"username": "nadia", "password": new}).status_code
        == 302
    )
