"""A prompt with lists, tables or several paragraphs: its first paragraph heads the question and
the rest is shown as blocks below the heading, outside it, described to screen readers."""

from __future__ import annotations

import textwrap

import lxml.html
import pytest
from helpers.forms import post_form
from helpers.quiz import form_data, presented

from quizapp.domain.rich_text import render_text, split_prompt

PROMPT = (
    "<p>Read the <em>table</em>, then answer.</p>"
    "<ul><li>Senate: 100 seats</li><li>House: 435 seats</li></ul>"
    "<table><tr><th>Chamber</th><th>Term</th></tr><tr><td>Senate</td><td>6 years</td></tr></table>"
)

SET = textwrap.dedent(
    f"""\
    format: quizapp/1
    id: block-prompts
    title: Block prompts
    sources: {{}}
    questions:
      - id: terms
        type: single_choice
        text_format: html
        prompt: '{PROMPT}<p onclick="steal()">Which term is longer?<script>alert(1)</script></p>'
        choices: [Senate, House]
        answer: Senate
        explanation: A senator serves six years.
      - id: seats
        type: short_answer
        text_format: markdown
        prompt: "How many seats has the House?\\n\\n- Count **voting** members only.\\n- Write a number."
        answer: ["435"]
        explanation: The House has 435 voting members.
    """
).encode()

#: Where a prompt's heading sits: nothing block-level may be inside these.
HEADING_PLACES = "//h1|//h2|//h3|//label|//legend|//p[@class='print-prompt']"


def blocks_in_headings(page: str) -> list[str]:
    """The lists and tables a page puts inside a heading, a label or a legend."""
    tree = lxml.html.fromstring(page)
    return [
        lxml.html.tostring(place, encoding="unicode")
        for place in tree.xpath(HEADING_PLACES)
        if place.xpath(".//ul|.//ol|.//table|.//div")
    ]


def prompt_bodies(page: str) -> list[lxml.html.HtmlElement]:
    """The page's prompt bodies."""
    return lxml.html.fromstring(page).xpath("//div[@class='prompt-body']")


@pytest.mark.parametrize(
    ("text", "text_format"),
    [
        ("Who is buried in Grant's tomb? <b>", "plain"),
        ('<p dir="ltr" style="color:red">Who is <em>buried</em>&nbsp;here?</p>', "html"),
        ("Who is <em>buried</em><br>here?", "html"),
        ("<p>One paragraph<br></p>\n<p></p>", "html"),
        ("Who is *buried* here?", "markdown"),
    ],
)
def test_a_prompt_without_blocks_is_shown_exactly_as_before(text, text_format):
    assert split_prompt(text, text_format) == (render_text(text, text_format, inline=True), None)


def test_the_first_paragraph_heads_the_prompt_and_the_rest_are_blocks():
    heading, body = split_prompt(PROMPT, "html")
    assert heading == "Read the <em>table</em>, then answer."
    assert body is not None and body.startswith("<ul><li>Senate: 100 seats</li>")
    assert "<table><tbody><tr><th>Chamber</th>" in body
    assert split_prompt("<p>First.</p><p>Second.</p>", "html") == ("First.", "<p>Second.</p>")
    assert split_prompt("Lead <b>in</b><ol><li>one</li></ol>", "html") == (
        "Lead <b>in</b>",
        "<ol><li>one</li></ol>",
    )


def test_a_prompt_that_opens_with_a_list_stays_whole_in_the_heading():
    text = "<ul><li>one</li><li>two</li></ul><p>Which?</p>"
    assert split_prompt(text, "html") == (render_text(text, "html", inline=True), None)


