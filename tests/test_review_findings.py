"""Reproductions from the review of the editor, rich text and Moodle XML work."""

from __future__ import annotations

from quizapp.domain.question_editor import edited_question
from quizapp.domain.question_types import REGISTRY


def test_editor_keeps_the_fields_its_form_does_not_show():
    """An ordering question's form has no shuffle field: saving it keeps the file's setting."""
    original = {
        "id": "steps",
        "type": "ordering",
        "prompt": "Put the steps in order.",
        "items": ["Bill introduced", "Committee vote", "Floor vote"],
        "shuffle": False,
    }
    common = {"id": "steps", "prompt": "Put the steps in order.", "explanation": ""}
    values = {"items": original["items"]}
    edited = edited_question(
        original, "ordering", REGISTRY["ordering"].editor_fields, common, values
    )
    assert edited.get("shuffle") is False
    assert edited["items"] == original["items"]


def test_editing_a_set_with_images_keeps_its_images(app, signed_in):
    """A Moodle set's image survives 'Edit' -> change -> publish in the browser editor."""
    from pathlib import Path

    from helpers.factories import publish_set
    from helpers.forms import post_form

    from quizapp.extensions import db
    from quizapp.models import User

    data = Path(__file__).resolve().parent / "data" / "moodle"
    client = signed_in("ivy", role="teacher")
    with app.app_context():
        teacher = db.session.scalar(db.select(User).where(User.username == "ivy"))
        db.session.expunge(teacher)
    publish_set(app, teacher, "civics-bank.xml", (data / "civics-bank.xml").read_bytes())
    assert client.get("/teach/sets/civics-bank/versions/1/images/capitol.png").status_code == 200
    opened = post_form(client, "/teach/sets/civics-bank/edit", {}, page="/teach/sets/civics-bank")
    draft_id = int(opened.headers["Location"].rsplit("/", 1)[-1])
    post_form(
        client,
        f"/teach/drafts/{draft_id}/settings",
        {"title": "Civics bank, edited", "set_id": "civics-bank", "revision": "1"},
        page=f"/teach/drafts/{draft_id}",
    )
    preview = client.get(f"/teach/drafts/{draft_id}/preview").get_data(as_text=True)
    published = post_form(
        client, f"/teach/drafts/{draft_id}/publish", {}, page=f"/teach/drafts/{draft_id}"
    )
    assert published.status_code == 303, published.get_data(as_text=True)[:500]
    page = client.get("/teach/sets/civics-bank").get_data(as_text=True)
    assert "version 2" in page.lower() or "Version 2" in page
    assert client.get("/teach/sets/civics-bank/versions/2/images/capitol.png").status_code == 200
    assert "The Capitol" not in preview  # the editor's preview still shows no image (reported)


def test_publishing_an_unchanged_draft_of_a_set_with_images_makes_no_version(app, signed_in):
    from pathlib import Path

    from helpers.factories import publish_set
    from helpers.forms import post_form

    from quizapp.extensions import db
    from quizapp.models import User

    data = Path(__file__).resolve().parent / "data" / "moodle"
    client = signed_in("ivy", role="teacher")
    with app.app_context():
        teacher = db.session.scalar(db.select(User).where(User.username == "ivy"))
        db.session.expunge(teacher)
    publish_set(app, teacher, "civics-bank.xml", (data / "civics-bank.xml").read_bytes())
    opened = post_form(client, "/teach/sets/civics-bank/edit", {}, page="/teach/sets/civics-bank")
    draft_id = int(opened.headers["Location"].rsplit("/", 1)[-1])
    preview = client.get(f"/teach/drafts/{draft_id}/preview").get_data(as_text=True)
    assert "publishing changes nothing" in preview
    post_form(client, f"/teach/drafts/{draft_id}/publish", {}, page=f"/teach/drafts/{draft_id}")
    assert client.get("/teach/sets/civics-bank/versions/2/print").status_code == 404


def test_image_sources_of_many_unclosed_img_tags_take_linear_time():
    import time

    from quizapp.domain.rich_text import image_sources

    text = "<img alt=x " * 20_000 + '<img src="@@PLUGINFILE@@/a.png">'
    start = time.process_time()
    assert image_sources(text, "html") == ["@@PLUGINFILE@@/a.png"]
    assert time.process_time() - start < 1.0  # quadratic before the fix: tens of seconds


def test_three_thirds_of_credit_as_moodle_writes_them_are_right():
    from quizapp.domain.formats import parse_upload

    bank = (
        '<quiz><question type="multichoice"><name><text>Three</text></name>'
        '<questiontext format="html"><text>Pick three</text></questiontext>'
        "<defaultgrade>3</defaultgrade><single>false</single>"
        '<answer fraction="33.33333"><text>A</text></answer>'
        '<answer fraction="33.33333"><text>B</text></answer>'
        '<answer fraction="33.33333"><text>C</text></answer>'
        '<answer fraction="-100"><text>D</text></answer></question></quiz>'
    )
    (question,) = parse_upload("bank.xml", bank.encode()).question_set.questions
    grade = REGISTRY[question.type].grade(question, ["A", "B", "C"])
    assert (grade.earned, grade.outcome) == (3, "correct")
    assert REGISTRY[question.type].grade(question, ["A", "B"]).outcome == "partial"
