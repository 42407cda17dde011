"""Uploading a question file as a teacher does, and the problems the same file gives outside a
request (in English, as the format document quotes them)."""

from __future__ import annotations

import html
import io

import pytest
from flask.testing import FlaskClient

from helpers.forms import post_form
from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import parse_upload


def upload_page(client: FlaskClient, filename: str, content: bytes, set_id: str = "") -> str:
    """The text of the page an upload of ``content`` leads to: the form with the file's
    problems, or the preview (followed from the redirect), its entities unescaped."""
    response = post_form(
        client,
        "/teach/upload",
        {"question_file": (io.BytesIO(content), filename), "title": "", "set_id": set_id},
        content_type="multipart/form-data",
    )
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
    return html.unescape(response.get_data(as_text=True))


def file_problems(filename: str, content: bytes) -> list[str]:
    """The problems that refuse the file, outside any request."""
    with pytest.raises(QuestionSetError) as refused:
        parse_upload(filename, content)
    return [str(issue) for issue in refused.value.issues]