def test_hostile_html_in_a_prompt_body_is_still_sanitised():
    heading, body = split_prompt(
        '<p>Q</p><ul><li onmouseover="x()">a<script>alert(1)</script>'
        '<a href="javascript:alert(1)">link</a><img src="x.png" onerror="y()"></li></ul>'
        '<table style="color:red"><tr><td><iframe src="https://evil.example"></iframe>b</td></tr>'
        "</table>",
        "html",
    )
    assert heading == "Q"
    assert body is not None
    for hostile in ("onmouseover", "script", "javascript", "onerror", "style", "iframe", "<img"):
        assert hostile not in body
    assert '<li>a<a rel="noopener noreferrer">link</a></li>' in body


def test_lists_and_tables_show_outside_headings_on_every_page(
    app,
    create_user,
    sign_in,
    publish_set,
    create_class,
    join_class,
    create_assignment,
    start_assignment,
):
    teacher = create_user("ms-blocks", role="teacher")
    publish_set(teacher, "blocks.yaml", SET)
    classroom = create_class(teacher)
    student = create_user("stu-blocks")
    join_class(student, classroom)
    assignment = create_assignment(classroom, set_slug="block-prompts")
    attempt = start_assignment(student, assignment)
    browser = sign_in(student)
    numbers = {presented(app, attempt.id, n).question.id: n for n in (1, 2)}

    choice = browser.get(f"/attempts/{attempt.id}/questions/{numbers['terms']}").get_data(
        as_text=True
    )
    tree = lxml.html.fromstring(choice)
    (legend,) = tree.xpath("//fieldset/legend")
    assert legend.text_content() == "Read the table, then answer."
    (body,) = prompt_bodies(choice)
    assert body.getprevious().tag == "legend" and body.getparent().tag == "fieldset"
    assert body.get("id") in tree.xpath("//fieldset")[0].get("aria-describedby").split()
    assert [li.text_content() for li in body.xpath("ul/li")] == [
        "Senate: 100 seats",
        "House: 435 seats",
    ]
    assert body.xpath("table//td")[1].text_content() == "6 years"
    assert body.xpath("p")[0].text_content() == "Which term is longer?"
    assert "onclick" not in choice and "alert(1)" not in choice and "steal()" not in choice

    short = browser.get(f"/attempts/{attempt.id}/questions/{numbers['seats']}").get_data(
        as_text=True
    )
    tree = lxml.html.fromstring(short)
    assert tree.xpath("//h1/label")[0].text_content() == "How many seats has the House?"
    (body,) = prompt_bodies(short)
    assert body.xpath("ul/li/strong")[0].text == "voting"
    described = tree.xpath("//input[@name='answer']")[0].get("aria-describedby").split()
    assert described[0] == body.get("id") and "answer-hint" in described
    for page in (choice, short):
        assert blocks_in_headings(page) == []

    for number, answer in ((numbers["terms"], "Senate"), (numbers["seats"], "435")):
        url = f"/attempts/{attempt.id}/questions/{number}"
        post_form(browser, url, {**form_data(presented(app, attempt.id, number), answer)})
    post_form(browser, f"/attempts/{attempt.id}/submit", {}, page=f"/attempts/{attempt.id}/review")
    results = browser.get(f"/attempts/{attempt.id}/results").get_data(as_text=True)

    teacher_browser = sign_in(teacher)
    preview = teacher_browser.get("/teach/sets/block-prompts").get_data(as_text=True)
    paper = teacher_browser.get("/teach/sets/block-prompts/versions/1/print").get_data(as_text=True)
    key = teacher_browser.get("/teach/sets/block-prompts/versions/1/answer-key").get_data(
        as_text=True
    )
    for page in (results, preview, paper, key):
        bodies = prompt_bodies(page)
        assert len(bodies) == 2
        cells = [cell.text_content() for body in bodies for cell in body.xpath("table//td")]
        assert cells == ["Senate", "6 years"]
        assert len(lxml.html.fromstring(page).xpath("//div[@class='prompt-body']/ul/li")) == 4
        assert blocks_in_headings(page) == []
        assert "onclick" not in page and "alert(1)" not in page
