"""Issue 12, the students' side around the reading types: the article beside the question, the
results summary and the way back from the source, the quick round of free practice, and the
paper copy and answer key of the new types."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from helpers.forms import post_form
from helpers.teacher import join_code, post_join, post_new_assignment, post_new_class, version_id

from quizapp.domain.limits import QUICK_ROUND_ITEMS
from quizapp.domain.loader import load_question_set_text
from quizapp.extensions import db
from quizapp.models import Attempt, User
from quizapp.services.question_sets import import_question_set

ARTICLE = (
    "The council met on Monday. Mayor Ana Ortiz said the curfew would keep teens safe.\n"
    "“A curfew punishes everyone,” said Ben Frank. The vote is next month."
)
CHARTER = "Article 1. The council makes the town's laws.\nArticle 2. The mayor carries them out."

SET = f"""
format: quizapp/1
id: extras-mini
title: Extras mini
sources:
  article:
    title: The curfew story
    text: {json.dumps(ARTICLE)}
    author: Kim Reporter
    publisher: The Town Times
    published: 2025-03-01
    url: https://example.org/curfew
  charter:
    title: The town charter
    text: {json.dumps(CHARTER)}
questions:
  - id: who-a
    type: single_choice
    prompt: "Part A: Who objected to the curfew?"
    choices: [Ben Frank, Ana Ortiz]
    answer: Ben Frank
    shuffle: false
    explanation: Frank objected.
  - id: who-b
    type: select_evidence
    part_of: who-a
    prompt: "Part B: Which sentence shows it?"
    source: article
    answer: ["said Ben Frank"]
    explanation: The attribution names Frank.
  - id: when-vote
    type: single_choice
    prompt: When is the vote?
    choices: [Next month, Today]
    answer: Next month
    shuffle: false
    explanation: The story says next month.
    evidence:
      - source: article
        quote: The vote is next month.
  - id: match-roles
    type: matching
    prompt: Match each person with a role.
    pairs:
      Ana Ortiz: Mayor
      Ben Frank: Critic
    distractors: [Judge]
    explanation: The story names their roles.
  - id: explain
    type: written_response
    prompt: Explain the objection.
    rubric:
      - {{points: 2, criterion: States the objection}}
      - {{points: 1, criterion: Quotes the story}}
    max_words: 60
    explanation: A strong answer says the curfew punishes everyone.
"""


def start(app, signed_in, **settings):
    """A student's attempt at an assignment of the set: (student, question URL base, teacher)."""
    teacher = signed_in("ms-lee", role="teacher")
    with app.app_context():
        owner = db.session.scalar(sa.select(User.id).where(User.username == "ms-lee"))
        import_question_set(load_question_set_text(SET, "extras.yaml"), owner_id=owner)
    class_id = post_new_class(teacher)
    assignment_id = post_new_assignment(
        teacher, app, class_id, version_id=version_id(app, "extras-mini"), **settings
    )
    student = signed_in("sam")
    post_join(student, join_code(app, class_id))
    started = post_form(student, f"/assignments/{assignment_id}/start", {}, page="/")
    return student, started.headers["Location"].rsplit("/", 1)[0], teacher


def items(app) -> list[list[str]]:
    """The attempt's question ids by page: a Part B shares its Part A's page."""
    with app.app_context():
        order = db.session.scalar(sa.select(Attempt.question_ids))
    grouped: list[list[str]] = []
    for question_id in order:
        if question_id == "who-b":
            grouped[-1].append(question_id)
        else:
            grouped.append([question_id])
    return grouped


def number_of(app, question_id: str) -> int:
    return next(n for n, item in enumerate(items(app), start=1) if question_id in item)


def article_panel(html: str) -> str:
    start_at = html.index('<aside class="article-panel"')
    return html[start_at : html.index("</aside>", start_at)]


