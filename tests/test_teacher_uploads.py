"""Uploading sets in the browser: preview, publish or discard, versions, download round trip."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
import yaml
from helpers.forms import csrf_token, post_form
from helpers.settings import SETS

from quizapp.domain.formats import parse_upload
from quizapp.domain.serialization import content_hash
from quizapp.extensions import db
from quizapp.models import PendingUpload, QuestionSet, QuestionSetVersion

MINI = (SETS / "civics-mini.yaml").read_bytes()
SOURCE = (SETS / "sources" / "town-meeting.txt").read_bytes()


def upload(
    client,
    filename: str,
    content: bytes,
    sources: dict[str, bytes] | None = None,
    title: str = "",
    set_id: str = "",
    **fields: str,
):
    token = csrf_token(client, "/teach/upload")
    data = {
        "csrf_token": token,
        "question_file": (io.BytesIO(content), filename),
        "title": title,
        "set_id": set_id,
        **fields,
        "source_files": [(io.BytesIO(body), name) for name, body in (sources or {}).items()],
    }
    return client.post("/teach/upload", data=data, content_type="multipart/form-data")


def renamed(content: bytes, new_id: str) -> bytes:
    return content.replace(b"id: civics-mini", f"id: {new_id}".encode())


def counts(app):
    with app.app_context():
        return (
            db.session.scalar(sa.select(sa.func.count(QuestionSet.id))),
            db.session.scalar(sa.select(sa.func.count(QuestionSetVersion.id))),
            db.session.scalar(sa.select(sa.func.count(PendingUpload.id))),
        )


def test_yaml_upload_preview_then_publish(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    response = upload(
        teacher, "my-set.yaml", renamed(MINI, "my-curfew"), {"town-meeting.txt": SOURCE}
    )
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = teacher.get(preview_url).get_data(as_text=True)
    assert "Preview: Town curfew: a practice set" in page
    assert "Correct answer" in page and "The vote is next month." in page
    assert (
        '<mark><span class="visually-hidden">Evidence: </span>The council will vote next month</mark>'
        in page
    )
    assert '<p class="hint">Also accepted: First, 1st Amendment, 1st</p>' in page
    assert counts(app)[1] == 1  # nothing published yet

    published = post_form(
        teacher, preview_url.replace("/uploads/", "/uploads/") + "/publish", {}, page=preview_url
    )
    assert published.headers["Location"].endswith("/teach/sets/my-curfew")
    assert counts(app) == (2, 2, 0)
    assert "Town curfew" in teacher.get("/teach/sets/my-curfew").get_data(as_text=True)


def test_discard_keeps_nothing(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    preview_url = upload(
        teacher, "set.yaml", renamed(MINI, "to-discard"), {"town-meeting.txt": SOURCE}
    ).headers["Location"]
    post_form(teacher, preview_url + "/discard", {}, page=preview_url)
    assert counts(app) == (1, 1, 0)
    assert teacher.get(preview_url).status_code == 404


def test_errors_are_listed_with_lines_and_nothing_is_saved(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    broken = (
        renamed(MINI, "broken-set")
        .replace(b"answer: Ana Ortiz", b"answer: Nobody")
        .replace(b"prompt: The council has already voted on the curfew.", b"")
    )
    response = upload(teacher, "broken.yaml", broken, {"town-meeting.txt": SOURCE})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 problems to fix" in page
    assert re.search(
        r"broken\.yaml, line 19, question &#39;who-home-safe&#39;: answer &#39;Nobody&#39; is not one of the choices",
        page,
    )
    assert "question &#39;vote-held&#39;: add the required key &#39;prompt&#39;" in page
    assert counts(app) == (1, 1, 0)


def test_missing_source_file_is_named(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    page = upload(teacher, "set.yaml", renamed(MINI, "no-source")).get_data(as_text=True)
    assert "source file &#39;sources/town-meeting.txt&#39; was not uploaded" in page


def test_a_shipped_set_id_cannot_be_taken(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    page = upload(teacher, "set.yaml", MINI, {"town-meeting.txt": SOURCE}).get_data(as_text=True)
    assert "is already used by a set shipped with the app" in page


GIFT = b"::capital::What is the capital of France? {=Paris ~London ~Berlin}\n"


def test_a_gift_csv_or_aiken_set_takes_the_id_typed_in_the_form(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    page = upload(teacher, "civics-mini.gift", GIFT).get_data(as_text=True)
    assert "is already used by a set shipped with the app; type another id in the Set id box" in (
        page
    )
    response = upload(teacher, "civics-mini.gift", GIFT, set_id=" geography-check ")
    assert response.status_code == 302, response.get_data(as_text=True)
    post_form(
        teacher, response.headers["Location"] + "/publish", {}, page=response.headers["Location"]
    )
    assert teacher.get("/teach/sets/geography-check").status_code == 200


def test_a_set_id_that_is_not_a_slug_is_refused_in_the_form(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    response = upload(teacher, "quiz.gift", GIFT, set_id="My Quiz!")
    assert response.status_code == 200
    assert "Use 3 to 64 lower-case letters, digits and" in response.get_data(as_text=True)


def test_a_blank_title_falls_back_to_the_file_name(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    response = upload(teacher, "Unit 3 - Congress.gift", GIFT, title="   ")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Preview: Unit 3 Congress" in teacher.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_a_set_uploaded_without_sources_downloads_and_uploads_again(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    preview = upload(teacher, "quiz.gift", GIFT, set_id="no-sources").headers["Location"]
    post_form(teacher, preview + "/publish", {}, page=preview)
    exported = teacher.get("/teach/sets/no-sources/versions/1.yaml").get_data()
    response = upload(teacher, "no-sources-v1.yaml", exported)
    assert response.status_code == 302, response.get_data(as_text=True)
    unchanged = post_form(
        teacher,
        response.headers["Location"] + "/publish",
        {},
        page=response.headers["Location"],
        follow_redirects=True,
    )
    assert "unchanged" in unchanged.get_data(as_text=True)


def test_gift_upload_warns_about_missing_evidence(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    gift = b"::capital::What is the capital of France? {=Paris ~London ~Berlin}\n\n::essay::Write about it. {}\n"
    response = upload(teacher, "quiz.gift", gift, title="Geography check")
    assert response.status_code == 302, response.get_data(as_text=True)
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Preview: Geography check" in page
    # One line for the kind of warning, not one per question.
    assert "2 questions have no evidence quote; students will see no source for them" in page
    assert "essay" in page.lower()


def test_reupload_makes_a_new_version_and_download_round_trips(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    original = renamed(MINI, "round-trip")
    preview = upload(teacher, "rt.yaml", original, {"town-meeting.txt": SOURCE}).headers["Location"]
    post_form(teacher, preview + "/publish", {}, page=preview)

    downloaded = teacher.get("/teach/sets/round-trip/versions/1.yaml")
    assert downloaded.status_code == 200
    assert "attachment" in downloaded.headers["Content-Disposition"]
    text = downloaded.get_data()
    again = parse_upload("round-trip-v1.yaml", text)
    first = parse_upload("rt.yaml", original, sources={"town-meeting.txt": SOURCE.decode()})
    assert content_hash(again.question_set) == content_hash(first.question_set)

    preview = upload(teacher, "round-trip-v1.yaml", text).headers["Location"]
    unchanged = post_form(teacher, preview + "/publish", {}, page=preview, follow_redirects=True)
    assert "unchanged" in unchanged.get_data(as_text=True)
    assert counts(app)[1] == 2

    changed = yaml.safe_load(text)
    changed["title"] = "Town curfew, revised"
    preview = upload(
        teacher, "rt.yaml", yaml.safe_dump(changed, allow_unicode=True).encode()
    ).headers["Location"]
    post_form(teacher, preview + "/publish", {}, page=preview)
    page = teacher.get("/teach/sets/round-trip").get_data(as_text=True)
    assert "Town curfew, revised" in page and "/teach/sets/round-trip/versions/2.yaml" in page


def test_file_over_the_size_limit_gets_413(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    # A small limit keeps the test body in memory (the test client spools big bodies to a
    # temporary file that it never closes); the limit is enforced the same way at any size.
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(teacher, "huge.yaml", b"#" * 20_000)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Too large to send" in page
    assert "the question-set file and its source texts together" in page


def test_help_page_serves_the_format_document(client):
    page = client.get("/help/question-format").get_data(as_text=True)
    assert "<h1>Question-set file format, version 1</h1>" in page
    assert "single_choice" in page


def test_print_views_show_the_quiz_without_answers_and_the_key_with_them(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    quiz = teacher.get("/teach/sets/civics-mini/versions/1/print").get_data(as_text=True)
    key = teacher.get("/teach/sets/civics-mini/versions/1/answer-key").get_data(as_text=True)
    assert "Name: ____" in quiz and "Which amendment protects the right to assemble?" in quiz
    # The paper copy opens with the source texts (which hold the answers, as the article does);
    # the questions after them give nothing away.
    questions = quiz[quiz.index('<ol class="print-questions">') :]
    assert "The First Amendment protects the right" in quiz[: quiz.index(questions)]
    assert "The vote is next month." not in quiz and "First Amendment" not in questions
    assert "The vote is next month." in key and "First Amendment" in key
    assert '<span class="hint">(also accepted: First, 1st Amendment, 1st)</span>' in key
    assert "also accepted" not in quiz
    assert "The First Amendment protects the right of the people peaceably to assemble" in key
    assert teacher.get("/teach/sets/civics-mini/versions/9/print").status_code == 404


def test_printed_choices_do_not_keep_the_right_answer_first(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    gift = "".join(
        f"::q{n}::Question {n}? {{=Right {n} ~Wrong {n}a ~Wrong {n}b ~Wrong {n}c}}\n\n"
        for n in range(10)
    )
    preview = upload(teacher, "quiz.gift", gift.encode(), set_id="answer-first").headers["Location"]
    post_form(teacher, preview + "/publish", {}, page=preview)
    quiz = teacher.get("/teach/sets/answer-first/versions/1/print").get_data(as_text=True)
    first_choices = re.findall(
        r'<ul class="print-choices"><li><span aria-hidden="true">☐</span> ([^<]+)<', quiz
    )
    assert len(first_choices) == 10
    assert sum(choice.startswith("Right") for choice in first_choices) < 5
    again = teacher.get("/teach/sets/answer-first/versions/1/print").get_data(as_text=True)
    assert re.findall(r'class="print-choices">(.*?)</ul>', again) == re.findall(
        r'class="print-choices">(.*?)</ul>', quiz
    ), "every copy prints the choices in the same order"


def test_the_preview_shows_the_feedback_written_for_each_answer(signed_in):
    teacher = signed_in("ms-feedback", role="teacher")
    bank = (
        "::who:: Who chairs the town meeting? {=The moderator#Right: the moderator runs it."
        " ~The mayor#No: the mayor speaks like any resident.}\n\n"
        "::vote:: The council may overrule the meeting. {FALSE#It may not.#Correct: it may not.}\n"
    )
    staged = upload(teacher, "feedback.gift", bank.encode())
    page = re.sub(r"<[^>]+>", "", teacher.get(staged.headers["Location"]).get_data(as_text=True))
    assert "Feedback for each answer" in page
    assert "The mayor: No: the mayor speaks like any resident." in page
    assert "True: It may not." in page and "False: Correct: it may not." in page
