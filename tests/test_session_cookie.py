"""The session cookie: Flask's own format and signature, its serializer built once per set of
secret keys, and a cookie that was changed or signed with another key is refused."""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

SIGNED_IN_PAGE = "/history"


def session_cookie(client) -> str:
    """The value of the client's session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _changed_at(value: str, index: int) -> str:
    """The value with one base64 character replaced by one whose top bit differs."""
    replacement = "A" if value[index] in "ghijklmnopqrstuvwxyz0123456789-_" else "z"
    return value[:index] + replacement + value[index + 1 :]


def test_the_serializer_is_built_once_for_the_same_keys(app):
    interface = app.session_interface
    assert interface.get_signing_serializer(app) is interface.get_signing_serializer(app)


def test_the_cookie_is_flasks_own_both_ways(app, signed_in):
    # Read by Flask's stock interface under the app's key, and a cookie Flask signs is read back:
    # the same salt, HMAC-SHA1 signature, timestamp and JSON tags.
    student = signed_in("ck-own")
    stock = SecureCookieSessionInterface().get_signing_serializer(app)
    content = stock.loads(session_cookie(student))
    assert content["_user_id"]
    student.set_cookie("session", stock.dumps(content))
    assert student.get(SIGNED_IN_PAGE).status_code == 200


def test_a_changed_cookie_is_refused(app, signed_in):
    student = signed_in("ck-tamper")
    value = session_cookie(student)
    assert student.get(SIGNED_IN_PAGE).status_code == 200
    # One character of the payload changed, then one of the signature. The signature's last
    # character is avoided: of its six bits only four are data, so "A" for "B" there decodes to
    # the same bytes. Every other character changed to one of a different high bit changes them.
    payload_flipped = _changed_at(value, 5)
    signature_flipped = _changed_at(value, len(value) - 3)
    for changed in (payload_flipped, signature_flipped):
        student.set_cookie("session", changed)
        assert student.get(SIGNED_IN_PAGE).status_code == 302


def test_a_new_secret_key_refuses_old_cookies_unless_kept_as_a_fallback(
    app, signed_in, monkeypatch
):
    student = signed_in("ck-rotate")
    old_key = app.config["SECRET_KEY"]
    value = session_cookie(student)
    assert student.get(SIGNED_IN_PAGE).status_code == 200  # the old key's serializer is kept
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-new-key-" + "x" * 54)
    student.set_cookie("session", value)
    assert student.get(SIGNED_IN_PAGE).status_code == 302
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old_key])
    student.set_cookie("session", value)
    assert student.get(SIGNED_IN_PAGE).status_code == 200
