"""The browser editor's pages over HTTP: every type written without JavaScript, errors beside
their fields, CSRF and 404 for others' drafts, no change on GET, kept edits, publish."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers.editor import ARTICLE, BASE, EVERY_TYPE, QUOTE
from helpers.forms import csrf_token, post_form
from helpers.settings import PASSWORD, SETS

from quizapp.extensions import db
from quizapp.models import DraftSet, QuestionSet, QuestionSetVersion, User


@pytest.fixture
def teacher(signed_in):
    return signed_in("tess", role="teacher")


def start(teacher_client, set_id="council-vote") -> int:
    response = post_form(
        teacher_client,
        "/teach/drafts/new",
        {"title": "Council vote", "set_id": set_id, "article": ARTICLE, "publisher": "City News"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def stored(app, draft_id):
    with app.app_context():
        row = db.session.get(DraftSet, draft_id)
        return None if row is None else (row.revision, row.document)


def new_question(client, draft_id, type_name, data):
    url = f"/teach/drafts/{draft_id}/questions/new/{type_name}"
    return post_form(client, url, data)


@pytest.mark.parametrize("type_name", sorted(EVERY_TYPE))
def test_every_type_is_written_without_javascript_and_publishes(app, teacher, type_name):
    draft_id = start(teacher)
    page = teacher.get(f"/teach/drafts/{draft_id}/questions/new/{type_name}")
    assert page.status_code == 200
    response = new_question(teacher, draft_id, type_name, EVERY_TYPE[type_name])
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/teach/drafts/{draft_id}")
    _, document = stored(app, draft_id)
    [question] = document["questions"]
    assert question["type"] == type_name
    draft_page = teacher.get(f"/teach/drafts/{draft_id}").get_data(as_text=True)
    assert "Ready to publish" in draft_page
    # Edited again, the form shows what was saved, and saving it unchanged keeps it.
    edit_url = f"/teach/drafts/{draft_id}/questions/1"
    form = teacher.get(edit_url).get_data(as_text=True)
    assert "Who said the bill would be voted down?" in form
    preview = teacher.get(f"/teach/drafts/{draft_id}/preview").get_data(as_text=True)
    assert "This will be version 1 of a new set" in preview
    published = post_form(teacher, f"/teach/drafts/{draft_id}/publish", {}, page=edit_url)
    assert published.status_code == 303
    assert published.headers["Location"].endswith("/teach/sets/council-vote")


def test_the_quote_is_stored_verbatim_whether_ticked_or_typed(app, teacher):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    new_question(
        teacher,
        draft_id,
        "true_false",
        {**BASE, "answer": "true", "evidence_0": "Critics said the plan was rushed"},
    )
    _, document = stored(app, draft_id)
    assert [q["evidence"] for q in document["questions"]] == [
        [{"source": "article", "quote": QUOTE}],
        [{"source": "article", "quote": "Critics said the plan was rushed"}],
    ]
    # The ticked sentence shows ticked again; a typed quote shows in the box.
    page = teacher.get(f"/teach/drafts/{draft_id}/questions/1").get_data(as_text=True)
    assert re.search(r'<input id="evidence_0_pick-2"[^>]*checked', page)


def test_errors_show_beside_their_fields_and_the_text_is_kept(app, teacher):
    draft_id = start(teacher)
    sent = {
        **EVERY_TYPE["single_choice"],
        "prompt": "",
        "choices_correct": "",
        "evidence_0": "Ana Ortiz said nothing",
    }
    response = new_question(teacher, draft_id, "single_choice", sent)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/teach/drafts/{draft_id}/questions/1")
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    prompt_error = page.index('id="prompt-error"')
    assert prompt_error < page.index('name="prompt"')
    assert "fill in the prompt" in page
    assert "the quote was not found in source" in page
    assert 'value="Ana Ortiz"' in page  # nothing typed is lost
    assert "Ana Ortiz said nothing" in page
    draft_page = teacher.get(f"/teach/drafts/{draft_id}").get_data(as_text=True)
    assert "Not ready to publish yet" in draft_page
    assert "Question 1, prompt: fill in the prompt" in draft_page
    refused = post_form(
        teacher, f"/teach/drafts/{draft_id}/publish", {}, page=f"/teach/drafts/{draft_id}"
    )
    assert refused.status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionSetVersion)) == (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(QuestionSetVersion)
                .join(QuestionSet)
                .where(QuestionSet.owner_id.is_(None))
            )
        )


def test_duplicate_reorder_and_delete_by_buttons(app, teacher):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    new_question(teacher, draft_id, "short_answer", EVERY_TYPE["short_answer"])
    page = f"/teach/drafts/{draft_id}"
    post_form(teacher, f"{page}/questions/1/duplicate", {}, page=page)
    types = lambda: [q["type"] for q in stored(app, draft_id)[1]["questions"]]  # noqa: E731
    assert types() == ["true_false", "true_false", "short_answer"]
    post_form(teacher, f"{page}/questions/3/move", {"direction": "up"}, page=page)
    assert types() == ["true_false", "short_answer", "true_false"]
    post_form(teacher, f"{page}/questions/1/move", {"direction": "down"}, page=page)
    assert types() == ["short_answer", "true_false", "true_false"]
    post_form(teacher, f"{page}/questions/2/delete", {}, page=page)
    assert types() == ["short_answer", "true_false"]
    assert (
        teacher.post(
            f"{page}/questions/9/delete", data={"csrf_token": csrf_token(teacher, page)}
        ).status_code
        == 404
    )


def test_another_teachers_draft_is_404_everywhere(app, teacher, signed_in):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    other = signed_in("otto", role="teacher")
    token = csrf_token(other, "/teach/drafts/new")
    base = f"/teach/drafts/{draft_id}"
    for url in (base, f"{base}/questions/1", f"{base}/questions/new/true_false", f"{base}/preview"):
        assert other.get(url).status_code == 404, url
    for url in (
        f"{base}/settings",
        f"{base}/questions/1",
        f"{base}/questions/1/duplicate",
        f"{base}/questions/1/move",
        f"{base}/questions/1/delete",
        f"{base}/publish",
        f"{base}/delete",
    ):
        assert other.post(url, data={"csrf_token": token, **BASE}).status_code == 404, url
    assert stored(app, draft_id)[0] == 2


def test_students_and_visitors_are_kept_out(app, teacher, signed_in, client):
    draft_id = start(teacher)
    student = signed_in("sam")
    assert student.get(f"/teach/drafts/{draft_id}").status_code == 403
    assert student.get("/teach/drafts/new").status_code == 403
    assert client.get(f"/teach/drafts/{draft_id}").status_code == 302


def test_a_post_without_its_token_changes_nothing(app, teacher):
    draft_id = start(teacher)
    before = stored(app, draft_id)
    base = f"/teach/drafts/{draft_id}"
    for url in (f"{base}/questions/new/true_false", f"{base}/settings", f"{base}/delete"):
        assert teacher.post(url, data={**BASE, "title": "X"}).status_code in (303, 400), url
    assert stored(app, draft_id) == before


def test_pages_change_nothing_on_get(app, teacher):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    before = stored(app, draft_id)
    base = f"/teach/drafts/{draft_id}"
    for url in (base, f"{base}/questions/1", f"{base}/questions/new/matching", f"{base}/preview"):
        assert teacher.get(url).status_code == 200, url
    for url in (f"{base}/publish", f"{base}/delete", f"{base}/questions/1/delete"):
        assert teacher.get(url).status_code == 405, url
    assert stored(app, draft_id) == before


def test_an_autosave_answers_json_and_a_stale_page_is_not_written_over(app, teacher):
    draft_id = start(teacher)
    url = f"/teach/drafts/{draft_id}/questions/new/true_false"
    token = csrf_token(teacher, url)
    first = teacher.post(url, data={"csrf_token": token, "autosave": "1", "prompt": "Draft"})
    assert first.status_code == 200
    reply = first.get_json()
    assert reply["saved"] and reply["location"].endswith(f"/teach/drafts/{draft_id}/questions/1")
    assert reply["message"].startswith("Saved.")
    edit = reply["location"]
    second = teacher.post(
        edit,
        data={
            "csrf_token": token,
            "autosave": "1",
            "prompt": "Newer",
            "revision": reply["revision"],
        },
    )
    assert second.get_json()["saved"]
    stale = teacher.post(
        edit,
        data={
            "csrf_token": token,
            "autosave": "1",
            "prompt": "Stale",
            "revision": reply["revision"],
        },
    )
    assert stale.status_code == 409
    assert stored(app, draft_id)[1]["questions"][0]["prompt"] == "Newer"


def test_an_edit_sent_after_signing_out_is_kept_for_after_sign_in(app, teacher, login):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    url = f"/teach/drafts/{draft_id}/questions/1"
    token = csrf_token(teacher, url)
    post_form(teacher, "/account/logout", {}, page=url)
    sent = {**EVERY_TYPE["true_false"], "csrf_token": token, "prompt": "Typed while signed out"}
    response = teacher.post(url, data=sent, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303
    assert "/account/login" in response.headers["Location"]
    assert stored(app, draft_id)[1]["questions"][0]["prompt"] == BASE["prompt"]
    post_form(
        teacher,
        f"/account/login?next={url}",
        {"username": "tess", "password": PASSWORD},
        page="/account/login",
    )
    page = teacher.get(url).get_data(as_text=True)
    assert "Typed while signed out" in page
    assert "not saved yet" in page


def test_an_edit_with_an_expired_token_is_kept_and_filled_in_again(app, teacher):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    url = f"/teach/drafts/{draft_id}/questions/1"
    sent = {**EVERY_TYPE["true_false"], "csrf_token": "stale", "prompt": "Typed on an old page"}
    response = teacher.post(url, data=sent, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    assert stored(app, draft_id)[1]["questions"][0]["prompt"] == BASE["prompt"]
    page = teacher.get(url).get_data(as_text=True)
    assert "Typed on an old page" in page
    # Another site's forged form plants nothing.
    forged = {**sent, "prompt": "Planted"}
    teacher.post(url, data=forged, headers={"Sec-Fetch-Site": "cross-site"})
    assert "Planted" not in teacher.get(url).get_data(as_text=True)


def test_editing_a_published_set_opens_a_draft_of_version_2(app, teacher):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    post_form(teacher, f"/teach/drafts/{draft_id}/publish", {}, page=f"/teach/drafts/{draft_id}")
    set_page = teacher.get("/teach/sets/council-vote").get_data(as_text=True)
    assert "Assign to a class" in set_page and "Edit: draft version 2" in set_page
    opened = post_form(
        teacher, "/teach/sets/council-vote/edit", {}, page="/teach/sets/council-vote"
    )
    assert opened.status_code == 303
    second = int(opened.headers["Location"].rsplit("/", 1)[-1])
    preview = teacher.get(f"/teach/drafts/{second}/preview").get_data(as_text=True)
    assert "publishing changes nothing" in preview
    new_question(teacher, second, "short_answer", EVERY_TYPE["short_answer"])
    preview = teacher.get(f"/teach/drafts/{second}/preview").get_data(as_text=True)
    assert "This will be version 2 of “Council vote”" in preview
    post_form(teacher, f"/teach/drafts/{second}/publish", {}, page=f"/teach/drafts/{second}")
    with app.app_context():
        numbers = db.session.scalars(
            sa.select(QuestionSetVersion.number)
            .join(QuestionSet)
            .where(QuestionSet.slug == "council-vote")
        ).all()
    assert sorted(numbers) == [1, 2]


def test_a_shipped_set_is_copied_and_another_teachers_set_is_not(app, teacher, signed_in):
    page = teacher.get("/teach/sets/civics-mini").get_data(as_text=True)
    assert "Copy into my sets" in page and "Edit: draft version" not in page
    copied = post_form(
        teacher,
        "/teach/sets/civics-mini/duplicate",
        {"title": "My civics", "set_id": "my-civics"},
    )
    assert copied.status_code == 303
    draft_id = int(copied.headers["Location"].rsplit("/", 1)[-1])
    assert "Ready to publish" in teacher.get(f"/teach/drafts/{draft_id}").get_data(as_text=True)
    token = csrf_token(teacher, "/teach/drafts/new")
    assert (
        teacher.post("/teach/sets/civics-mini/edit", data={"csrf_token": token}).status_code == 404
    )
    post_form(teacher, f"/teach/drafts/{draft_id}/publish", {}, page=f"/teach/drafts/{draft_id}")
    other = signed_in("otto", role="teacher")
    assert other.get("/teach/sets/my-civics/duplicate").status_code == 404
    assert other.get("/teach/sets/my-civics/assign").status_code == 404


def test_assign_to_a_class_opens_the_assignment_form_with_the_set_chosen(app, teacher):
    post_form(teacher, "/teach/classes", {"name": "Period 3", "time_zone": "UTC"}, page="/teach/")
    page = teacher.get("/teach/sets/civics-mini/assign").get_data(as_text=True)
    link = re.search(r'href="(/teach/classes/\d+/assignments/new\?version_id=(\d+))"', page)
    assert link, page
    form = teacher.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(
        rf'<option selected value="{link.group(2)}"|<option value="{link.group(2)}" selected', form
    )


def test_the_dashboard_lists_drafts_and_uploads_waiting_for_their_preview(
    app, teacher, stage_set, create_user
):
    draft_id = start(teacher)
    with app.app_context():
        tess = db.session.scalar(sa.select(User).where(User.username == "tess"))
    stage_set(
        tess,
        "civics-mini.yaml",
        (SETS / "civics-mini.yaml").read_bytes().replace(b"id: civics-mini", b"id: my-mini"),
        {"town-meeting.txt": (SETS / "sources" / "town-meeting.txt").read_bytes()},
    )
    page = teacher.get("/teach/").get_data(as_text=True)
    assert f'href="/teach/drafts/{draft_id}"' in page
    assert "civics-mini.yaml" in page and "waiting for its preview" in page


def test_a_part_a_and_part_b_pair_is_written_in_the_editor(app, teacher):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "single_choice", {**EVERY_TYPE["single_choice"]})
    form = teacher.get(f"/teach/drafts/{draft_id}/questions/new/select_evidence")
    assert '<option value="question-1">question-1</option>' in form.get_data(as_text=True)
    part_b = {**EVERY_TYPE["select_evidence"], "part_of": "question-1", "prompt": "Part B: why?"}
    assert new_question(teacher, draft_id, "select_evidence", part_b).status_code == 303
    _, document = stored(app, draft_id)
    assert document["questions"][1]["part_of"] == "question-1"
    preview = teacher.get(f"/teach/drafts/{draft_id}/preview").get_data(as_text=True)
    assert "Part B of question-1" in preview


def test_coming_back_to_a_published_draft_leads_to_its_set(app, teacher, signed_in):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    edit_url = f"/teach/drafts/{draft_id}/questions/1"
    token = csrf_token(teacher, edit_url)
    post_form(teacher, f"/teach/drafts/{draft_id}/publish", {}, page=edit_url)

    # The browser's Back button: the draft's pages lead to the set it became, saying why.
    for url in (f"/teach/drafts/{draft_id}", edit_url, f"/teach/drafts/{draft_id}/preview"):
        back = teacher.get(url)
        assert back.status_code == 303, url
        assert back.headers["Location"].endswith("/teach/sets/council-vote")
    page = teacher.get("/teach/sets/council-vote").get_data(as_text=True)
    assert "That draft has been published: here is its set." in page

    # A save from a tab left open says it was not saved, and the published set is unchanged.
    stale = teacher.post(edit_url, data={"csrf_token": token, "prompt": "Changed later"})
    assert stale.status_code == 303
    page = teacher.get(stale.headers["Location"]).get_data(as_text=True)
    assert "already been published, so the change was not saved" in page
    assert "Changed later" not in page

    # The page script's background save gets its reason as JSON, with the set to go to.
    autosave = teacher.post(
        edit_url, data={"csrf_token": token, "autosave": "1", "prompt": "Changed later"}
    )
    assert autosave.status_code == 409
    assert autosave.json["saved"] is False
    assert "already been published, so the change was not saved" in autosave.json["message"]
    assert autosave.json["location"].endswith("/teach/sets/council-vote")
    assert "already been published" not in teacher.get("/teach/sets/council-vote").get_data(
        as_text=True
    ), "nothing flashed for a page the script never shows"

    # Another teacher still gets a plain 404, as for any draft not theirs.
    other = signed_in("otto", role="teacher")
    assert other.get(f"/teach/drafts/{draft_id}").status_code == 404


def test_a_second_press_of_publish_leads_to_the_set_without_a_warning(app, teacher):
    draft_id = start(teacher)
    new_question(teacher, draft_id, "true_false", EVERY_TYPE["true_false"])
    page = f"/teach/drafts/{draft_id}"
    token = csrf_token(teacher, page)
    first = teacher.post(f"{page}/publish", data={"csrf_token": token})
    second = teacher.post(f"{page}/publish", data={"csrf_token": token})
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"].endswith("/teach/sets/council-vote")
    shown = teacher.get("/teach/sets/council-vote").get_data(as_text=True)
    assert "“Council vote” version 1 published." in shown
    assert "not saved" not in shown
