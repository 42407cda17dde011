"""Images embedded in a Moodle XML upload travel with the set: staged with the upload, kept with
the published version, served only to those who may see it, and exported back into Moodle XML."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import sqlalchemy as sa
from helpers.factories import (
    join_class,
    make_assignment,
    make_class,
    make_user,
    publish_set,
    sign_in,
    stage_set,
    start_assignment,
    take_assignment,
)

from quizapp.domain.formats import parse_upload
from quizapp.extensions import db
from quizapp.models import QuestionSet, SetImage
from quizapp.services import management
from quizapp.state import BoundedCache

BANK = (Path(__file__).resolve().parent / "data" / "moodle" / "civics-bank.xml").read_bytes()
PNG = (Path(__file__).resolve().parent / "data" / "moodle" / "capitol.png").read_bytes()


def image_rows(app) -> list[tuple[int | None, int | None, str]]:
    with app.app_context():
        return [
            (row.version_id, row.upload_id, row.name)
            for row in db.session.scalars(sa.select(SetImage).order_by(SetImage.id))
        ]


def test_a_staged_upload_keeps_its_images_and_publishing_moves_them_to_the_version(app):
    teacher = make_user(app, "ms-rivera", role="teacher")
    staged = stage_set(app, teacher, "civics-bank.xml", BANK)
    assert image_rows(app) == [(None, staged.id, "capitol.png")]
    client = sign_in(app, teacher)
    response = client.get(f"/teach/uploads/{staged.id}/images/capitol.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data == PNG
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    version_id = publish_set(app, teacher, "civics-bank.xml", BANK)
    # The first upload is still staged; the second was published and its copy moved on.
    assert sorted(image_rows(app), key=str) == sorted(
        [(None, staged.id, "capitol.png"), (version_id, None, "capitol.png")], key=str
    )
    response = client.get("/teach/sets/civics-bank/versions/1/images/capitol.png")
    assert (response.status_code, response.data) == (200, PNG)


def test_only_those_who_may_see_the_set_get_its_images(app):
    teacher = make_user(app, "ms-rivera", role="teacher")
    other_teacher = make_user(app, "mr-okafor", role="teacher")
    staged = stage_set(app, teacher, "civics-bank.xml", BANK)
    publish_set(app, teacher, "civics-bank.xml", BANK)
    classroom = make_class(app, teacher)
    student, outsider = make_user(app, "ana"), make_user(app, "ben")
    join_class(app, student, classroom)
    assignment = make_assignment(app, classroom, set_slug="civics-bank")
    attempt = start_assignment(app, student, assignment)

    url = f"/attempts/{attempt.id}/images/capitol.png"
    assert sign_in(app, student).get(url).data == PNG
    assert sign_in(app, student).get(f"/attempts/{attempt.id}/images/other.png").status_code == 404
    assert sign_in(app, outsider).get(url).status_code == 404
    assert app.test_client().get(url).status_code in {302, 401}
    intruder = sign_in(app, other_teacher)
    assert intruder.get("/teach/sets/civics-bank/versions/1/images/capitol.png").status_code == 404
    assert intruder.get(f"/teach/uploads/{staged.id}/images/capitol.png").status_code == 404
    assert (
        sign_in(app, student).get(f"/teach/uploads/{staged.id}/images/capitol.png").status_code
        == 403
    )


def test_a_changed_image_is_a_new_version_and_an_unchanged_file_is_not(app):
    teacher = make_user(app, "ms-rivera", role="teacher")
    first = publish_set(app, teacher, "civics-bank.xml", BANK)
    assert publish_set(app, teacher, "civics-bank.xml", BANK) == first
    other = base64.b64encode(PNG[:-12] + b"\x00\x00\x00\x00IEND\xaeB`\x83").decode()
    changed = BANK.replace(base64.b64encode(PNG), other.encode())
    assert changed != BANK
    assert publish_set(app, teacher, "civics-bank.xml", changed) != first
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SetImage)) == 2


def test_deleting_a_set_deletes_its_images(app):
    teacher = make_user(app, "ms-rivera", role="teacher")
    publish_set(app, teacher, "civics-bank.xml", BANK)
    with app.app_context():
        question_set = db.session.scalar(
            sa.select(QuestionSet).where(QuestionSet.slug == "civics-bank")
        )
        management.delete_set(question_set)
    assert image_rows(app) == []


def test_a_published_set_downloads_as_moodle_xml_with_its_image_and_reads_back(app):
    teacher = make_user(app, "ms-rivera", role="teacher")
    publish_set(app, teacher, "civics-bank.xml", BANK)
    response = sign_in(app, teacher).get("/teach/sets/civics-bank/versions/1.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert 'filename="civics-bank-v1-moodle.xml"' in response.headers["Content-Disposition"]
    again = parse_upload("civics-bank.xml", response.data)
    original = parse_upload("civics-bank.xml", BANK)
    assert again.question_set.questions == original.question_set.questions
    assert again.images == original.images


def test_a_published_set_downloads_as_gift(app):
    teacher = make_user(app, "ms-rivera", role="teacher")
    publish_set(app, teacher, "civics-bank.xml", BANK)
    client = sign_in(app, teacher)
    response = client.get("/teach/sets/civics-bank/versions/1.gift")
    assert response.status_code == 200
    assert "::speech::" in response.get_data(as_text=True)
    page = client.get("/teach/sets/civics-bank").get_data(as_text=True)
    assert "/teach/sets/civics-bank/versions/1.xml" in page
    assert "/teach/sets/civics-bank/versions/1.gift" in page
    other = sign_in(app, make_user(app, "mr-okafor", role="teacher"))
    assert other.get("/teach/sets/civics-bank/versions/1.xml").status_code == 404
    assert other.get("/teach/sets/civics-bank/versions/1.gift").status_code == 404


def test_the_image_shows_on_the_preview_the_set_page_and_the_students_question(app):
    from helpers.forms import csrf_token, post_form

    teacher = make_user(app, "ms-rivera", role="teacher")
    client = sign_in(app, teacher)
    token = csrf_token(client, "/teach/upload")
    response = client.post(
        "/teach/upload",
        data={"csrf_token": token, "question_file": (io.BytesIO(BANK), "civics-bank.xml")},
        content_type="multipart/form-data",
    )
    preview_url = response.headers["Location"]
    upload_id = int(preview_url.rstrip("/").split("/")[-1])
    page = client.get(preview_url).get_data(as_text=True)
    assert f'<img src="/teach/uploads/{upload_id}/images/capitol.png" alt="The Capitol">' in page
    assert "@@PLUGINFILE@@" not in page
    assert "From civics-bank.xml (MOODLE XML)" in page
    assert "embedded answers (Cloze) questions are not supported; question skipped" in page
    post_form(client, preview_url + "/publish", {}, page=preview_url)
    page = client.get("/teach/sets/civics-bank").get_data(as_text=True)
    assert '<img src="/teach/sets/civics-bank/versions/1/images/capitol.png"' in page
    page = client.get("/teach/sets/civics-bank/versions/1/print").get_data(as_text=True)
    assert '<img src="/teach/sets/civics-bank/versions/1/images/capitol.png"' in page

    classroom = make_class(app, teacher)
    student = make_user(app, "ana")
    join_class(app, student, classroom)
    attempt = start_assignment(
        app, student, make_assignment(app, classroom, set_slug="civics-bank")
    )
    pupil = sign_in(app, student)
    shown = ""
    for number in range(1, 9):
        shown += pupil.get(f"/attempts/{attempt.id}/questions/{number}").get_data(as_text=True)
    assert f'<img src="/attempts/{attempt.id}/images/capitol.png" alt="The Capitol">' in shown
    assert 'style="' not in shown.split("<main", 1)[-1]


def test_import_questions_keeps_the_images_of_a_moodle_xml_file(app, tmp_path):
    path = tmp_path / "civics-bank.xml"
    path.write_bytes(BANK)
    result = app.test_cli_runner().invoke(args=["import-questions", str(path)])
    assert result.exit_code == 0, result.output
    assert "civics-bank: version 1 (new version)" in result.output
    assert [name for version, upload, name in image_rows(app) if version] == ["capitol.png"]


FEEDBACK_IMAGE_BANK = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Where Congress meets</text></name>
    <questiontext format="html"><text><![CDATA[<p>Congress meets in the Capitol.</p>]]></text></questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Yes: <img src="@@PLUGINFILE@@/answer-map.png" alt="The Capitol on a map"></p>]]></text>
      <file name="answer-map.png" path="/" encoding="base64">%s</file>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <answer fraction="100" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text></answer>
  </question>
</quiz>
""" % base64.b64encode(PNG)


