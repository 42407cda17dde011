"""From a news story to a quiz in Chromium: a teacher pastes an article of the corpus, reviews
the drafts (accepts five, edits one, discards the rest), adds a select_evidence question by
selecting words of the article, publishes and assigns; a student takes the quiz and sees the
evidence on the results page (the answers go through the quiz forms over HTTP; the student's own
pages are driven by the student journey tests). The same flow with the mouse, by keyboard only,
and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers.quiz import correct_form_data, presented
from helpers.teacher import join_code

from .checks import tab_to
from .conftest import import_playwright
from .scene import (
    Visitor,
    create_class,
    register,
    start_assignment,
    submit,
    teacher,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = import_playwright().expect

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "articles" / "doj-interim-us-attorneys.txt"
TITLE = "Interim U.S. attorneys appointed"
ACCEPTED = 5
#: The last draft is a fill-in-the-blank; the teacher rewords how its question begins.
DRAFTED_LEAD = "Fill in the blank with the words of the report:"
EDITED_LEAD = "Complete the sentence of the Justice Department’s release:"
EVIDENCE_PROMPT = "Which sentence explains why the appointments had to be made now?"
EVIDENCE_SENTENCE = (
    "However, on Jan. 4, 2018, some of those Acting United States Attorneys will have served "
    "the maximum amount of time permitted under the Act."
)
EVIDENCE_WHY = "The acting attorneys reach the longest time the Vacancies Reform Act allows."

HOWS = ["mouse", "keyboard", "no-js"]


def press_key_on(page: Page, condition: str, key: str = "Enter") -> None:
    """Tab to the element and press ``key`` on it, waiting for the page it leads to."""
    tab_to(page, condition, limit=120)
    with page.expect_navigation():
        page.keyboard.press(key)


def bring_in_the_story(page: Page, how: str) -> None:
    """Paste the article, give its citation, and make the draft questions."""
    page.goto("/teach/")
    if how == "keyboard":
        press_key_on(page, "el.textContent.trim() === 'Make a quiz from a news story'")
        tab_to(page, "el.name === 'text'")
        page.keyboard.insert_text(ARTICLE.read_text(encoding="utf-8"))  # what a paste does
        tab_to(page, "el.name === 'title'")
        page.keyboard.insert_text(TITLE)
        page.keyboard.press("Tab")
        page.keyboard.insert_text("U.S. Department of Justice")
        press_key_on(page, "el.value === 'draft'")
    else:
        page.get_by_role("link", name="Make a quiz from a news story").click()

        page.get_by_label("Article text").fill(ARTICLE.read_text(encoding="utf-8"))
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Publisher").fill("U.S. Department of Justice")
        page.get_by_role("button", name="Make draft questions").click()
    expect(page.get_by_role("heading", name=f"Review the drafts: {TITLE}")).to_be_visible()


def choose(page: Page, how: str, button: str) -> None:
    """Press the button (or link) named ``button``: clicked, or reached by Tab and Enter."""
    if how == "keyboard":
        press_key_on(page, f"el.textContent.trim() === {button!r}")
    else:
        page.get_by_role("button", name=button, exact=True).or_(
            page.get_by_role("link", name=button, exact=True)
        ).first.click()


def review_the_drafts(page: Page, how: str) -> int:
    """Accept four drafts, discard all but the last, and accept the last to edit it; the number
    of questions that are now in the draft set."""
    proposals = page.locator(".review-list > li")
    count = proposals.count()
    assert count > ACCEPTED
    expect(page.locator(".review-list .evidence mark").first).to_be_visible()
    added = 0
    for number in range(1, count + 1):
        decision = "Accept" if number < ACCEPTED else "Discard"
        if number == count:
            decision = "Accept and edit"
        if decision != "Discard":
            added += proposals.nth(number - 1).locator(".results > li").count()
        choose(page, how, f"{decision} draft {number}")
        if decision == "Accept":
            expect(page.get_by_text("Accepted: the question is in the draft set.")).to_be_visible()
    return added


def type_into(page: Page, how: str, label: str, text: str, condition: str) -> None:
    """Replace a field's text: typed by keyboard after tabbing to it, or filled."""
    if how == "keyboard":
        tab_to(page, condition, limit=120)
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.insert_text(text)
    else:
        page.get_by_label(label, exact=True).fill(text)


