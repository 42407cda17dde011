"""Teachers score written responses and accept typed short answers: the queue, the scores per
criterion, the regrades and their records, what students then see, and who may do it."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from helpers.factories import join_class, make_assignment, make_class, make_user, sign_in
from helpers.forms import post_form
from helpers.marking import MARKING_SET, TOTAL, take

from quizapp.domain.limits import MAX_COMMENT_CHARS
from quizapp.domain.loader import load_question_set_text
from quizapp.extensions import db
from quizapp.models import AcceptedAnswer, Assignment, Attempt, Classroom, Regrade, Response, User
from quizapp.services import management
from quizapp.services.question_sets import import_question_set

WRITTEN = {"text": "The critics say it is cruel and unusual.", "cited": ["2"]}


@pytest.fixture
def marking(app):
    """Ms Lee's assignment of the marking set, her class of two students, and her client."""
    teacher = make_user(app, "ms-lee", role="teacher", display_name="Ms Lee")
    with app.app_context():
        import_question_set(
            load_question_set_text(MARKING_SET, "marking.yaml"), owner_id=teacher.id
        )
    classroom = make_class(app, teacher)
    ana = make_user(app, "ana", display_name="Ana Garcia")
    ben = make_user(app, "ben", display_name="Ben Okafor")
    for student in (ana, ben):
        join_class(app, student, classroom)
    assignment = make_assignment(app, classroom, "Marking quiz", set_slug="marking-mini")
    return {
        "teacher": sign_in(app, teacher),
        "assignment": assignment,
        "ana": ana,
        "ben": ben,
        "classroom": classroom,
    }


def attempt_row(app, attempt_id: int) -> Attempt:
    with app.app_context():
        found = db.session.get(Attempt, attempt_id)
        db.session.expunge(found)
        return found


def response_id(app, attempt_id: int, question_id: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Response.id).where(
                Response.attempt_id == attempt_id, Response.question_id == question_id
            )
        )


def queue_url(assignment) -> str:
    return f"/teach/assignments/{assignment.id}/scoring"


# Scoring written responses ---------------------------------------------------------------------


def test_the_queue_lists_written_answers_to_score_with_the_cited_sentences(app, marking):
    a = marking["assignment"]
    attempt = take(app, marking["ana"], a, who="Rubio", explain=WRITTEN)
    take(app, marking["ben"], a, who="Rubio")  # wrote nothing: nothing to score
    assert attempt.is_provisional and attempt.score == 1.0
    results = marking["teacher"].get(f"/teach/assignments/{a.id}").get_data(as_text=True)
    assert "1 submitted attempt has written answers to score" in results
    page = marking["teacher"].get(queue_url(a)).get_data(as_text=True)
    assert "Still to score (1)" in page and "Ana Garcia" in page and "Ben Okafor" not in page
    rid = response_id(app, attempt.id, "explain")
    page = marking["teacher"].get(f"{queue_url(a)}/{rid}").get_data(as_text=True)
    assert WRITTEN["text"] in page
    # The cited sentence is marked in the passage in words, the others are plain text.
    cited = re.search(r'<mark class="sentence-mark picked">(.*?)</mark>', page, re.S).group(1)
    assert "Cited:" in cited and "Critics said it was cruel and unusual." in cited
    assert "Rubio said the offer was generous." in page.replace(cited, "")
    assert "Names the Eighth Amendment (0 to 2 points)" in page
    assert 'type="number"' in page and 'max="2"' in page
    assert "A strong answer names the Eighth Amendment" in page