def test_a_question_shows_the_sources_beside_it_unmarked(app, signed_in) -> None:
    student, base, _ = start(app, signed_in)
    html = student.get(f"{base}/{number_of(app, 'when-vote')}").get_data(as_text=True)
    panel = article_panel(html)
    assert '<h2 id="article-heading">Read the sources</h2>' in panel
    # Each source opens in place, without JavaScript, with its citation and every paragraph.
    assert '<details class="article" data-article>' in panel
    assert "<summary>The curfew story</summary>" in panel
    assert "Kim Reporter. The Town Times. 2025-03-01. " in panel
    assert '<a href="https://example.org/curfew" rel="noopener noreferrer">' in panel
    assert "<p>“A curfew punishes everyone,” said Ben Frank. The vote is next month.</p>" in panel
    assert "<summary>The town charter</summary>" in panel
    # Before grading nothing in it points at the answer: no marks, no evidence, no key.
    assert "<mark" not in panel and "evidence" not in panel.lower()
    assert "The story says next month." not in html


def test_the_passage_to_pick_from_is_not_shown_twice(app, signed_in) -> None:
    student, base, _ = start(app, signed_in)
    html = student.get(f"{base}/{number_of(app, 'who-a')}").get_data(as_text=True)
    panel = article_panel(html)
    # The Part B's picker is the article; beside it only the other source.
    assert "<summary>The curfew story</summary>" not in panel
    assert html.count("The council met on Monday.") == 1
    assert '<h2 id="article-heading">Read the article</h2>' in panel
    assert "<summary>The town charter</summary>" in panel
    assert '/sources/article" target="_blank"' in panel  # still a link to read it whole


