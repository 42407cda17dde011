"""A bank from Moodle in the browser: its HTML, instructions, numerical question, per-answer
feedback and the preview of skipped questions pass axe (light and dark) and the HTML checker."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from helpers.quiz import form_data, presented
from helpers.teacher import join_code, version_id

from .checks import axe_violations, blocking, structure_problems
from .pages import BROKEN_GIFT
from .scene import (
    DATA,
    create_assignment,
    create_class,
    existing_student,
    location_number,
    start_assignment,
    submit,
    teacher,
    upload_files,
)
from .test_html_validity import checker  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

BANK = DATA / "moodle-bank.yaml"
ANSWERS = {"tomb": "Grant", "born": "1825"}


@pytest.fixture(scope="module")
def rich(server):
    """A teacher's published bank, one attempt to take and one submitted; a preview that
    skips the broken questions of a GIFT file."""
    dana = teacher(server, "ms-dana", "Ms Dana")
    staged = location_number(dana.post("/teach/upload", files=upload_files(BANK)))
    dana.post(f"/teach/uploads/{staged}/publish", page=f"/teach/uploads/{staged}")
    class_id = create_class(dana, "Civics 10A")
    assignment = create_assignment(dana, class_id, version_id(server.app, "rich-bank"))
    rita = existing_student(server, "rita", "Rita Moreno")
    rita.post("/classes/join", {"code": join_code(server.app, class_id)}, page="/")
    taken = start_assignment(rita, assignment)
    numbers = {presented(server.app, taken, n).question.id: n for n in (1, 2)}
    for question_id, number in numbers.items():
        shown = presented(server.app, taken, number)
        data = form_data(shown, ANSWERS[question_id])
        rita.post(f"/attempts/{taken}/questions/{number}", {**data, "nav": "next"})
    submit(rita, taken)
    again = create_assignment(dana, class_id, version_id(server.app, "rich-bank"), title="Again")
    open_attempt = start_assignment(rita, again)
    open_numbers = {presented(server.app, open_attempt, n).question.id: n for n in (1, 2)}
    gift = Path(BROKEN_GIFT)
    skipped = dana.post(
        "/teach/upload",
        {"skip_invalid": "y"},
        files=[("question_file", (gift.name, gift.read_bytes()))],
    )
    return {
        "teacher": dana.account("ms-dana"),
        "student": rita.account("rita"),
        "pages": {
            "html question": (
                "student",
                f"/attempts/{open_attempt}/questions/{open_numbers['tomb']}",
            ),
            "numerical question": (
                "student",
                f"/attempts/{open_attempt}/questions/{open_numbers['born']}",
            ),
            "results with feedback": ("student", f"/attempts/{taken}/results"),
            "preview with skipped questions": ("teacher", skipped.headers["Location"]),
        },
    }


@pytest.mark.parametrize(
    "name",
    [
        "html question",
        "numerical question",
        "results with feedback",
        "preview with skipped questions",
    ],
)
def test_rich_pages_pass_axe(name, rich, open_page) -> None:
    who, path = rich["pages"][name]
    page = open_page(rich[who], bypass_csp=True)
    page.goto(path)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert blocking(axe_violations(page)) == [], scheme
    assert structure_problems(page) == []


def test_rich_pages_are_valid_html_and_show_clean_text(rich, open_page, checker, tmp_path):  # noqa: F811
    files = {}
    for name, (who, path) in rich["pages"].items():
        page = open_page(rich[who])
        html = page.goto(path).text()
        files[tmp_path / f"{re.sub(r'[^a-z]+', '-', name)}.html"] = (name, html)
    shown = {name: html for name, html in files.values()}
    assert "Who is <em>buried</em> in Grant&#39;s tomb?" in shown["html question"]
    assert '<div class="instructions"><p>Answer from what you know' in shown["html question"]
    assert 'inputmode="decimal"' in shown["numerical question"]
    results = shown["results with feedback"]
    assert "Grant lies above ground." in results and "Within five years." in results
    assert "Right." not in results and "Exactly." not in results
    assert "Skipped: " in shown["preview with skipped questions"]
    for file, (_, html) in files.items():
        file.write_text(html, encoding="utf-8")
    checked = subprocess.run(
        [*checker, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(checked.stderr or checked.stdout)
    assert [m["message"] for m in report["messages"]] == []
