"""The state an app keeps between requests is one documented object."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from helpers.forms import post_form

from quizapp.state import EXTENSION_KEY, AppState, app_state

APP_STATE_DOC = Path(__file__).resolve().parent.parent / "docs" / "app-state.md"

#: The app.extensions keys of the libraries the app uses (theirs, not ours).
LIBRARY_KEYS = {"sqlalchemy", "migrate", "csrf", "babel"}


def test_serving_pages_keeps_state_only_in_the_app_state(app, client, create_user, login):
    create_user("ana")
    login("ana")
    assert client.get("/").status_code == 200
    post_form(client, "/account/logout", {})
    # An unknown username checks the dummy hash, which the state keeps.
    refused = post_form(client, "/account/login", {"username": "nobody", "password": "wrong one"})
    assert refused.status_code == 200
    ours = set(app.extensions) - LIBRARY_KEYS
    assert ours == {EXTENSION_KEY}, ours
    state = app_state(app)
    assert state.dummy_hash is not None
    assert state.fixed_urls


def test_every_piece_of_app_state_is_documented():
    documented = APP_STATE_DOC.read_text(encoding="utf-8")
    for piece in dataclasses.fields(AppState):
        assert f"| `{piece.name}` |" in documented, piece.name