def answer_and_submit(app, student, base) -> str:
    """Answer Part A right with the wrong Part B, the vote wrong, the rest not; submit."""
    pair = number_of(app, "who-a")
    post_form(student, f"{base}/{pair}", {"answer": "Ben Frank", "part_b-answer": "1"})
    post_form(student, f"{base}/{number_of(app, 'when-vote')}", {"answer": "Today"})
    post_form(student, f"{base}/{number_of(app, 'explain')}", {"answer": "It punishes all."})
    attempt_id = base.split("/")[2]
    post_form(student, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/review")
    return attempt_id


def test_the_results_open_with_a_summary_linking_to_each_question_to_review(app, signed_in) -> None:
    student, base, _ = start(app, signed_in)
    attempt_id = answer_and_submit(app, student, base)
    html = student.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    summary = html[
        html.index('<section class="results-summary"') : html.index('<ol class="results">')
    ]
    pair, vote = number_of(app, "who-a"), number_of(app, "when-vote")
    match, written = number_of(app, "match-roles"), number_of(app, "explain")
    assert "3 questions to review:" in summary
    links = re.findall(r'<a href="#(q-[0-9]+(?:-b)?)">([^<]+)</a>', summary)
    expected_review = sorted(
        [
            (f"q-{pair}-b", f"Question {pair} (Part B)"),
            (f"q-{vote}", f"Question {vote}"),
            (f"q-{match}", f"Question {match}"),
        ],
        key=lambda link: int(link[0].split("-")[1]),
    )
    assert links == [*expected_review, (f"q-{written}", f"Question {written}")]
    assert "1 written answer waiting for your teacher:" in summary
    assert "Not answered" in summary and "Incorrect" in summary  # words, not colour alone
    for anchor, _ in links:  # every link leads to a place on the page
        assert f'id="{anchor}"' in html
    assert f'<a href="#q-{pair}">' not in summary  # Part A was right: nothing to review


def test_a_right_attempt_says_there_is_nothing_to_review(app, signed_in) -> None:
    student, base, _ = start(app, signed_in)
    for item in items(app):
        number = number_of(app, item[0])
        answers = {
            "who-a": {"answer": "Ben Frank", "part_b-answer": "3"},
            "when-vote": {"answer": "Next month"},
        }.get(item[0])
        if answers is None:
            continue
        post_form(student, f"{base}/{number}", answers)
    attempt_id = base.split("/")[2]
    with app.app_context():
        attempt = db.session.get(Attempt, int(attempt_id))
        attempt.question_ids = [
            q for q in attempt.question_ids if q in ("who-a", "who-b", "when-vote")
        ]
        db.session.commit()
    post_form(student, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/review")
    html = student.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "Nothing to review: every question you were scored on is right." in html
    assert "waiting for your teacher" not in html


def test_the_source_view_leads_back_to_the_question_on_the_results(app, signed_in) -> None:
    student, base, _ = start(app, signed_in)
    attempt_id = answer_and_submit(app, student, base)
    results = student.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    vote = number_of(app, "when-vote")
    link = re.search(
        r'href="(/attempts/[0-9]+/sources/article\?question=when-vote)#evidence-1"', results
    )
    assert link is not None
    source = student.get(link.group(1)).get_data(as_text=True)
    assert (
        f'<a href="/attempts/{attempt_id}/results#q-{vote}">Back to question {vote}</a>' in source
    )
    part_b = student.get(f"/attempts/{attempt_id}/sources/article?question=who-b").get_data(
        as_text=True
    )
    pair = number_of(app, "who-a")
    assert f'results#q-{pair}-b">Back to question {pair} (Part B)</a>' in part_b
    # Without a question, the link goes back to the top of the results.
    plain = student.get(f"/attempts/{attempt_id}/sources/article").get_data(as_text=True)
    assert "Back to question" not in plain


def long_shipped_set(items_per_category: int = 6) -> str:
    """A shipped set of four categories with a Part A/B pair in each: more than a quick round."""
    questions = []
    for category in ("facts", "rights", "voices", "words"):
        for n in range(items_per_category):
            questions.append(
                f"""  - id: {category}-{n}
    type: true_false
    category: {category}
    prompt: "{category} statement {n} is true."
    answer: true
    explanation: It is.
    evidence: [{{source: notes, quote: Every statement here is true.}}]
"""
            )
        questions.append(
            f"""  - id: {category}-pair-b
    type: true_false
    part_of: {category}-0
    category: {category}
    prompt: "{category} follow-up is true."
    answer: true
    explanation: It is.
    evidence: [{{source: notes, quote: Every statement here is true.}}]
"""
        )
    head = (
        "format: quizapp/1\nid: long-set\ntitle: A long set\n"
        "sources:\n  notes: {title: Notes, text: Every statement here is true.}\nquestions:\n"
    )
    return head + "".join(questions)


def test_free_practice_offers_a_quick_round_and_the_full_set(app, signed_in) -> None:
    with app.app_context():
        import_question_set(load_question_set_text(long_shipped_set(), "long.yaml"))
    student = signed_in("pat")
    home = student.get("/").get_data(as_text=True)
    assert f"Quick round: {QUICK_ROUND_ITEMS} questions" in home
    assert "Full set: 24 questions" in home  # 28 questions, of which 4 are Part Bs
    seen = set()
    for _ in range(4):  # several seeds
        post_form(student, "/quizzes/long-set/start", {"round": "quick"}, page="/")
        with app.app_context():
            attempt = db.session.scalar(sa.select(Attempt).order_by(Attempt.id.desc()))
            order, seed = list(attempt.question_ids), attempt.seed
            attempt.submitted_at = attempt.started_at  # done: the next start is a new round
            db.session.commit()
        drawn = [q for q in order if "pair-b" not in q]
        assert len(drawn) == QUICK_ROUND_ITEMS
        counts = {
            c: sum(q.startswith(c) for q in drawn) for c in ("facts", "rights", "voices", "words")
        }
        assert sorted(counts.values()) == [3, 4, 4, 4], counts  # balanced by category
        for category in counts:  # a Part B comes with its Part A, and only with it
            if f"{category}-0" in order:
                assert order[order.index(f"{category}-0") + 1] == f"{category}-pair-b"
            else:
                assert f"{category}-pair-b" not in order
        assert order == again_from_seed(app, seed), "the draw is the seed's, every time"
        seen.add(tuple(order))
    assert len(seen) > 1
    post_form(student, "/quizzes/long-set/start", {"round": "full"}, page="/")
    with app.app_context():
        full = db.session.scalar(sa.select(Attempt).order_by(Attempt.id.desc()))
        assert len(full.question_ids) == 28


def again_from_seed(app, seed: int) -> list[str]:
    from quizapp.domain.selection import draw_questions
    from quizapp.services.question_sets import latest_version_of, version_questions

    with app.app_context():
        version = latest_version_of("long-set")
        questions = list(version_questions(version).values())
    return draw_questions(questions, seed, QUICK_ROUND_ITEMS, balanced=True)


def test_a_short_set_offers_no_quick_round(signed_in) -> None:
    home = signed_in("pat").get("/").get_data(as_text=True)
    assert "Start quiz" in home and "Quick round" not in home  # civics-mini: 6 questions


def test_the_paper_copy_prints_the_new_types_and_the_sources(app, signed_in) -> None:
    teacher = start(app, signed_in)[2]
    quiz = teacher.get("/teach/sets/extras-mini/versions/1/print").get_data(as_text=True)
    sources, questions = quiz.split('<ol class="print-questions">')
    # The source texts come first, with their citations.
    assert '<h3 id="print-source-1">The curfew story</h3>' in sources
    assert "Kim Reporter. The Town Times. 2025-03-01" in sources
    assert "<p>Article 2. The mayor carries them out.</p>" in sources
    # Part A and Part B are one numbered item; Part B's sentences each have a box and a number.
    assert re.search(
        r"<li>\s*<div class=\"print-question\">\s*<p class=\"print-prompt\">"
        r"<span class=\"print-part\">Part A\.</span>",
        questions,
    )
    assert '<span class="print-part">Part B.</span>' in questions
    assert (
        '<span class="print-sentence"><span aria-hidden="true">☐</span><sup>3</sup> '
        "“A curfew punishes everyone,” said Ben Frank.</span>"
    ) in questions
    assert "Part B scores only when Part A is right." in questions
    # Matching lists the distractor among the options; a written response gets lines.
    assert "Options: Critic · Judge · Mayor" in questions
    assert "Some options match no item." in questions
    assert questions.count('<div class="print-write-line"></div>') == 5  # 60 words
    for secret in ("The attribution names Frank.", "States the objection", "A strong answer"):
        assert secret not in quiz


def test_the_answer_key_prints_the_rubric_the_sentences_and_the_distractors(app, signed_in) -> None:
    teacher = start(app, signed_in)[2]
    key = teacher.get("/teach/sets/extras-mini/versions/1/answer-key").get_data(as_text=True)
    assert "<strong>Right sentences:</strong>" in key
    assert "<li>3. “A curfew punishes everyone,” said Ben Frank.</li>" in key
    assert "<caption>Rubric: 3 points</caption>" in key
    assert '<td data-label="Criterion">Quotes the story</td><td data-label="Points">1</td>' in key
    assert "<strong>A strong answer:</strong> A strong answer says the curfew punishes" in key
    assert "<strong>Match no item:</strong> Judge" in key
    assert "Ana Ortiz → Mayor" in key
    # The key names its sources but does not print them again.
    assert '<h3 id="print-source-1">The curfew story</h3>' in key
    assert "The council met on Monday." not in key


def test_the_jump_buttons_say_in_words_which_page_is_answered_and_which_is_current() -> None:
    from quizapp.student.overview import jump_buttons

    html = str(jump_buttons([["a"], ["b", "b-part"], ["c"]], {"a": "yes", "b": "no"}, 2))
    buttons = re.findall(r"<li><button ([^>]*)>(.*?)</button></li>", html)
    assert buttons == [
        (
            'type="submit" name="nav" value="goto-1" class="jump answered" '
            'aria-label="Question 1, answered"',
            '1<span aria-hidden="true">✓</span>',
        ),
        (
            'type="submit" name="nav" value="goto-2" class="jump answered current" '
            'aria-current="step" aria-label="Question 2, answered, current"',
            '2<span aria-hidden="true">✓</span>',
        ),
        (
            'type="submit" name="nav" value="goto-3" class="jump" '
            'aria-label="Question 3, not answered"',
            "3",
        ),
    ]
    first = str(jump_buttons([["a"]], {}, 1))
    assert 'class="jump current" aria-current="step"' in first
    assert 'aria-label="Question 1, not answered, current">1</button>' in first
