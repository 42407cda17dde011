"""Every route, every method, against a declared table of who may use it.

A route that is missing from ACCESS fails the test, so a new page must declare its audience.
Object-level checks (someone else's id gives 404) are in tests/test_access.py.
"""

from __future__ import annotations

import pytest
from flask import Flask
from helpers.forms import csrf_token

PUBLIC, SIGNED_IN, TEACHER = "public", "signed in", "teacher"

#: endpoint -> who may use it. Ownership of the objects in the URL is checked on top of this.
ACCESS = {
    "static": PUBLIC,
    "health.healthz": PUBLIC,
    "help.question_format": PUBLIC,
    "help.index": PUBLIC,
    "help.template_csv_file": PUBLIC,
    "help.template_xlsx_file": PUBLIC,
    "help.example_article": PUBLIC,
    # The language switch: anyone, signed in or not (a POST with CSRF; it changes a setting).
    "language.choose": PUBLIC,
    "auth.register": PUBLIC,
    "auth.login": PUBLIC,
    "auth.accept_invitation": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "student.index": PUBLIC,
    "student.join_class": SIGNED_IN,
    "student.join_link": SIGNED_IN,
    "student.start": SIGNED_IN,
    "student.start_assignment": SIGNED_IN,
    "student.question": SIGNED_IN,
    "student.resume": SIGNED_IN,
    "student.review": SIGNED_IN,
    "student.submit": SIGNED_IN,
    "student.results": SIGNED_IN,
    "student.source": SIGNED_IN,
    "student.history": SIGNED_IN,
    # A set's images: the student's own attempt, or a set or upload the teacher may read.
    "media.attempt_image": SIGNED_IN,
    "media.version_image": TEACHER,
    "media.upload_image": TEACHER,
    "media.assignment_image": TEACHER,
    # LTI: the LMS calls login and launch (the launch is authenticated by its signed id_token);
    # the JWKS is public by design.
    "lti.jwks": PUBLIC,
    "lti.login": PUBLIC,
    "lti.launch": PUBLIC,
    "lti.assignment": SIGNED_IN,
    "lti.deep_link": TEACHER,
    "lti.setup": TEACHER,
    "lti.add_platform": TEACHER,
    "lti.remove_platform": TEACHER,
    "lti.rotate_key": TEACHER,
    "lti.resend_scores": TEACHER,
    "lti.refresh_roster": TEACHER,
}
TEACHER_PREFIX = "teacher."
#: The browser editor's pages (quizapp/editor/) are for teachers too.
EDITOR_PREFIX = "editor."


def routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule, with made-up ids in the URL."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            values = {
                arg: (
                    "x.css"
                    if arg == "filename"
                    else 999_999
                    if "id" in arg or arg == "number"
                    else "no-such"
                )
                for arg in rule.arguments
            }
            url = app.url_map.bind("localhost").build(rule.endpoint, values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, url))
    # Signing out last, so the other requests are made signed in.
    return sorted(found, key=lambda route: route[0] == "auth.logout")


def audience(endpoint: str) -> str:
    if endpoint.startswith((TEACHER_PREFIX, EDITOR_PREFIX)):
        return TEACHER
    return ACCESS[endpoint]


def test_every_route_declares_its_audience(app):
    missing = sorted(
        {
            e
            for e, _, _ in routes(app)
            if not e.startswith((TEACHER_PREFIX, EDITOR_PREFIX)) and e not in ACCESS
        }
    )
    assert not missing, f"add these endpoints to ACCESS: {missing}"


def request_as(client, method, url, token):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": token})


@pytest.mark.parametrize("role", ["anonymous", "student", "teacher"])
def test_each_role_gets_only_what_the_table_allows(app, signed_in, role):
    client = app.test_client() if role == "anonymous" else signed_in(f"the-{role}", role=role)
    token = csrf_token(client, "/account/login" if role == "anonymous" else "/")
    problems = []
    for endpoint, method, url in routes(app):
        who = audience(endpoint)
        response = request_as(client, method, url, token)
        status, location = response.status_code, response.headers.get("Location", "")
        sent_to_login = status == 302 and "/account/login" in location
        if who == PUBLIC:
            ok = not sent_to_login and status != 403
        elif role == "anonymous":
            ok = sent_to_login
        elif who == TEACHER and role == "student":
            ok = status == 403
        else:
            ok = status not in (401, 403) and not sent_to_login
        if not ok:
            problems.append(f"{role} {method} {url} ({endpoint}, {who}) -> {status} {location}")
    assert not problems, "\n".join(problems)