def edit_the_last_draft(page: Page, how: str) -> str:
    """Reword the question text of the draft opened in the editor and save it; the new text."""
    expect(page.get_by_role("heading", name=re.compile(r"^Question \d+: "))).to_be_visible()
    drafted = page.get_by_label("Question", exact=True).input_value()
    assert drafted.startswith(DRAFTED_LEAD), drafted
    reworded = EDITED_LEAD + drafted.removeprefix(DRAFTED_LEAD)
    type_into(page, how, "Question", reworded, "el.name === 'prompt'")
    choose(page, how, "Save question")
    expect(page.get_by_text("Question saved.")).to_be_visible()
    return reworded


#: The first and last character boxes of an element's text, as the viewport places them.
TEXT_ENDS = """el => {
  el.scrollIntoView({block: "center"});
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = range.getClientRects();
  const first = rects[0], last = rects[rects.length - 1];
  return [first.left + 1, first.top + first.height / 2, last.right - 1, last.top + last.height / 2];
}"""


def select_with_the_mouse(page: Page, element) -> None:
    """Drag across the element's words, as a teacher selects them."""
    # Mouse moves do not scroll: the words must be in the viewport before their ends are read.
    element.scroll_into_view_if_needed()
    left, top, right, bottom = element.evaluate(TEXT_ENDS)
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(right, bottom, steps=8)
    page.mouse.up()


def add_an_evidence_question(page: Page, how: str) -> None:
    """A select_evidence question whose answer is words of the article: selected with the
    mouse and "Use as evidence" when scripts run, ticked otherwise."""
    choose(page, how, "Select the evidence")
    type_into(page, how, "Question", EVIDENCE_PROMPT, "el.name === 'prompt'")
    if how == "keyboard":
        tab_to(page, "el.name === 'source'")
        page.keyboard.press("ArrowDown")
    elif how == "mouse":
        # The change is saved in the background, and the reply shows the fields' problems
        # beside them, which moves the sentences below: the mouse drags once it has landed.
        with page.expect_response(lambda response: response.request.method == "POST"):
            page.get_by_label("Source", exact=True).select_option(label=TITLE)
    else:
        page.get_by_label("Source", exact=True).select_option(label=TITLE)
    expect(page.get_by_label("Source", exact=True)).to_have_value("article")
    # The first list of sentences is the answer's (the second, optional evidence).
    sentence = page.locator(".sentence-ticks").first.locator(
        ".sentence", has_text=EVIDENCE_SENTENCE
    )
    if how == "mouse":
        expect(page.locator("#save-status")).to_contain_text("Saved")
        select_with_the_mouse(page, sentence.locator(".sentence-text"))
        use = page.locator(".sentence-ticks").first.get_by_role("button", name="Use as evidence")
        use.click()
        quotes = page.locator("#" + use.get_attribute("data-target"))
        expect(quotes).to_have_value(re.compile(re.escape(EVIDENCE_SENTENCE)))
    elif how == "keyboard":
        tab_to(page, f"el.type === 'checkbox' && el.value === {EVIDENCE_SENTENCE!r}", limit=120)
        page.keyboard.press("Space")
    else:
        sentence.locator(".sentence-text").click()
    if how != "mouse":
        expect(sentence.locator("input")).to_be_checked()
    type_into(page, how, "Explanation", EVIDENCE_WHY, "el.name === 'explanation'")
    choose(page, how, "Save question")
    expect(page.get_by_text("Question saved.")).to_be_visible()


