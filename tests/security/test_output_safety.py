"""Output: hostile text in a question set renders inert everywhere; security headers are set."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from helpers.forms import csrf_token, post_form
from helpers.quiz import correct_form_data, presented

HOSTILE = (Path(__file__).resolve().parent.parent / "data" / "xss" / "hostile.yaml").read_bytes()

#: Markup that must never reach a page unescaped.
DANGEROUS = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<img src=x", re.I),
    re.compile(r"<iframe", re.I),
    re.compile(r"<svg onload", re.I),
    re.compile(r"<b onmouseover", re.I),
    re.compile(r"<style>body", re.I),
    re.compile(r"<object data", re.I),
    re.compile(r"<base href", re.I),
    re.compile(r"<marquee", re.I),
    re.compile(r"href=\"javascript:", re.I),
]


def in_text_format(text_format: str) -> bytes:
    """The hostile set with every question written in ``text_format`` (html, markdown)."""
    if text_format == "plain":
        return HOSTILE
    marked = re.sub(
        rb"(?m)^(  - id: .*)$", rb"\1\n    text_format: " + text_format.encode(), HOSTILE
    )
    assert marked.count(b"text_format:") == HOSTILE.count(b"  - id:")
    return marked


def assert_inert(text: str, where: str) -> None:
    for pattern in DANGEROUS:
        assert not pattern.search(text), f"{where}: {pattern.pattern} found"


@pytest.fixture(params=["plain", "html", "markdown"])
def hostile_world(
    request,
    create_user,
    sign_in,
    publish_set,
    create_class,
    join_class,
    create_assignment,
    start_assignment,
):
    """The hostile set published, assigned, and started by a student (the test takes it), its
    questions' texts in each text format: HTML and markdown pass the sanitiser.

    Its upload and preview pages are checked by the preview and print views' test below.
    """
    teacher = create_user("ms-x", role="teacher")
    publish_set(teacher, "hostile.yaml", in_text_format(request.param))
    classroom = create_class(teacher)
    student = create_user("stu-x")
    join_class(student, classroom)
    assignment = create_assignment(classroom, set_slug="hostile-set", title="<h1>Hostile</h1>")
    attempt = start_assignment(student, assignment)
    return sign_in(teacher), sign_in(student), classroom.id, assignment.id, attempt.id


def test_hostile_text_is_inert_on_every_page(app, hostile_world):
    teacher, student, class_id, assignment_id, attempt_id = hostile_world
    for number in range(1, 7):
        url = f"/attempts/{attempt_id}/questions/{number}"
        assert_inert(student.get(url).get_data(as_text=True), url)
        post_form(
            student, url, {**correct_form_data(presented(app, attempt_id, number)), "nav": "next"}
        )
    assert_inert(student.get(f"/attempts/{attempt_id}/review").get_data(as_text=True), "review")
    post_form(student, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/review")
    student_pages = [
        "/",
        "/history",
        f"/attempts/{attempt_id}/results",
        f"/attempts/{attempt_id}/sources/src?question=xss-single",
    ]
    teacher_pages = [
        "/teach/",
        f"/teach/classes/{class_id}",
        f"/teach/assignments/{assignment_id}",
        f"/teach/assignments/{assignment_id}/analysis",
        f"/teach/assignments/{assignment_id}/students/{_student_id(app)}",
        "/teach/sets/hostile-set",
    ]
    for url in student_pages:
        page = student.get(url).get_data(as_text=True)
        assert_inert(page, url)
    for url in teacher_pages:
        assert_inert(teacher.get(url).get_data(as_text=True), url)
    source = student.get(f"/attempts/{attempt_id}/sources/src?question=xss-single").get_data(
        as_text=True
    )
    assert "&lt;script&gt;alert(&#39;source text&#39;)&lt;/script&gt;" in source
    assert "{{7*7}}" in teacher.get("/teach/sets/hostile-set").get_data(as_text=True)


def test_csv_exports_escape_formulas_and_keep_markup_as_text(app, hostile_world):
    teacher, _student, class_id, assignment_id, _attempt_id = hostile_world
    gradebook = teacher.get(f"/teach/classes/{class_id}/gradebook.csv").get_data(as_text=True)
    assert "<h1>Hostile</h1> (%)" in gradebook  # plain text in a CSV, which is not HTML
    export = teacher.get(f"/teach/assignments/{assignment_id}/results.csv")
    assert export.mimetype == "text/csv"


def _student_id(app):
    import sqlalchemy as sa

    from quizapp.extensions import db
    from quizapp.models import User

    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == "stu-x"))


def test_security_headers(client, signed_in):
    response = client.get("/account/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    student = signed_in("hdr")
    assert student.get("/history").headers["Cache-Control"] == "no-store"
    with student.get("/static/css/app.css") as static:
        assert "no-store" not in (static.headers.get("Cache-Control") or "")


def test_pages_have_no_inline_script(app, signed_in):
    student = signed_in("inl")
    post_form(student, "/quizzes/civics-mini/start", {}, page="/")
    for url in (
        "/",
        "/history",
        "/attempts/1/questions/1",
        "/account/login",
        "/help/question-format",
    ):
        page = student.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert not re.search(r"\son[a-z]+=", page), url
        assert "style=" not in page, url


def test_hostile_text_is_inert_in_the_preview_and_print_views(signed_in):
    teacher = signed_in("ms-preview", role="teacher")
    token = csrf_token(teacher, "/teach/upload")
    data = {"csrf_token": token, "question_file": (io.BytesIO(HOSTILE), "hostile.yaml")}
    preview = teacher.post("/teach/upload", data=data, content_type="multipart/form-data").headers[
        "Location"
    ]
    page = teacher.get(preview).get_data(as_text=True)
    assert_inert(page, "preview")
    assert "&lt;script&gt;alert(&#39;prompt&#39;)&lt;/script&gt;" in page
    post_form(teacher, preview + "/publish", {}, page=preview)
    for url in (
        "/teach/sets/hostile-set/versions/1/print",
        "/teach/sets/hostile-set/versions/1/answer-key",
    ):
        assert_inert(teacher.get(url).get_data(as_text=True), url)
    download = teacher.get("/teach/sets/hostile-set/versions/1.yaml")
    assert download.mimetype == "application/yaml"
