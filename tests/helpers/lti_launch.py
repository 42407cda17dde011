"""The tool's side of an LTI test: a running test platform, its registration through the setup
page, and the whole OIDC launch a browser would make (tests/test_lti.py and the Spanish LTI
tests share them)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import requests
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from helpers.factories import lti_tool_key
from helpers.forms import post_form
from helpers.lti_platform import LaunchSpec, TestPlatform, launch_form

#: Where the test client serves the tool.
TOOL = "http://localhost"


@contextmanager
def running_platform() -> Iterator[TestPlatform]:
    """A test platform on loopback that knows the tool's login and launch URLs."""
    running = TestPlatform()
    running.tool_login_url = TOOL + "/lti/login"
    running.tool_launch_url = TOOL + "/lti/launch"
    running.start()
    try:
        yield running
    finally:
        running.stop()


def register(app: Flask, admin: FlaskClient, platform: TestPlatform) -> TestPlatform:
    """The platform registered through the setup page by ``admin``; the platform knows our JWKS."""
    lti_tool_key(app)
    response = post_form(admin, "/lti/platforms", platform.tool_settings(), page="/lti/setup")
    assert response.status_code == 302, response.get_data(as_text=True)
    platform.tool_key_set = admin.get("/lti/jwks.json").get_json()
    return platform


def launch(
    app: Flask,
    platform: TestPlatform,
    spec: LaunchSpec,
    client: FlaskClient | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[FlaskClient, TestResponse, dict[str, str]]:
    """Run the whole OIDC flow: LMS -> tool login -> LMS auth -> tool launch, from a browser
    that sends ``headers``. The client, the tool's response and the launch form's fields."""
    client = client or app.test_client()
    login = client.get(platform.login_url(spec), headers=headers)
    assert login.status_code == 302, login.get_data(as_text=True)
    page = requests.get(login.headers["Location"], timeout=10)
    assert page.status_code == 200, page.text
    action, fields = launch_form(page.text)
    assert action == TOOL + "/lti/launch"
    return client, client.post("/lti/launch", data=fields, headers=headers), fields