def test_an_image_that_explains_the_answer_is_served_only_once_results_are_visible(app):
    """An image in the explanation (Moodle's general feedback) gives the answer away: the
    student's attempt gets it only when the graded answers are theirs to see."""
    pupil, attempt, student, assignment = _started_attempt(
        app, "feedback-image", FEEDBACK_IMAGE_BANK
    )
    url = f"/attempts/{attempt.id}/images/answer-map.png"
    assert pupil.get(url).status_code == 404
    take_assignment(app, student, assignment)
    assert pupil.get(url).data == PNG


def _started_attempt(app, slug: str, bank: bytes):
    """A student's signed-in client, their started attempt at an assignment of ``bank``, the
    student and the assignment."""
    teacher = make_user(app, "ms-rivera", role="teacher")
    publish_set(app, teacher, f"{slug}.xml", bank)
    classroom = make_class(app, teacher)
    student = make_user(app, "ana")
    join_class(app, student, classroom)
    assignment = make_assignment(app, classroom, set_slug=slug)
    attempt = start_assignment(app, student, assignment)
    return sign_in(app, student), attempt, student, assignment


def _co_teach(app, classroom_id: int, teacher_id: int) -> None:
    """Make ``teacher_id`` an instructor of the class's LMS course, as a launch would."""
    from quizapp.models import LtiCoTeacher, LtiCourse, LtiPlatform

    with app.app_context():
        platform = LtiPlatform(
            name="LMS",
            issuer="https://lms.example",
            client_id="civics",
            auth_login_url="https://lms.example/auth",
            auth_token_url="https://lms.example/token",
            key_set_url="https://lms.example/jwks",
        )
        course = LtiCourse(
            platform=platform, issuer=platform.issuer, context_id="c1", classroom_id=classroom_id
        )
        db.session.add(course)
        db.session.flush()
        db.session.add(LtiCoTeacher(course_id=course.id, user_id=teacher_id))
        db.session.commit()


