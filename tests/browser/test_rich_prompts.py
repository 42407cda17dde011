"""Prompts with a list, a table and several paragraphs, in the browser: the question pages,
results, the teacher's preview and the printed quiz pass axe (light and dark) and the HTML
checker, and show the lists and tables below the heading."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from helpers.quiz import form_data, presented
from helpers.teacher import join_code, version_id

from .checks import axe_violations, blocking, structure_problems
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

SET = DATA / "block-prompts.yaml"
ANSWERS = {"terms": "Senate", "seats": "435"}
PAGES = ["choice question", "short answer question", "results", "preview", "print"]


@pytest.fixture(scope="module")
def blocks(server):
    """A published set with block prompts, an attempt to take and one submitted."""

    lena = teacher(server, "ms-lena", "Ms Lena")
    staged = location_number(lena.post("/teach/upload", files=upload_files(SET)))
    lena.post(f"/teach/uploads/{staged}/publish", page=f"/teach/uploads/{staged}")
    class_id = create_class(lena, "Civics 11B")
    version = version_id(server.app, "block-prompts")
    assignment = create_assignment(lena, class_id, version)
    omar = existing_student(server, "omar", "Omar Haddad")
    omar.post("/classes/join", {"code": join_code(server.app, class_id)}, page="/")
    taken = start_assignment(omar, assignment)
    for number in (1, 2):
        shown = presented(server.app, taken, number)
        data = form_data(shown, ANSWERS[shown.question.id])
        omar.post(f"/attempts/{taken}/questions/{number}", {**data, "nav": "next"})
    submit(omar, taken)
    again = start_assignment(omar, create_assignment(lena, class_id, version, title="Again"))
    numbers = {presented(server.app, again, n).question.id: n for n in (1, 2)}
    return {
        "teacher": lena.account("ms-lena"),
        "student": omar.account("omar"),
        "pages": {
            "choice question": ("student", f"/attempts/{again}/questions/{numbers['terms']}"),
            "short answer question": (
                "student",
                f"/attempts/{again}/questions/{numbers['seats']}",
            ),
            "results": ("student", f"/attempts/{taken}/results"),
            "preview": ("teacher", "/teach/sets/block-prompts"),
            "print": ("teacher", "/teach/sets/block-prompts/versions/1/print"),
        },
    }


@pytest.mark.parametrize("name", PAGES)
def test_block_prompt_pages_pass_axe(name, blocks, open_page) -> None:
    who, path = blocks["pages"][name]
    page = open_page(blocks[who], bypass_csp=True)
    page.goto(path)
    if name != "short answer question":
        assert page.locator(".prompt-body table td", has_text="6 years").is_visible()
        assert page.locator(".prompt-body li", has_text="Senate: 100 seats").is_visible()
    if name != "choice question":
        assert page.locator(".prompt-body li", has_text="Write a number.").is_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert blocking(axe_violations(page)) == [], scheme
    assert structure_problems(page) == []


def test_the_prompt_body_is_read_with_the_answer(blocks, open_page) -> None:
    who, path = blocks["pages"]["short answer question"]
    page = open_page(blocks[who])
    page.goto(path)
    answer = page.get_by_role("textbox", name="How many seats has the House?")
    described = answer.evaluate(
        "box => box.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).textContent).join(' ')"
    )
    assert "Count voting members only." in described and "Write a number." in described
    who, path = blocks["pages"]["choice question"]
    page.goto(path)
    group = page.get_by_role("group", name="Read the table, then answer.")
    assert group.get_by_role("radio").count() == 2


def test_block_prompt_pages_are_valid_html(blocks, open_page, checker, tmp_path):  # noqa: F811
    files = []
    for name, (who, path) in blocks["pages"].items():
        page = open_page(blocks[who])
        file = tmp_path / f"{re.sub(r'[^a-z]+', '-', name)}.html"
        file.write_text(page.goto(path).text(), encoding="utf-8")
        files.append(str(file))
    checked = subprocess.run(
        [*checker, "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(checked.stderr or checked.stdout)
    assert [m["message"] for m in report["messages"]] == []
