"""The upload page for teachers who try again: a refused upload keeps its files, a renamed
spreadsheet can still become version 2, and spreadsheets upload as they are."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from helpers import factories
from helpers.forms import csrf_token, post_form
from helpers.settings import SETS

from quizapp.domain.spreadsheet_template import EXAMPLE_ARTICLE, EXAMPLE_ARTICLE_NAME
from quizapp.extensions import db
from quizapp.models import HeldUploadFile, QuestionSet, QuestionSetVersion

ARTICLE = EXAMPLE_ARTICLE.encode("utf-8")
GOOD_CSV = (
    b"type,prompt,answer,explanation,evidence_quote\n"
    b"true_false,The council has voted.,false,It votes next month.,The council will vote next month\n"
)
BROKEN_CSV = GOOD_CSV.replace(b",false,", b",perhaps,")


def upload(client, files: dict[str, object], **fields: str):
    """Post the upload form as a browser does: the files picked now, and the text boxes."""
    data: dict[str, object] = {
        "csrf_token": csrf_token(client, "/teach/upload"),
        "title": "",
        "set_id": "",
        **fields,
    }
    question = files.get("question")
    data["question_file"] = (
        (io.BytesIO(question[1]), question[0]) if question else (io.BytesIO(b""), "")
    )
    data["source_files"] = [(io.BytesIO(body), name) for name, body in files.get("sources", [])]
    return client.post("/teach/upload", data=data, content_type="multipart/form-data")


def held_names(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(HeldUploadFile.filename)))


def test_a_refused_upload_keeps_its_files_for_the_next_try(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    refused = upload(
        teacher,
        {"question": ("quiz.csv", BROKEN_CSV), "sources": [(EXAMPLE_ARTICLE_NAME, ARTICLE)]},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Still attached from your last try" in page
    assert "quiz.csv (question-set file)" in page
    assert f"{EXAMPLE_ARTICLE_NAME} (source text)" in page
    assert "leave the question-set file box empty to use" in page

    # The fixed sheet is picked again; the article is not, and is still used.
    fixed = upload(teacher, {"question": ("quiz.csv", GOOD_CSV)})
    assert fixed.status_code == 302, fixed.get_data(as_text=True)
    preview = teacher.get(fixed.headers["Location"]).get_data(as_text=True)
    assert "The council will vote next month" in preview
    assert held_names(app) == [], "a staged upload leaves nothing held"


def test_the_kept_question_file_is_used_when_no_new_one_is_picked(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    # The sheet quotes an article that was not picked: refused, and the sheet is kept.
    refused = upload(teacher, {"question": ("quiz.csv", GOOD_CSV)})
    assert refused.status_code == 422
    assert "the evidence names no source" in refused.get_data(as_text=True)
    assert held_names(app) == ["quiz.csv"]
    only_article = upload(teacher, {"sources": [(EXAMPLE_ARTICLE_NAME, ARTICLE)]})
    assert only_article.status_code == 302, only_article.get_data(as_text=True)
    assert held_names(app) == []


def test_a_page_with_nothing_picked_or_kept_asks_for_a_file(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    page = upload(teacher, {}).get_data(as_text=True)
    assert "Choose a file to upload." in page


def test_a_kept_file_can_be_removed_and_only_by_its_teacher(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    other = signed_in("mr-ode", role="teacher")
    upload(teacher, {"question": ("quiz.csv", BROKEN_CSV), "sources": [("notes.txt", b"Notes.")]})
    page = teacher.get("/teach/upload").get_data(as_text=True)
    ids = re.findall(r'action="/teach/upload/held/(\d+)/remove"', page)
    assert len(ids) == 2
    assert "Still attached" not in other.get("/teach/upload").get_data(as_text=True)
    stranger = post_form(other, f"/teach/upload/held/{ids[0]}/remove", {}, page="/teach/upload")
    assert stranger.status_code == 404
    assert teacher.post(f"/teach/upload/held/{ids[0]}/remove").status_code == 400, "CSRF"
    removed = post_form(teacher, f"/teach/upload/held/{ids[0]}/remove", {}, page="/teach/upload")
    assert removed.status_code == 302
    assert held_names(app) == ["notes.txt"]


def test_a_renamed_sheet_becomes_the_next_version_of_the_set_chosen(app, create_user):
    owner = create_user("ms-lee", role="teacher")
    factories.publish_set(app, owner, "Unit 3.csv", GOOD_CSV, {EXAMPLE_ARTICLE_NAME: ARTICLE})
    teacher = factories.sign_in(app, owner)
    form = teacher.get("/teach/upload").get_data(as_text=True)
    assert '<option value="unit-3">A new version of “Unit 3” (unit-3)</option>' in form
    changed = GOOD_CSV.replace(b"It votes next month.", b"The vote is next month.")
    staged = upload(
        teacher,
        {
            "question": ("unit 3 (final) copy.csv", changed),
            "sources": [(EXAMPLE_ARTICLE_NAME, ARTICLE)],
        },
        version_of="unit-3",
    )
    assert staged.status_code == 302, staged.get_data(as_text=True)
    preview_url = staged.headers["Location"]
    published = post_form(teacher, preview_url + "/publish", {}, page=preview_url)
    assert published.headers["Location"].endswith("/teach/sets/unit-3")
    with app.app_context():
        versions = db.session.scalars(
            sa.select(QuestionSetVersion.number)
            .join(QuestionSetVersion.question_set)
            .where(QuestionSet.slug == "unit-3")
        ).all()
    assert sorted(versions) == [1, 2]


def test_only_the_teachers_own_sets_are_offered(app, create_user, signed_in):
    owner = create_user("ms-lee", role="teacher")
    factories.publish_set(app, owner, "Unit 3.csv", GOOD_CSV, {EXAMPLE_ARTICLE_NAME: ARTICLE})
    other = signed_in("mr-ode", role="teacher")
    form = other.get("/teach/upload").get_data(as_text=True)
    assert "unit-3" not in form and 'name="version_of"' not in form
    refused = upload(other, {"question": ("x.csv", GOOD_CSV)}, version_of="unit-3")
    assert "Not a valid choice" in refused.get_data(as_text=True)
    assert held_names(app) == []


def test_a_workbook_uploads_and_its_preview_warns_of_missing_explanations(signed_in):
    from quizapp.domain.spreadsheet import to_xlsx

    teacher = signed_in("ms-lee", role="teacher")
    workbook = to_xlsx(
        ["Question", "Answer 1", "Answer 2", "Correct answer(s)"],
        [["Who is the mayor?", "Ana Ortiz", "Ben Frank", 1]],
    )
    staged = upload(teacher, {"question": ("Mayor quiz.xlsx", workbook)})
    assert staged.status_code == 302, staged.get_data(as_text=True)
    preview = teacher.get(staged.headers["Location"]).get_data(as_text=True)
    assert "Who is the mayor?" in preview
    assert "1 question has no explanation (q1)" in preview


def test_a_yaml_file_published_as_one_of_the_teachers_sets_takes_its_id(app, create_user):
    owner = create_user("ms-lee", role="teacher")
    factories.publish_set(app, owner, "Unit 3.csv", GOOD_CSV, {EXAMPLE_ARTICLE_NAME: ARTICLE})
    teacher = factories.sign_in(app, owner)
    mini = (SETS / "civics-mini.yaml").read_bytes().replace(b"id: civics-mini", b"id: other-id")
    source = (SETS / "sources" / "town-meeting.txt").read_bytes()
    staged = upload(
        teacher,
        {"question": ("mini.yaml", mini), "sources": [("town-meeting.txt", source)]},
        version_of="unit-3",
    )
    assert staged.status_code == 302, staged.get_data(as_text=True)
    preview_url = staged.headers["Location"]
    published = post_form(teacher, preview_url + "/publish", {}, page=preview_url)
    assert published.headers["Location"].endswith("/teach/sets/unit-3")


def test_a_question_without_an_explanation_shows_no_empty_why(app, create_user):
    owner = create_user("ms-lee", role="teacher")
    plain = b"type,prompt,answer\ntrue_false,The council has voted.,false\n"
    factories.publish_set(app, owner, "Plain.csv", plain)
    classroom = factories.make_class(app, owner)
    student = create_user("sam", role="student")
    factories.join_class(app, student, classroom)
    assignment = factories.make_assignment(app, classroom, set_slug="plain")
    attempt = factories.take_assignment(app, student, assignment)
    results = factories.sign_in(app, student).get(f"/attempts/{attempt.id}/results")
    page = results.get_data(as_text=True)
    assert "The council has voted." in page
    assert "Why:" not in page
    key = factories.sign_in(app, owner).get("/teach/sets/plain/versions/1/answer-key")
    assert "Why:" not in key.get_data(as_text=True)
