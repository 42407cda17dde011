"""Tables on a phone: each row is a card whose cells are labelled, and no word breaks mid-word."""

from __future__ import annotations

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.browser

#: Words of the tables' visible text that wrap inside themselves: a word whose characters lie on
#: more than one line box. A word is what lies between spaces and hyphens or dashes (where lines
#: may end: "read-/only" is no broken word). Text no one sees (visually hidden) is skipped.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const table of document.querySelectorAll("table")) {
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const box = node.parentElement.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;
      for (const match of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

#: The visible label before each labelled cell, as the stylesheet writes it.
CELL_LABELS = """() => [...document.querySelectorAll("table td[data-label]")].map(
  (cell) => getComputedStyle(cell, "::before").content)"""

TEACHER_TABLES = {
    "dashboard": lambda s: "/teach/",
    "class": lambda s: f"/teach/classes/{s.class_id}",
    "assignment results": lambda s: f"/teach/assignments/{s.assignment_id}",
    "student detail": lambda s: f"/teach/assignments/{s.assignment_id}/students/{s.student_id}",
    "item analysis": lambda s: f"/teach/assignments/{s.assignment_id}/analysis",
}


@pytest.mark.parametrize("name", list(TEACHER_TABLES))
def test_a_phone_width_teacher_table_breaks_no_word(name, scene, open_page, screenshots) -> None:
    page = open_page(scene.teacher, phone=True)
    page.goto(TEACHER_TABLES[name](scene))
    assert page.locator("table td").count() > 0
    assert page.evaluate(BROKEN_WORDS) == []
    labels = page.evaluate(CELL_LABELS)
    assert labels and all(label.endswith(': "') for label in labels), labels
    screenshots.take(page, name.replace(" ", "-"), sizes=("phone",))


def test_a_phone_width_results_table_shows_no_word_broken_mid_word(scene, open_page) -> None:
    """The student's results table: a card per attempt, each score labelled "Score"."""
    page = open_page(scene.student, phone=True)
    page.goto("/history")
    assert page.evaluate(BROKEN_WORDS) == []
    first_score = page.locator("td[data-label=Score]").first
    assert (
        page.evaluate(
            "(cell) => getComputedStyle(cell, '::before').content", first_score.element_handle()
        )
        == '"Score: "'
    )
    # A card per row: the rows stack (one above the other), each as wide as the page allows.
    rows = page.locator("tbody tr")
    boxes = [rows.nth(i).bounding_box() for i in range(rows.count())]
    assert len(boxes) >= 2
    assert all(box is not None and box["width"] <= PHONE["width"] for box in boxes)
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"]


def test_the_check_finds_a_word_broken_mid_word(open_page) -> None:
    """Guards the check above: the old rule (overflow-wrap: anywhere) in a narrow cell fails it."""
    page = open_page(phone=True)
    page.set_content(
        "<table><tr><td style='width: 3ch; max-width: 3ch; overflow-wrap: anywhere'>"
        "Score 100%</td></tr></table>"
    )
    assert page.evaluate(BROKEN_WORDS) != []


def test_teacher_tables_use_a_desktops_width_and_student_pages_keep_a_reading_width(
    scene, open_page
) -> None:
    teacher = open_page(scene.teacher)
    teacher.goto(f"/teach/assignments/{scene.assignment_id}")
    table = teacher.locator("table").first.bounding_box()
    assert table is not None and table["width"] > 1100  # of a 1280-pixel window
    student = open_page(scene.student)
    student.goto("/history")
    main = student.locator("main").bounding_box()
    rem = student.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert main is not None and main["width"] <= 46 * rem
