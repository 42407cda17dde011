"""Pages show a question's HTML sanitised, its instructions first, and feedback per answer only
to the student who gave that answer."""

from __future__ import annotations

import textwrap

from helpers.forms import post_form
from helpers.quiz import form_data, presented

SET = textwrap.dedent(
    """\
    format: quizapp/1
    id: rich-set
    title: Rich set
    sources:
      article: {title: Article, text: "The council met on Tuesday."}
    questions:
      - id: tomb
        type: single_choice
        text_format: html
        instructions: <p>Answer from the <strong>article</strong>.</p>
        prompt: '<p dir="ltr" style="text-align:left">Who is <em>buried</em>&nbsp;here?</p>'
        choices: [Grant, No one, <b>His wife</b>]
        answer: No one
        feedback: {Grant: Grant lies above ground., No one: Right., <b>His wife</b>: She is entombed too.}
        explanation: <p>They are entombed, not buried.</p>
      - id: tomb-tf
        type: true_false
        prompt: Grant is buried in Grant's tomb.
        answer: false
        feedback: {true: No one is buried in Grant's tomb., false: Well read.}
        explanation: Nobody is buried there.
      - id: born
        type: numerical
        prompt: In what year was Grant born?
        answer:
          - {value: 1822, feedback: Exactly.}
          - {value: 1822, tolerance: 5, credit: 50, feedback: Within five years.}
        explanation: He was born in 1822.
    """
).encode()

#: What the student answers, and what the answer shows them, per question.
ANSWERS = {"tomb": "Grant", "tomb-tf": True, "born": "1825"}


def test_a_student_sees_clean_text_and_only_their_own_feedback(
    app,
    create_user,
    sign_in,
    publish_set,
    create_class,
    join_class,
    create_assignment,
    start_assignment,
):
    teacher = create_user("ms-rich", role="teacher")
    publish_set(teacher, "rich.yaml", SET)
    classroom = create_class(teacher)
    student = create_user("stu-rich")
    join_class(student, classroom)
    assignment = create_assignment(classroom, set_slug="rich-set")
    attempt = start_assignment(student, assignment)
    browser = sign_in(student)
    numbers = {presented(app, attempt.id, n).question.id: n for n in (1, 2, 3)}

    first = browser.get(f"/attempts/{attempt.id}/questions/{numbers['tomb']}").get_data(
        as_text=True
    )
    assert (
        '<div class="instructions"><p>Answer from the <strong>article</strong>.</p></div>' in first
    )
    assert "Who is <em>buried</em> here?" in first
    assert "style=" not in first and "&lt;p" not in first and "&amp;nbsp;" not in first
    assert "<span><b>His wife</b></span>" in first
    # The answer key and every answer's feedback stay on the server until grading.
    assert "Right." not in first and "above ground" not in first

    for number in (1, 2, 3):
        url = f"/attempts/{attempt.id}/questions/{number}"
        shown = presented(app, attempt.id, number)
        post_form(browser, url, {**form_data(shown, ANSWERS[shown.question.id]), "nav": "next"})
    post_form(browser, f"/attempts/{attempt.id}/submit", {}, page=f"/attempts/{attempt.id}/review")
    results = browser.get(f"/attempts/{attempt.id}/results").get_data(as_text=True)

    assert '<p class="answer-feedback">Grant lies above ground.</p>' in results
    assert '<p class="answer-feedback">No one is buried in Grant&#39;s tomb.</p>' in results
    assert '<p class="answer-feedback">Within five years.</p>' in results
    for not_theirs in ("Right.", "She is entombed too.", "Well read.", "Exactly."):
        assert not_theirs not in results
    # General feedback stays the explanation, shown to everyone.
    assert "They are entombed, not buried." in results
    assert "Nobody is buried there." in results
    assert "0.5 of 1 point" in results


def test_paper_copies_show_instructions_once_and_clean_text(create_user, sign_in, publish_set):
    teacher = create_user("ms-paper", role="teacher")
    publish_set(teacher, "rich.yaml", SET)
    browser = sign_in(teacher)
    paper = browser.get("/teach/sets/rich-set/versions/1/print").get_data(as_text=True)
    assert paper.count('<div class="instructions">') == 1
    assert "Who is <em>buried</em> here?" in paper and "style=" not in paper
    key = browser.get("/teach/sets/rich-set/versions/1/answer-key").get_data(as_text=True)
    assert "<p><strong>Why:</strong> They are entombed, not buried.</p>" in key