def test_an_assignments_images_show_to_its_co_teacher_and_never_another_teachers_set(app):
    """The assignment's pages show its own set's images, by the assignment: a co-teacher may
    not read the owner's set, and their own set of the same slug has other images."""
    owner = make_user(app, "ms-rivera", role="teacher")
    co_teacher = make_user(app, "mr-okafor", role="teacher")
    outsider = make_user(app, "ms-lee", role="teacher")
    publish_set(app, owner, "civics-bank.xml", BANK)
    publish_set(app, co_teacher, "civics-bank.xml", BANK.replace(b"The Capitol", b"Not it"))
    classroom = make_class(app, owner)
    assignment = make_assignment(app, classroom, set_slug="civics-bank")
    _co_teach(app, classroom.id, co_teacher.id)
    url = f"/teach/assignments/{assignment.id}/images/capitol.png"
    page = sign_in(app, co_teacher).get(f"/teach/assignments/{assignment.id}/analysis")
    assert f'<img src="{url}" alt="The Capitol">' in page.get_data(as_text=True)
    assert sign_in(app, co_teacher).get(url).data == PNG
    assert sign_in(app, owner).get(url).data == PNG
    assert sign_in(app, outsider).get(url).status_code == 404


SHOWN_AND_FEEDBACK_BANK = FEEDBACK_IMAGE_BANK.replace(
    b"<p>Congress meets in the Capitol.</p>]]></text>",
    b'<p>Congress meets here: <img src="@@PLUGINFILE@@/capitol.png" alt="The Capitol"></p>]]>'
    b'</text>\n    <file name="capitol.png" path="/" encoding="base64">%s</file>'
    % base64.b64encode(PNG),
)


def test_the_images_shown_before_grading_are_found_once_per_version(app, monkeypatch):
    """Finding them renders every question: a page's images ask once, not once an image; an
    image of the explanation stays hidden until grading all the same."""
    from quizapp.domain import rich_text
    from quizapp.services import images

    finds = []

    def counted(questions):
        finds.append(1)
        return rich_text.images_shown_before_grading(questions)

    monkeypatch.setattr(images, "images_shown_before_grading", counted)
    monkeypatch.setattr(images, "_shown_before_grading", BoundedCache(), raising=False)
    pupil, attempt, _student, _assignment = _started_attempt(
        app, "shown-and-feedback", SHOWN_AND_FEEDBACK_BANK
    )
    for _ in range(2):
        assert pupil.get(f"/attempts/{attempt.id}/images/capitol.png").data == PNG
        assert pupil.get(f"/attempts/{attempt.id}/images/answer-map.png").status_code == 404
    assert len(finds) == 1
