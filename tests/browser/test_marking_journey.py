"""The teacher's marking in Chromium, by keyboard: a written response scored per criterion with
a comment, a typed short answer accepted from item analysis; the student then sees both."""

from __future__ import annotations

import re

import pytest
from helpers.teacher import join_code, version_id

from .checks import axe_violations, blocking, tab_to
from .conftest import import_playwright
from .scene import (
    BROWSER_SET,
    QUESTIONS,
    READING_SET,
    answer,
    create_assignment,
    create_class,
    numbers_by_type,
    register,
    start_assignment,
    submit,
    take_the_reading_set,
    teacher,
)

pytestmark = pytest.mark.browser
expect = import_playwright().expect


def no_serious_problem(page) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert blocking(axe_violations(page)) == [], scheme
    page.emulate_media(color_scheme="light")


def test_a_teacher_scores_a_written_answer_and_accepts_a_typed_one(
    server, open_page, screenshots
) -> None:
    park = teacher(server, "ms-park", "Ms Park")
    class_id = create_class(park, "Civics 11C")
    reading_id = create_assignment(
        park, class_id, version_id(server.app, READING_SET), title="Reading for evidence"
    )
    quiz_id = create_assignment(
        park, class_id, version_id(server.app, BROWSER_SET), title="Curfew quiz"
    )
    leo = register(server, "leo", "Leo Brandt")
    leo.post("/classes/join", {"code": join_code(server.app, class_id)}, page="/")
    reading_attempt = start_assignment(leo, reading_id)
    take_the_reading_set(server, leo, reading_attempt)
    submit(leo, reading_attempt)
    quiz_attempt = start_assignment(leo, quiz_id)
    numbers = numbers_by_type(server, quiz_attempt, QUESTIONS)
    for kind, number in numbers.items():
        if kind != "short_answer":
            answer(server, leo, quiz_attempt, number)
    leo.post(
        f"/attempts/{quiz_attempt}/questions/{numbers['short_answer']}",
        {"answer": "Amendment number one", "nav": "next"},
    )
    submit(leo, quiz_attempt)

    page = open_page(park.account("ms-park"), bypass_csp=True)
    page.goto(f"/teach/assignments/{reading_id}")
    waiting = page.get_by_role("note")
    expect(waiting).to_contain_text("1 submitted attempt has written answers to score")
    waiting.get_by_role("link", name="Score written answers").click()
    expect(page.get_by_role("heading", name="Still to score (1)")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Score Leo Brandt’s answer")).click()
    expect(page.get_by_role("heading", name="Score Leo Brandt’s answer")).to_be_visible()
    expect(page.locator("mark.sentence-mark")).to_contain_text("Cited:")
    no_serious_problem(page)
    screenshots.take(page, "score-a-written-answer")
    # Keyboard only: Tab to each criterion, type its points, then the comment, then Enter.
    tab_to(page, "el.name === 'criterion_0'")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Comment for the student (optional)")).to_be_focused()
    page.keyboard.type("Clear reasoning; quote the editorial next time.")
    tab_to(page, "el.type === 'submit' && el.textContent.includes('Save the score')")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Score saved for Leo Brandt.")).to_be_visible()
    expect(page.get_by_role("heading", name="Still to score (0)")).to_be_visible()

    page.goto(f"/teach/assignments/{quiz_id}/analysis")
    typed = page.locator("table.typed-answers")
    row = typed.get_by_role("row", name=re.compile("Amendment number one"))
    expect(row).to_contain_text("wrong")
    no_serious_problem(page)
    screenshots.take(page, "item-analysis-typed-answers")
    row.get_by_role("link", name=re.compile("^Accept")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Accept “Amendment number one”?")).to_be_visible()
    expect(page.get_by_text("1 attempt", exact=True)).to_be_visible()
    tab_to(page, "el.type === 'submit' && el.textContent.includes('and regrade')")
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("“Amendment number one” is accepted: 1 attempt regraded.")
    ).to_be_visible()
    expect(typed.get_by_role("row", name=re.compile("Amendment number one"))).to_contain_text(
        "you accepted it"
    )

    student = open_page(leo.account("leo"), bypass_csp=True)
    student.goto(f"/attempts/{reading_attempt}/results")
    expect(student.get_by_text("Waiting for your teacher")).to_have_count(0)
    expect(student.get_by_text("Names the right to assemble peaceably: 2 of 2")).to_be_visible()
    expect(student.get_by_text("Clear reasoning; quote the editorial next time.")).to_be_visible()
    # The model answer under its label (the answer itself is the set's content, in a span).
    explanation = student.locator("p.explanation")
    expect(explanation.get_by_text("A strong answer:", exact=True)).to_be_visible()
    no_serious_problem(student)
    screenshots.take(student, "student-sees-the-score")
    student.goto(f"/attempts/{quiz_attempt}/results")
    note = student.locator(".regrade-note")
    expect(note).to_contain_text("Your teacher accepted your answer “Amendment number one” on ")
    expect(note).to_contain_text("+1 point")
    expect(student.locator(".score")).to_contain_text("You scored")
    no_serious_problem(student)
    screenshots.take(student, "student-sees-the-regrade")
