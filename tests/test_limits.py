"""The limits live in one module, and what teachers and students are told agrees with it."""

from __future__ import annotations

import re

from helpers.forms import post_form
from helpers.quiz import latest_attempt
from helpers.settings import PROJECT

from quizapp.domain import limits
from quizapp.domain.limits import describe_bytes

FORMAT_DOC = (PROJECT / "docs" / "question-format.md").read_text("utf-8")


def test_sizes_read_as_people_write_them():
    assert describe_bytes(limits.MAX_FILE_BYTES) == "4 MiB"
    assert describe_bytes(8 * limits.MIB) == "8 MiB"
    assert describe_bytes(800_003) == "800 KB"


def test_the_format_documents_every_limit_a_teacher_meets():
    for number in (
        limits.MAX_QUESTIONS,
        limits.MAX_SOURCE_CHARS,
        limits.MAX_NORMALIZED_SOURCE_CHARS,
        limits.MAX_EVIDENCE_PER_QUESTION,
        limits.MAX_EVIDENCE_PER_SET,
        limits.MAX_YAML_ALIASES,
        limits.MAX_YAML_DEPTH,
        limits.MAX_EXPANDED_NODES,
        limits.MAX_EXPANDED_CHARS,
        limits.MAX_PROBLEMS_SHOWN,
    ):
        assert f"{number:,}" in FORMAT_DOC, number
    assert f"at most {describe_bytes(limits.MAX_FILE_BYTES)}" in FORMAT_DOC


def test_the_upload_form_and_the_request_limit_come_from_the_limits(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    page = teacher.get("/teach/upload").get_data(as_text=True)
    assert f"At most {describe_bytes(limits.MAX_FILE_BYTES)}." in page
    assert app.config["MAX_CONTENT_LENGTH"] == limits.MAX_UPLOAD_REQUEST_BYTES


def test_the_short_answer_box_holds_as_much_as_the_grader_takes(app, signed_in):
    student = signed_in("ana")
    post_form(student, "/quizzes/civics-mini/start", {}, page="/")
    attempt = latest_attempt(app, "ana")
    pages = [
        student.get(f"/attempts/{attempt.id}/questions/{n}").get_data(as_text=True)
        for n in range(1, 7)
    ]
    boxes = [re.search(r'id="answer" maxlength="(\d+)"', page) for page in pages]
    assert [int(box.group(1)) for box in boxes if box] == [limits.MAX_SHORT_ANSWER_CHARS]
