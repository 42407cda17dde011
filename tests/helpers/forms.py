"""Submitting the app's forms as a browser does: with the CSRF token of the page."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token from a page's form."""
    page = client.get(url)
    match = CSRF_PATTERN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code} {page.headers.get('Location')})"
    return match.group(1)


def post_form(
    client: FlaskClient,
    url: str,
    data: dict[str, object],
    page: str | None = None,
    **kwargs: object,
):
    """POST a form with a CSRF token taken from ``page`` (default: the same URL)."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)
