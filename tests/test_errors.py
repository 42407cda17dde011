"""Error pages: friendly, without tracebacks, in HTML or JSON as the client asks."""

from __future__ import annotations

import pytest
from flask import Flask


def test_not_found_page_is_friendly_html(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<title>Error 404 · Civics Quiz</title>" in page
    assert "There is nothing here" in page


def test_json_clients_get_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {"error": 404, "message": response.get_json()["message"]}


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    app.config["TESTING"] = False  # let the error handler answer instead of raising

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("SELECT secret FROM table")

    return app


def test_an_exception_gives_a_generic_500_page(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "Traceback" not in page and "SELECT secret" not in page