def test_saving_a_score_makes_it_final_in_results_csv_and_gradebook(app, marking):
    a, teacher = marking["assignment"], marking["teacher"]
    attempt = take(app, marking["ana"], a, who="Rubio", explain=WRITTEN)
    url = f"{queue_url(a)}/{response_id(app, attempt.id, 'explain')}"
    saved = post_form(
        teacher, url, {"criterion_0": "1", "criterion_1": "1", "comment": "Name the amendment."}
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(queue_url(a))
    scored = attempt_row(app, attempt.id)
    assert scored.score == 3.0 and scored.pending_points == 0 and not scored.is_provisional
    with app.app_context():
        row = db.session.get(Response, response_id(app, attempt.id, "explain"))
        assert (row.earned, row.pending, row.rubric_points) == (2.0, False, [1, 1])
        assert row.comment == "Name the amendment." and row.scored_at is not None
    results_page = teacher.get(f"/teach/assignments/{a.id}").get_data(as_text=True)
    assert "written answers to score" not in results_page
    queue = teacher.get(queue_url(a)).get_data(as_text=True)
    assert "Still to score (0)" in queue and "Scored (1)" in queue and "2 of 3" in queue
    export = teacher.get(f"/teach/assignments/{a.id}/results.csv").get_data(as_text=True)
    row = next(r for r in csv.DictReader(io.StringIO(export)) if r["username"] == "ana")
    assert float(row["explain"]) == 2.0 and float(row["score_percent"]) == 50.0
    gradebook = teacher.get(f"/teach/classes/{marking['classroom'].id}/gradebook.csv")
    row = next(r for r in csv.DictReader(io.StringIO(gradebook.get_data(as_text=True))))
    assert float(row["Marking quiz (%)"]) == 50.0
    student = sign_in(app, marking["ana"])
    results = student.get(f"/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "Waiting for your teacher" not in results and "provisional" not in results
    assert "Names the Eighth Amendment: <strong>1 of 2</strong>" in results
    assert "Quotes the article: <strong>1 of 1</strong>" in results
    assert "Name the amendment." in results and "A strong answer names the Eighth" in results


def test_the_student_waits_for_the_teacher_until_scored(app, marking):
    attempt = take(app, marking["ana"], marking["assignment"], explain=WRITTEN)
    student = sign_in(app, marking["ana"])
    results = student.get(f"/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "Waiting for your teacher to score this answer." in results
    assert "A strong answer names" not in results and "Your teacher’s score" not in results


def test_a_score_outside_the_rubric_is_refused_and_changes_nothing(app, marking):
    a, teacher = marking["assignment"], marking["teacher"]
    attempt = take(app, marking["ana"], a, explain=WRITTEN)
    url = f"{queue_url(a)}/{response_id(app, attempt.id, 'explain')}"
    refused = post_form(teacher, url, {"criterion_0": "3", "criterion_1": "", "comment": "x"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Give 0 to 2 points." in page and "Give this criterion a score" in page
    assert re.search(r'name="comment"[^>]*>\s*x</textarea>', page)  # the comment typed is kept
    unchanged = attempt_row(app, attempt.id)
    assert unchanged.is_provisional and unchanged.score == 0.0


def test_a_scored_answer_reopens_and_its_new_score_replaces_the_old(app, marking):
    a, teacher = marking["assignment"], marking["teacher"]
    first = take(app, marking["ana"], a, explain=WRITTEN)
    second = take(app, marking["ben"], a, explain=WRITTEN)
    url = f"{queue_url(a)}/{response_id(app, first.id, 'explain')}"
    saved = post_form(teacher, url, {"criterion_0": "2", "criterion_1": "1", "comment": ""})
    # Saving goes on to the next answer still to score.
    assert saved.headers["Location"].endswith(
        f"{queue_url(a)}/{response_id(app, second.id, 'explain')}"
    )
    page = teacher.get(url).get_data(as_text=True)
    assert "Scored 3 of 3" in page and 'value="2"' in page
    post_form(teacher, url, {"criterion_0": "0", "criterion_1": "1", "comment": "Redo"})
    rescored = attempt_row(app, first.id)
    assert rescored.score == 1.0 and rescored.pending_points == 0


def test_only_the_assignments_teachers_score(app, marking):
    a = marking["assignment"]
    attempt = take(app, marking["ana"], a, explain=WRITTEN)
    rid = response_id(app, attempt.id, "explain")
    other = sign_in(app, make_user(app, "mr-other", role="teacher"))
    urls = [
        queue_url(a),
        f"{queue_url(a)}/{rid}",
        f"/teach/assignments/{a.id}/questions/amendment/confirm-accept?answer=8th",
    ]
    for url in urls:
        assert other.get(url).status_code == 404, url
    token_page = marking["teacher"]
    refused = post_form(
        other,
        f"{queue_url(a)}/{rid}",
        {"criterion_0": "2", "criterion_1": "1"},
        page="/teach/",
    )
    assert refused.status_code == 404
    refused = post_form(
        other,
        f"/teach/assignments/{a.id}/questions/amendment/accept",
        {"answer": "8th"},
        page="/teach/",
    )
    assert refused.status_code == 404
    assert attempt_row(app, attempt.id).is_provisional
    student = sign_in(app, marking["ana"])
    assert student.get(queue_url(a)).status_code == 403
    # A response of another question or assignment is not one to score here.
    assert (
        token_page.get(f"{queue_url(a)}/{response_id(app, attempt.id, 'who')}").status_code == 404
    )
    assert token_page.get(f"{queue_url(a)}/{rid + 1000}").status_code == 404


def test_without_csrf_nothing_is_scored_or_accepted(app, marking):
    a = marking["assignment"]
    attempt = take(app, marking["ana"], a, amendment="8th", explain=WRITTEN)
    rid = response_id(app, attempt.id, "explain")
    teacher = marking["teacher"]
    assert teacher.post(f"{queue_url(a)}/{rid}", data={"criterion_0": "2"}).status_code == 400
    accept = f"/teach/assignments/{a.id}/questions/amendment/accept"
    assert teacher.post(accept, data={"answer": "8th"}).status_code == 400
    unchanged = attempt_row(app, attempt.id)
    assert unchanged.score == 0.0 and unchanged.is_provisional


# Accepting a typed short answer -----------------------------------------------------------------


def analysis(teacher, assignment) -> str:
    return teacher.get(f"/teach/assignments/{assignment.id}/analysis").get_data(as_text=True)


def typed_rows(page: str) -> dict[str, str]:
    """The typed-answer table's rows: answer -> the row's text."""
    table = re.search(r'<table class="table typed-answers">(.*?)</table>', page, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = " | ".join(cells[1:])
    return rows


def test_item_analysis_lists_each_typed_answer_once_as_the_grader_compares(app, marking):
    a = marking["assignment"]
    take(app, marking["ana"], a, amendment="the 8th amendment!")
    take(app, marking["ben"], a, amendment="The 8th  Amendment")
    take(app, marking["ben"], a, amendment="eighth amendment")
    rows = typed_rows(analysis(marking["teacher"], a))
    assert set(rows) == {"the 8th amendment!", "eighth amendment"} or set(rows) == {
        "The 8th  Amendment",
        "eighth amendment",
    }
    eighth = rows["eighth amendment"]
    assert eighth.startswith("1 | ✓ right")
    typed_8th = next(v for k, v in rows.items() if k != "eighth amendment")
    assert typed_8th.startswith("2 | ✗ wrong") and "Accept" in typed_8th


def test_accepting_an_answer_regrades_each_attempt_that_gave_it_once(app, marking):
    a, teacher = marking["assignment"], marking["teacher"]
    # Ana's Part B evidence is right, so accepting her Part A gives her Part B's point too.
    ana = take(app, marking["ana"], a, amendment="Amendment 8", **{"amendment-b": ["3"]})
    ben = take(app, marking["ben"], a, amendment="amendment 8.", who="Rubio")
    other = take(app, marking["ben"], a, amendment="the fifth")
    assert (ana.score, ben.score, other.score) == (0.0, 1.0, 0.0)
    confirm = f"/teach/assignments/{a.id}/questions/amendment/confirm-accept?answer=Amendment+8"
    page = teacher.get(confirm).get_data(as_text=True)
    assert "Accept “Amendment 8”?" in page and "<strong>2 attempts</strong>" in page
    # Looking at the confirmation changes nothing: only the button does.
    assert attempt_row(app, ana.id).score == 0.0
    accept = f"/teach/assignments/{a.id}/questions/amendment/accept"
    done = post_form(teacher, accept, {"answer": "Amendment 8"}, page=confirm)
    assert done.status_code == 302 and done.headers["Location"].endswith("#typed-amendment")
    flashed = teacher.get(done.headers["Location"]).get_data(as_text=True)
    assert "2 attempts regraded" in flashed
    assert attempt_row(app, ana.id).score == 2.0
    assert attempt_row(app, ben.id).score == 2.0
    assert attempt_row(app, other.id).score == 0.0
    with app.app_context():
        records = db.session.execute(
            sa.select(
                Regrade.attempt_id,
                Regrade.question_id,
                Regrade.answer,
                Regrade.score_before,
                Regrade.score_after,
                User.username,
            )
            .join(User, User.id == Regrade.teacher_id)
            .order_by(Regrade.attempt_id)
        ).all()
        assert [tuple(r) for r in records] == [
            (ana.id, "amendment", "Amendment 8", 0.0, 2.0, "ms-lee"),
            (ben.id, "amendment", "amendment 8.", 1.0, 2.0, "ms-lee"),
        ]
        assert db.session.scalar(sa.select(sa.func.count(AcceptedAnswer.id))) == 1
    # Accepting again changes nothing, and records nothing.
    again = post_form(teacher, accept, {"answer": "AMENDMENT 8"}, page=confirm)
    assert "no attempt needed a regrade" in teacher.get(again.headers["Location"]).get_data(
        as_text=True
    )
    assert attempt_row(app, ana.id).score == 2.0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Regrade.id))) == 2
        assert db.session.scalar(sa.select(sa.func.count(AcceptedAnswer.id))) == 1
    rows = typed_rows(analysis(teacher, a))
    accepted = next(v for k, v in rows.items() if k.lower().startswith("amendment 8"))
    assert "right (you accepted it)" in accepted and "Accept" not in accepted


def test_students_see_a_note_on_the_regraded_question(app, marking):
    a = marking["assignment"]
    ana = take(app, marking["ana"], a, amendment="8th amend")
    post_form(
        marking["teacher"],
        f"/teach/assignments/{a.id}/questions/amendment/accept",
        {"answer": "8th amend"},
        page=f"/teach/assignments/{a.id}/questions/amendment/confirm-accept?answer=8th+amend",
    )
    student = sign_in(app, marking["ana"])
    page = student.get(f"/attempts/{ana.id}/results").get_data(as_text=True)
    note = re.search(r'<p class="notice regrade-note"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "Your teacher accepted your answer “8th amend” on " in note and ": +1 point." in note
    assert f"You scored <strong>1 of {TOTAL:g}</strong>" in page


def test_an_accepted_answer_is_right_in_later_attempts(app, marking):
    a = marking["assignment"]
    take(app, marking["ana"], a, amendment="VIII")
    post_form(
        marking["teacher"],
        f"/teach/assignments/{a.id}/questions/amendment/accept",
        {"answer": "VIII"},
        page=f"/teach/assignments/{a.id}/questions/amendment/confirm-accept?answer=VIII",
    )
    later = take(app, marking["ben"], a, amendment="viii")
    assert later.score == 1.0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Regrade.id))) == 1


def test_an_answer_of_another_question_type_cannot_be_accepted(app, marking):
    a, teacher = marking["assignment"], marking["teacher"]
    take(app, marking["ana"], a, who="Congress")
    for question in ("who", "missing"):
        url = f"/teach/assignments/{a.id}/questions/{question}/confirm-accept?answer=Congress"
        assert teacher.get(url).status_code == 404
    empty = f"/teach/assignments/{a.id}/questions/amendment/confirm-accept?answer=%21%21"
    assert teacher.get(empty).status_code == 404


# Which sentence misled the class ----------------------------------------------------------------


def test_the_heat_map_writes_each_sentences_picks_and_marks_the_right_one(app, marking):
    a = marking["assignment"]
    take(
        app, marking["ana"], a, amendment="Eighth Amendment", **{"amendment-b": ["2"]}, who="Rubio"
    )
    take(
        app,
        marking["ben"],
        a,
        amendment="Eighth Amendment",
        **{"amendment-b": ["2"]},
        who="Congress",
    )
    take(
        app, marking["ben"], a, amendment="Eighth Amendment", **{"amendment-b": ["3"]}, who="Rubio"
    )
    page = analysis(marking["teacher"], a)
    heat = re.search(r'<div class="passage heatmap">(.*?)</div>', page, re.S).group(1)
    spans = dict(
        (re.sub(r"<[^>]+>", "", text).split("[")[0].strip(), (cls, count))
        for cls, text, count in re.findall(
            r'<span class="heat (heat-\d[^"]*)">(.*?)<span class="heat-count">\[picked by (\d+)\]',
            heat,
            re.S,
        )
    )
    assert spans["Critics said it was cruel and unusual."] == ("heat-4", "2")
    assert spans["★ Right sentence: The Eighth Amendment bans cruel and unusual punishment."] == (
        "heat-2 right",
        "1",
    )
    assert spans["Rubio said the offer was generous."] == ("heat-0", "0")
    # A bar per choice, its share written out and its width an SVG attribute (no style).
    bars = re.search(r'<ul class="choice-bars">(.*?)</ul>', page, re.S).group(1)
    assert 'Rubio <span class="outcome outcome-correct">' in bars
    assert "<strong>2 of 3 (67%)</strong>" in bars and "<strong>1 of 3 (33%)</strong>" in bars
    assert '<rect class="fill" x="0" y="0" width="66.7" height="6">' in bars
    assert "<strong>0 of 3 (0%)</strong>" in bars and "style=" not in page


PAIR_SET = """
format: quizapp/1
id: pair-mini
title: Pair mini
sources:
  law:
    title: The law
    text: Excessive bail shall not be required, nor cruel and unusual punishments inflicted.
questions:
  - id: which
    type: single_choice
    prompt: "Part A: Which amendment bans cruel punishment?"
    choices: [The Eighth, The First]
    answer: The Eighth
    shuffle: false
    explanation: The Eighth.
    evidence:
      - {source: law, quote: cruel and unusual punishments}
  - id: which-b
    type: short_answer
    part_of: which
    prompt: "Part B: Which words of it say so?"
    answer: [cruel and unusual punishment]
    explanation: Those words.
    evidence:
      - {source: law, quote: cruel and unusual punishments}
"""


def test_an_accepted_part_b_still_needs_its_part_a_right(app, marking):
    with app.app_context():
        owner = db.session.get(Classroom, marking["classroom"].id).teacher_id
        import_question_set(load_question_set_text(PAIR_SET, "pair.yaml"), owner_id=owner)
    pair = make_assignment(app, marking["classroom"], "Pair quiz", set_slug="pair-mini")
    right_a = take(app, marking["ana"], pair, which="The Eighth", **{"which-b": "cruel punishment"})
    wrong_a = take(app, marking["ben"], pair, which="The First", **{"which-b": "cruel punishment"})
    post_form(
        marking["teacher"],
        f"/teach/assignments/{pair.id}/questions/which-b/accept",
        {"answer": "cruel punishment"},
        page=f"/teach/assignments/{pair.id}/questions/which-b/confirm-accept?answer=x",
    )
    assert attempt_row(app, right_a.id).score == 2.0
    assert attempt_row(app, wrong_a.id).score == 0.0
    with app.app_context():
        assert db.session.scalars(sa.select(Regrade.attempt_id)).all() == [right_a.id]


def test_deleting_an_assignment_takes_its_regrades_and_accepted_answers(app, marking):
    a = marking["assignment"]
    take(app, marking["ana"], a, amendment="Amendment 8")
    accept = f"/teach/assignments/{a.id}/questions/amendment/accept"
    post_form(
        marking["teacher"],
        accept,
        {"answer": "Amendment 8"},
        page=f"/teach/assignments/{a.id}/questions/amendment/confirm-accept?answer=x",
    )
    with app.app_context():
        management.delete_assignment(db.session.get(Assignment, a.id))
        assert db.session.scalar(sa.select(sa.func.count(Regrade.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(AcceptedAnswer.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


def test_a_comment_over_the_limit_is_refused_with_a_message(app, marking):
    a = marking["assignment"]
    attempt = take(app, marking["ana"], a, explain=WRITTEN)
    url = f"{queue_url(a)}/{response_id(app, attempt.id, 'explain')}"
    long = "a" * (MAX_COMMENT_CHARS + 1)
    refused = post_form(
        marking["teacher"], url, {"criterion_0": "2", "criterion_1": "1", "comment": long}
    )
    assert refused.status_code == 422
    assert f"Keep the comment to {MAX_COMMENT_CHARS:,} characters." in refused.get_data(
        as_text=True
    )
    assert attempt_row(app, attempt.id).is_provisional