def publish_and_assign(page: Page, how: str, class_name: str) -> int:
    """Preview, publish, and assign the set to the class; the assignment's id."""
    choose(page, how, "Preview and publish")
    expect(page.get_by_text(re.compile(r"This will be version 1 of a new set"))).to_be_visible()
    choose(page, how, "Publish")
    expect(page.get_by_text(re.compile(r"version 1 published\."))).to_be_visible()
    choose(page, how, "Assign to a class")
    choose(page, how, f"{class_name} (0 students)")
    type_into(page, how, "Title", "Interim attorneys quiz", "el.name === 'title'")
    choose(page, how, "Create assignment")
    expect(page.get_by_text("Assignment created.")).to_be_visible()
    return int(page.url.rsplit("/", 1)[1])


def take_the_quiz(server, student: Visitor, assignment_id: int) -> int:
    """Every page answered right (a Part A with its Part B) and submitted; the attempt id."""
    attempt_id = start_assignment(student, assignment_id)
    pages = presented(server.app, attempt_id, 1).total
    for number in range(1, pages + 1):
        shown = presented(server.app, attempt_id, number)
        data = correct_form_data(shown)
        if shown.part_b is not None:
            data["part_b-answer"] = correct_form_data(shown.part_b)["answer"]
        student.post(f"/attempts/{attempt_id}/questions/{number}", {**data, "nav": "next"})
    submit(student, attempt_id)
    return attempt_id


@pytest.mark.parametrize("how", HOWS)
def test_a_story_becomes_a_quiz(server, open_page, screenshots, how) -> None:
    web = teacher(server, f"story-{how}", "Ms Story")
    class_name = f"Civics {how}"
    class_id = create_class(web, class_name)
    page = open_page(web.account(f"story-{how}"), java_script_enabled=how != "no-js")

    bring_in_the_story(page, how)
    screenshots.take(page, f"review-{how}")
    accepted = review_the_drafts(page, how)
    edited_prompt = edit_the_last_draft(page, how)
    add_an_evidence_question(page, how)
    expect(page.locator(".draft-questions > li")).to_have_count(accepted + 1)
    expect(page.get_by_role("link", name=edited_prompt)).to_be_visible()
    assignment_id = publish_and_assign(page, how, class_name)

    student = register(server, f"reader-{how}", "Rae Reader")
    student.post("/classes/join", {"code": join_code(server.app, class_id)}, page="/")
    attempt_id = take_the_quiz(server, student, assignment_id)
    results = open_page(student.account(f"reader-{how}"), java_script_enabled=how != "no-js")
    results.goto(f"/attempts/{attempt_id}/results")
    expect(results.get_by_text(edited_prompt)).to_be_visible()
    # The evidence of every answer is shown: the sentence picked as evidence among them.
    expect(results.get_by_text(EVIDENCE_SENTENCE).first).to_be_visible()
    screenshots.take(results, f"results-{how}")


def test_the_intake_keeps_what_was_typed_and_refuses_a_file_too_large(server, open_page) -> None:
    web = teacher(server, "story-kept", "Ms Kept")
    page = open_page(web.account("story-kept"))
    page.goto("/teach/articles/new")
    page.get_by_label("Article text").fill("“We will vote no,” Mayor Ann Lee said on Monday.")
    page.get_by_label("Publisher").fill("City News")
    # Left without sending it (a session that ran out, a closed tab): it comes back.
    page.goto("/teach/")
    page.goto("/teach/articles/new")
    expect(page.get_by_text("The text you had not sent yet is back")).to_be_visible()
    expect(page.get_by_label("Article text")).to_have_value(
        "“We will vote no,” Mayor Ann Lee said on Monday."
    )
    expect(page.get_by_label("Publisher")).to_have_value("City News")

    big = {"name": "huge.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" * 1_400_000}
    page.get_by_label("Article file (optional)").set_input_files(big)
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_text("“huge.pdf” is larger than 5 MiB")).to_be_visible()
    assert page.url.endswith("/teach/articles/new")
    page.get_by_label("Article file (optional)").set_input_files([])

    page.get_by_role("button", name="Make draft questions").click()
    expect(page.get_by_role("heading", name=re.compile("^Review the drafts"))).to_be_visible()
    page.wait_for_load_state("load")  # the review page's script has run
    # Once the drafts are made, the kept copy is gone: a new story starts empty.
    page.goto("/teach/articles/new")
    expect(page.get_by_label("Article text")).to_have_value("")
