"""The app's LTI signing key is loaded once, not parsed again for every token it signs."""

from __future__ import annotations

import jwt
from flask import Flask
from jwcrypto.jwk import JWK

from quizapp.models import LtiPlatform
from quizapp.services import lti_platforms


def test_tokens_are_signed_with_the_key_loaded_once_and_verify_with_the_jwks(app: Flask) -> None:
    """Two registrations share one loaded key; a token signed with it verifies with the
    public key the app publishes."""
    platform = LtiPlatform(
        issuer="https://lms.example.edu",
        client_id="tool-1",
        auth_login_url="https://lms.example.edu/auth",
        auth_token_url="https://lms.example.edu/token",
        key_set_url="https://lms.example.edu/jwks",
    )
    with app.app_context():
        lti_platforms.loaded_private_key.cache_clear()
        first = lti_platforms.tool_registration(platform)
        second = lti_platforms.tool_registration(platform)
        assert lti_platforms.loaded_private_key.cache_info().misses == 1
        assert first.get_tool_private_key() is second.get_tool_private_key()
        token = jwt.encode({"sub": "tool-1"}, first.get_tool_private_key(), algorithm="RS256")
        (public,) = lti_platforms.jwks()["keys"]
    public_pem = JWK(**public).export_to_pem()
    assert jwt.decode(token, public_pem, algorithms=["RS256"]) == {"sub": "tool-1"}
