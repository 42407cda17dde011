"""Sessions end on the server; sign-in is throttled; passwords follow the rules."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from helpers.forms import post_form
from helpers.settings import PASSWORD

from quizapp.services import throttling
from quizapp.services.accounts import AccountError, check_password_rules

NOW = datetime.now(UTC) + timedelta(days=1)


def login(client, username, password=PASSWORD):
    return post_form(client, "/account/login", {"username": username, "password": password})


def test_idle_sessions_end_after_the_configured_time(app, create_user):
    create_user("ida")
    client = app.test_client()
    with time_machine.travel(NOW, tick=False) as clock:
        login(client, "ida")
        clock.shift(timedelta(minutes=119))
        assert client.get("/history").status_code == 200
        clock.shift(timedelta(minutes=119))  # active again just in time: still signed in
        assert client.get("/history").status_code == 200
        clock.shift(timedelta(minutes=121))
        response = client.get("/history")
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_sessions_have_an_absolute_lifetime(app, create_user):
    create_user("abe")
    client = app.test_client()
    with time_machine.travel(NOW, tick=False) as clock:
        login(client, "abe")
        for _ in range(12):  # 11 h 48 min, never idle for long
            clock.shift(timedelta(minutes=59))
            assert client.get("/history").status_code == 200
        clock.shift(timedelta(minutes=13))  # past 12 hours since signing in
        assert client.get("/history").status_code == 302


def test_remember_me_is_off_by_default(app, create_user):
    create_user("rem")
    client = app.test_client()
    assert "Keep me signed in" not in client.get("/account/login").get_data(as_text=True)
    response = post_form(
        client, "/account/login", {"username": "rem", "password": PASSWORD, "remember": "y"}
    )
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_password_change_ends_other_sessions(app, create_user):
    create_user("pat")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "pat")
    login(phone, "pat")
    new = "a fresh passphrase"
    post_form(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert laptop.get("/history").status_code == 200
    assert phone.get("/history").status_code == 302


def test_session_cookie_is_secure_when_configured(app, create_user):
    app.config["SESSION_COOKIE_SECURE"] = True
    create_user("sec")
    cookie = " ".join(login(app.test_client(), "sec").headers.getlist("Set-Cookie"))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_is_throttled_per_account(app, create_user):
    create_user("tom")
    client = app.test_client()
    for _ in range(5):
        assert login(client, "tom", "wrong password").status_code == 200
    throttled = login(client, "tom", PASSWORD)
    assert throttled.status_code == 429
    assert "Too many failed sign-ins for this account" in throttled.get_data(as_text=True)
    assert int(throttled.headers["Retry-After"]) > 0
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=16), tick=False):
        assert login(app.test_client(), "tom").status_code == 302


def test_a_class_behind_one_address_can_still_sign_in(app, create_user):
    for number in range(30):
        create_user(f"kid{number:02d}")
    # Every student mistypes once, then signs in: 30 failures from one address are fine.
    for number in range(30):
        client = app.test_client()
        login(client, f"kid{number:02d}", "typo typo")
        assert login(client, f"kid{number:02d}").status_code == 302


def test_login_is_throttled_per_address_generously(app, create_user):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = 8
    create_user("amy")
    client = app.test_client()
    for number in range(8):
        login(client, f"nobody{number}", "guess guess")
    assert login(client, "amy").status_code == 429
    other = app.test_client()
    response = other.get("/account/login", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "password", ["password", "PASSWORD", "12345678", "iloveyou", "football", "trustno1"]
)
def test_common_passwords_are_refused(password):
    with pytest.raises(AccountError, match="most common"):
        check_password_rules(password)


def test_common_password_refused_at_registration(client):
    data = {"username": "newbie", "display_name": "", "password": "sunshine", "confirm": "sunshine"}
    page = post_form(client, "/account/register", data).get_data(as_text=True)
    assert "one of the most common ones" in page


def test_argon2id_parameters_meet_asvs():
    # The test apps hash cheaply (helpers/apps.py); a production app hashes at the ASVS minimum.
    from quizapp import create_app
    from quizapp.services.accounts import hash_password

    production = create_app({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert production.config["PASSWORD_HASH_MEMORY_KIB"] >= 19 * 1024
    assert production.config["PASSWORD_HASH_TIME_COST"] >= 2
    with production.app_context():
        assert hash_password(PASSWORD).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_failed_logins_are_logged_without_the_password(app, create_user, caplog):
    create_user("lou")
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="quizapp.security"):
        login(client, "lou\r\nFAKE log line", "secret guess 123")
    text = caplog.text
    assert "login_failed" in text and "ip=127.0.0.1" in text
    assert "secret guess 123" not in text
    # The username is lower-cased by sign-in; the CR and LF are written as escapes.
    assert "\nfake" not in text and "\\r\\nfake" in text


def test_refused_access_is_logged_with_the_user(app, signed_in, caplog):
    student = signed_in("stu")
    with caplog.at_level(logging.WARNING, logger="quizapp.security"):
        student.get("/teach/")
    assert "access_refused" in caplog.text and "status=403" in caplog.text
    assert "user_id=" in caplog.text and "user_id=-" not in caplog.text


def test_throttle_store_counts_in_the_database(app):
    window = timedelta(minutes=15)
    with app.app_context():
        store = throttling.DatabaseStore()
        store.record("pair:zed", window, account="zed")
        store.record("pair:zed", window, account="zed")
        store.record("address:1.2.3.4", window, member="zed")
        store.record("address:1.2.3.4", window, member="zed")
        store.record("address:1.2.3.4", window, member="amy")
        assert store.tally("pair:zed", window).count == 2
        # Distinct members count once: two accounts tried from the address.
        assert store.tally("address:1.2.3.4", window).count == 2
        assert store.accounts_with_events(["zed", "amy", "bo"], window) == {"zed"}
        store.clear_account("zed")
        assert store.tally("pair:zed", window) == throttling.Tally(0, None)
        assert store.tally("address:1.2.3.4", window).count == 2


def _remembered_sign_in(app, username):
    """Sign in with "keep me signed in"; return the client and its remember cookie's value."""
    app.config["REMEMBER_ME_ENABLED"] = True
    client = app.test_client()
    assert "Keep me signed in" in client.get("/account/login").get_data(as_text=True)
    response = post_form(
        client, "/account/login", {"username": username, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    return client, cookie.value


def _browser_with_only(app, remember_token):
    """A browser restarted: the session cookie is gone, the remember cookie stays."""
    browser = app.test_client()
    browser.set_cookie("remember_token", remember_token)
    return browser


def test_keep_me_signed_in_restores_a_session_after_the_browser_restarts(app, create_user):
    create_user("remi")
    with time_machine.travel(NOW, tick=False) as clock:
        _, token = _remembered_sign_in(app, "remi")
        clock.shift(timedelta(days=3))  # long past the idle and absolute session limits
        browser = _browser_with_only(app, token)
        assert browser.get("/history").status_code == 200
        assert "Signed in as remi" in browser.get("/").get_data(as_text=True)
        clock.shift(timedelta(hours=5))  # idle again: the remember cookie starts a new session
        assert browser.get("/history").status_code == 200


def test_without_keep_me_signed_in_a_restarted_browser_signs_in_again(app, create_user):
    create_user("nora")
    client = app.test_client()
    login(client, "nora")
    assert client.get_cookie("remember_token") is None
    browser = app.test_client()
    assert browser.get("/history").status_code == 302


def test_sign_out_revokes_the_remember_cookie(app, create_user):
    create_user("otto")
    client, token = _remembered_sign_in(app, "otto")
    response = post_form(client, "/account/logout", {}, page="/")
    assert "remember_token=;" in " ".join(response.headers.getlist("Set-Cookie"))
    assert _browser_with_only(app, token).get("/history").status_code == 302


def test_a_password_change_revokes_remember_cookies_elsewhere(app, create_user):
    create_user("pele")
    _, token = _remembered_sign_in(app, "pele")
    laptop = app.test_client()
    login(laptop, "pele")
    new = "a fresh passphrase"
    post_form(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert _browser_with_only(app, token).get("/history").status_code == 302


def test_a_remember_cookie_is_ignored_when_the_setting_is_off(app, create_user):
    create_user("quentin")
    _, token = _remembered_sign_in(app, "quentin")
    app.config["REMEMBER_ME_ENABLED"] = False
    with time_machine.travel(NOW, tick=False):
        assert _browser_with_only(app, token).get("/history").status_code == 302
