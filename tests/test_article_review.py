"""A news story in the browser: pasted or uploaded, shown back, drafted, and every draft
reviewed (accepted, edited or discarded), with the teacher correcting who is quoted."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa
from helpers.forms import csrf_token, post_form
from pypdf import PdfWriter
from werkzeug.test import encode_multipart

from quizapp.domain import articles
from quizapp.extensions import db
from quizapp.models import DraftProposal, DraftSet, SpeakerCorrection
from quizapp.services import editing

ARTICLES = Path(__file__).parent / "data" / "articles"
GUINEA = (ARTICLES / "voa-guinea-term-limits.txt").read_text(encoding="utf-8")
NEW = "/teach/articles/new"
CITATION = {
    "title": "Guinea debates term limits",
    "publisher": "Voice of America",
    "author": "Salem Solomon",
    "published": "2019-06-14",
    "url": "https://www.voanews.com/a/guinea-term-limits",
}


@pytest.fixture
def teacher(signed_in):
    return signed_in("ms-lee", role="teacher")


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def textarea(response) -> str:
    found = re.search(
        r"<textarea[^>]*name=\"text\"[^>]*>(.*?)</textarea>", page_text(response), re.S
    )
    assert found, "no article textarea"
    return found.group(1).removeprefix("\r\n").removeprefix("\n")


def field_value(response, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', response.get_data(as_text=True))
    return unescape(found.group(1)) if found else ""


def send(client, data: dict, file: tuple[bytes, str] | None = None):
    """The intake form as a browser sends it, with a file when given."""
    body = {"csrf_token": csrf_token(client, NEW), **data}
    if file is not None:
        body["article_file"] = (io.BytesIO(file[0]), file[1])
    return client.post(NEW, data=body, content_type="multipart/form-data")


def paste_and_draft(client, text: str = GUINEA, **citation: str) -> int:
    response = send(client, {"text": text, **(citation or CITATION), "action": "draft"})
    assert response.status_code == 302, page_text(response)[-2000:]
    return int(re.search(r"/drafts/(\d+)/review", response.headers["Location"]).group(1))


def draft_set(app, draft_id: int) -> DraftSet:
    with app.app_context():
        return db.session.get(DraftSet, draft_id)


def proposals(app, draft_id: int) -> list[DraftProposal]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(DraftProposal)
                .where(DraftProposal.draft_set_id == draft_id)
                .order_by(DraftProposal.position)
            )
        )


def review_url(draft_id: int) -> str:
    return f"/teach/drafts/{draft_id}/review"


def decide(client, draft_id: int, proposal_id: int, decision: str, **extra: str):
    return post_form(
        client,
        f"/teach/drafts/{draft_id}/proposals/{proposal_id}/{decision}",
        extra,
        page=review_url(draft_id),
    )


def count_draft_sets(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(DraftSet.id)))


# --- intake ------------------------------------------------------------------------------


def test_a_pasted_story_becomes_a_draft_set_with_its_drafts_waiting(app, teacher):
    draft_id = paste_and_draft(teacher)
    stored = draft_set(app, draft_id)
    source = stored.document["sources"]["article"]
    assert source["title"] == "Guinea debates term limits"
    assert source["publisher"] == "Voice of America"
    assert source["published"] == "2019-06-14"
    assert source["text"].startswith("As Guinea’s president visits the U.S.")
    # Drafts stay drafts: none is in the set until the teacher accepts it.
    assert stored.document["questions"] == []
    waiting = proposals(app, draft_id)
    assert len(waiting) >= 5
    assert {p.status for p in waiting} == {"pending"}

    page = teacher.get(review_url(draft_id))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"{len(waiting)} drafts to review · 0 accepted" in html
    assert '<mark><span class="visually-hidden">Evidence: </span>' in html
    # A Part B's answer is its evidence: the sentence is marked in its paragraph too.
    assert "No evidence quote" not in html
    assert html.count("<mark>") == sum(
        max(
            len(q.get("evidence", [])),
            len(q.get("answer", [])) if q["type"] == "select_evidence" else 0,
        )
        for p in waiting
        for q in p.questions
    )
    assert "Who is quoted" in html and "Alpha Condé" in unescape(html)


def test_the_text_is_shown_back_as_paragraphs_that_can_be_removed(app, teacher):
    shown = send(teacher, {"text": "First part.\nstill first.\n\nSecond part.\n\nThird part."})
    assert shown.status_code == 200
    assert textarea(shown) == "First part. still first.\n\nSecond part.\n\nThird part."
    assert "The story in 3 paragraphs" in page_text(shown)

    digest = field_value(shown, "shown")
    removed = send(teacher, {"text": textarea(shown), "shown": digest, "remove": "1"})
    assert textarea(removed) == "First part. still first.\n\nThird part."
    assert count_draft_sets(app) == 0


def post_multipart(client, fields: dict[str, str]):
    """The intake form posted as the browser sends it (multipart: the form takes a file), its
    body built in memory (the test client spools a body over 500 kB to a file it never closes)."""
    boundary, body = encode_multipart(fields)
    return client.post(NEW, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_paste_of_half_a_megabyte_gets_the_length_message_and_keeps_the_text(teacher):
    # Flask's default limit on a form's text (500 kB) refused such a paste with a bare 413.
    story = ("The council met on Tuesday and voted. " * 14_000).strip()
    assert len(story.encode()) > 500_000
    token = csrf_token(teacher, NEW)
    response = post_multipart(teacher, {"csrf_token": token, "text": story, "title": "Long"})
    assert response.status_code == 422
    assert "longer than 200,000 characters" in page_text(response)
    assert textarea(response) == story


def test_a_paste_over_the_forms_limit_says_what_to_do(app, teacher):
    app.config["MAX_FORM_MEMORY_SIZE"] = 10_000  # as a paste of many megabytes meets 4 MiB
    token = csrf_token(teacher, NEW)
    response = post_multipart(teacher, {"csrf_token": token, "text": "x" * 20_000})
    assert response.status_code == 413
    page = page_text(response)
    assert "Too large to send" in page and "more than any box of this page takes" in page
    assert "at most 200,000 characters" in page and "question-set file" not in page


def test_a_remove_press_works_with_the_line_breaks_browsers_send(teacher):
    # A browser sends a textarea's line breaks as CR LF, whatever the page held.
    shown = send(teacher, {"text": "One.\n\nTwo.\n\nThree."})
    as_sent = textarea(shown).replace("\n", "\r\n")
    pressed = send(teacher, {"text": as_sent, "shown": field_value(shown, "shown"), "remove": "0"})
    assert pressed.status_code == 200, page_text(pressed)
    assert textarea(pressed) == "Two.\n\nThree."
    again = send(
        teacher,
        {
            "text": textarea(pressed).replace("\n", "\r\n"),
            "shown": field_value(pressed, "shown"),
            "remove": "0",
        },
    )
    assert textarea(again) == "Three."


def test_a_remove_press_after_the_text_was_edited_removes_nothing(teacher):
    shown = send(teacher, {"text": "One.\n\nTwo.\n\nThree."})
    edited = "Zero.\n\nOne.\n\nTwo.\n\nThree."
    pressed = send(teacher, {"text": edited, "shown": field_value(shown, "shown"), "remove": "1"})
    assert pressed.status_code == 422
    assert "changed since its paragraphs were listed" in page_text(pressed)
    assert textarea(pressed) == edited


def _word_file() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Council votes on curfew"
    document.core_properties.author = "Dana Reyes"
    for text in ["The council met on Monday.", "“We will vote no,” Mayor Ann Lee said."]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_uploaded_file_is_read_into_the_form_for_checking(app, teacher):
    read = send(teacher, {"publisher": "City News", "action": "read"}, (_word_file(), "vote.docx"))
    assert read.status_code == 200
    assert "The text of vote.docx is below" in page_text(read)
    assert textarea(read) == "The council met on Monday.\n\n“We will vote no,” Mayor Ann Lee said."
    assert field_value(read, "title") == "Council votes on curfew"
    assert field_value(read, "author") == "Dana Reyes"
    assert field_value(read, "publisher") == "City News"  # typed by the teacher: kept
    assert count_draft_sets(app) == 0  # shown back first, drafted only on request


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ((_blank_pdf(), "scan.pdf"), "looks like a scan"),
        ((b"a" * 20_001, "long.txt"), "is larger than 20 KB; save just the article"),
        ((b"MZ", "story.exe"), "not a type of file the app reads"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_loses_nothing(
    app, teacher, monkeypatch, file, message
):
    # A small limit keeps the request in memory (the test client spools big bodies to a file
    # it never closes); the limit is enforced the same way at 5 MiB (see test_drafting.py).
    monkeypatch.setattr(articles, "MAX_ARTICLE_BYTES", 20_000)
    typed = {"text": "My pasted paragraph.", **CITATION, "action": "read"}
    refused = send(teacher, typed, file)
    assert refused.status_code == 422
    text = page_text(refused)
    assert "The file was not read:" in text and message in text
    assert textarea(refused) == "My pasted paragraph."
    for name in ("title", "publisher", "author", "published", "url"):
        assert field_value(refused, name) == CITATION[name]
    assert count_draft_sets(app) == 0


@pytest.mark.parametrize("written", ["June 14, 2019", "14 June 2019", "Jun. 14, 2019"])
def test_a_date_as_the_story_prints_it_is_kept_as_a_date(app, teacher, written):
    draft_id = paste_and_draft(teacher, **{**CITATION, "published": written})
    assert draft_set(app, draft_id).document["sources"]["article"]["published"] == "2019-06-14"


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "6/14/2019"), ("en", "Friday, June 14, 2019"), ("es", "14/6/2019")],
)
def test_a_date_in_numbers_is_read_as_the_teachers_language_writes_it(
    app, teacher, language, written
):
    teacher.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    draft_id = paste_and_draft(teacher, **{**CITATION, "published": written})
    assert draft_set(app, draft_id).document["sources"]["article"]["published"] == "2019-06-14"


def test_a_date_that_is_not_one_is_refused_with_the_text_kept(teacher):
    refused = send(teacher, {"text": GUINEA, **CITATION, "published": "June 31, 2019"})
    assert refused.status_code == 422
    assert "YYYY-MM-DD" in page_text(refused) and textarea(refused)


def test_a_mistake_in_a_field_keeps_the_text_and_drafts_nothing(app, teacher):
    refused = send(teacher, {"text": GUINEA, "url": "voanews.com", "action": "draft"})
    assert refused.status_code == 422
    assert "Start the address with https://" in page_text(refused)
    assert textarea(refused).startswith("As Guinea’s president")
    assert count_draft_sets(app) == 0


def test_an_empty_paste_says_what_to_do(app, teacher):
    refused = send(teacher, {"text": "  \n ", "action": "draft"})
    assert refused.status_code == 422
    assert "The article has no text; paste the story or upload its file." in page_text(refused)
    assert count_draft_sets(app) == 0


def test_a_story_with_nothing_to_draft_still_gets_its_draft_set(app, teacher):
    draft_id = paste_and_draft(teacher, "the end.", title="Short")
    assert proposals(app, draft_id) == []
    page = page_text(teacher.get(review_url(draft_id)))
    assert "found no quotation, name, number, date or place" in page


# --- review ------------------------------------------------------------------------------


def test_accepting_puts_the_draft_in_the_set_and_discarding_leaves_it_out(app, teacher):
    draft_id = paste_and_draft(teacher)
    first, second, *_ = proposals(app, draft_id)
    accepted = decide(teacher, draft_id, first.id, "accept")
    assert accepted.status_code == 302
    assert accepted.headers["Location"].endswith(f"#proposal-{first.id}")
    decide(teacher, draft_id, second.id, "discard")

    questions = draft_set(app, draft_id).document["questions"]
    assert [q["id"] for q in questions] == [q["id"] for q in first.questions]
    statuses = {p.id: p.status for p in proposals(app, draft_id)}
    assert statuses[first.id] == "accepted" and statuses[second.id] == "discarded"

    # A second press adds nothing; an accepted draft is changed in the editor, not here.
    decide(teacher, draft_id, first.id, "accept")
    decide(teacher, draft_id, first.id, "discard")
    assert len(draft_set(app, draft_id).document["questions"]) == len(first.questions)
    assert proposals(app, draft_id)[0].status == "accepted"

    decide(teacher, draft_id, second.id, "restore")
    assert proposals(app, draft_id)[1].status == "pending"


def test_a_part_a_is_accepted_with_its_part_b(app, teacher):
    draft_id = paste_and_draft(teacher)
    pair = next(p for p in proposals(app, draft_id) if len(p.questions) == 2)
    part_a, part_b = pair.questions
    assert part_b["part_of"] == part_a["id"]
    decide(teacher, draft_id, pair.id, "accept")
    stored = draft_set(app, draft_id).document["questions"]
    assert [q.get("part_of") for q in stored] == [None, part_a["id"]]


def test_accept_and_edit_opens_the_question_in_the_editor(app, teacher):
    draft_id = paste_and_draft(teacher)
    first, second, *_ = proposals(app, draft_id)
    decide(teacher, draft_id, first.id, "accept")
    edited = decide(teacher, draft_id, second.id, "accept", then="edit")
    assert edited.status_code == 302
    index = len(first.questions)
    assert draft_set(app, draft_id).document["questions"][index]["id"] == second.questions[0]["id"]
    assert edited.headers["Location"] == f"/teach/drafts/{draft_id}/questions/{index + 1}"
    editor_page = teacher.get(edited.headers["Location"])
    assert editor_page.status_code == 200
    assert second.questions[0]["prompt"] in page_text(editor_page)


def test_another_teachers_draft_does_not_exist_for_them(app, teacher, signed_in):
    draft_id = paste_and_draft(teacher)
    proposal = proposals(app, draft_id)[0]
    other = signed_in("mr-ortiz", role="teacher")
    assert other.get(review_url(draft_id)).status_code == 404
    assert other.get(review_url(2**40)).status_code == 404
    token = csrf_token(other, NEW)
    url = f"/teach/drafts/{draft_id}/proposals/{proposal.id}/accept"
    assert other.post(url, data={"csrf_token": token}).status_code == 404
    speakers = f"/teach/drafts/{draft_id}/speakers"
    assert other.post(speakers, data={"csrf_token": token}).status_code == 404
    assert proposals(app, draft_id)[0].status == "pending"
    assert draft_set(app, draft_id).document["questions"] == []


def test_decisions_need_a_post_with_the_token(app, teacher):
    draft_id = paste_and_draft(teacher)
    proposal = proposals(app, draft_id)[0]
    url = f"/teach/drafts/{draft_id}/proposals/{proposal.id}/accept"
    assert teacher.get(url).status_code == 405
    assert teacher.post(url).status_code == 400
    token = csrf_token(teacher, review_url(draft_id))
    assert (
        teacher.post(url[: -len("accept")] + "publish", data={"csrf_token": token}).status_code
        == 404
    )
    assert proposals(app, draft_id)[0].status == "pending"


def speaker_rows(response) -> list[tuple[str, str]]:
    """(start, speaker) of each row of the "Who is quoted" form."""
    html = response.get_data(as_text=True)
    starts = re.findall(r'name="quotations-(\d+)-start"[^>]*value="(\d+)"', html)
    names = dict(re.findall(r'name="quotations-(\d+)-speaker"[^>]*value="([^"]*)"', html))
    return [(start, unescape(names.get(index, ""))) for index, start in starts]


def test_correcting_a_speaker_drafts_the_pending_who_said_what_again(app, teacher):
    draft_id = paste_and_draft(teacher)
    before = proposals(app, draft_id)
    who_said = [p for p in before if p.questions[0]["category"] == "who-said-what"]
    assert any("Alpha Condé" in str(p.questions) for p in who_said)
    decide(teacher, draft_id, who_said[0].id, "discard")

    rows = speaker_rows(teacher.get(review_url(draft_id)))
    fields = {}
    for index, (start, speaker) in enumerate(rows):
        fields[f"quotations-{index}-start"] = start
        fields[f"quotations-{index}-speaker"] = (
            "President Condé" if speaker == "Alpha Condé" else speaker
        )
    saved = post_form(
        teacher, f"/teach/drafts/{draft_id}/speakers", fields, page=review_url(draft_id)
    )
    assert saved.status_code == 302

    with app.app_context():
        corrections = db.session.scalars(sa.select(SpeakerCorrection)).all()
        assert corrections and {c.speaker for c in corrections} == {"President Condé"}
    after = proposals(app, draft_id)
    assert after[0].status == "discarded"  # decided drafts stay as they were
    pending_who_said = [
        p for p in after if p.status == "pending" and p.questions[0]["category"] == "who-said-what"
    ]
    assert pending_who_said
    assert all("Alpha Condé" not in str(p.questions) for p in pending_who_said)
    assert any("President Condé" in str(p.questions) for p in pending_who_said)
    ids = [q["id"] for p in after for q in p.questions]
    assert len(ids) == len(set(ids))

    page = teacher.get(review_url(draft_id))
    assert "You changed this; the app found Alpha Condé." in page_text(page)
    assert any(speaker == "President Condé" for _, speaker in speaker_rows(page))


def test_a_speaker_too_long_is_refused_beside_its_field(app, teacher):
    draft_id = paste_and_draft(teacher)
    start, _ = speaker_rows(teacher.get(review_url(draft_id)))[0]
    fields = {"quotations-0-start": start, "quotations-0-speaker": "x" * 101}
    refused = post_form(
        teacher, f"/teach/drafts/{draft_id}/speakers", fields, page=review_url(draft_id)
    )
    assert refused.status_code == 422
    assert "Use at most 100 characters." in page_text(refused)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(SpeakerCorrection.id))) == 0


def test_the_draft_set_gets_an_id_from_its_title_that_no_other_set_has(app, teacher):
    first = paste_and_draft(teacher, GUINEA, title="Guinea: débats sur la Constitution")
    second = paste_and_draft(teacher, GUINEA, title="Guinea: débats sur la Constitution")
    untitled = paste_and_draft(teacher, "Ok.", title="")
    assert draft_set(app, first).set_id == "guinea-debats-sur-la-constitution"
    assert draft_set(app, second).set_id == "guinea-debats-sur-la-constitution-2"
    assert draft_set(app, untitled).set_id == "story-ok"


def test_the_draft_set_page_leads_back_to_the_drafts_still_waiting(app, teacher):
    draft_id = paste_and_draft(teacher)
    waiting = proposals(app, draft_id)
    link = f'href="/teach/drafts/{draft_id}/review">Review the questions drafted from the story'
    page = teacher.get(f"/teach/drafts/{draft_id}").get_data(as_text=True)
    assert link in page and f"{len(waiting)} still wait for you" in page
    for proposal in waiting:
        decide(teacher, draft_id, proposal.id, "discard")
    assert link not in teacher.get(f"/teach/drafts/{draft_id}").get_data(as_text=True)


def test_a_draft_that_would_make_the_set_too_large_stays_waiting(app, teacher, monkeypatch):
    draft_id = paste_and_draft(teacher)
    proposal = proposals(app, draft_id)[0]
    stored = json.dumps(draft_set(app, draft_id).document, ensure_ascii=False).encode()
    # The limit of any set is 1 MiB; this set's own size stands in for it.
    monkeypatch.setattr(editing, "MAX_FILE_BYTES", len(stored) + 10)
    refused = decide(teacher, draft_id, proposal.id, "accept")
    assert refused.status_code == 302
    page = page_text(teacher.get(refused.headers["Location"]))
    assert "Not accepted: the set is larger than" in page
    assert proposals(app, draft_id)[0].status == "pending"
    assert draft_set(app, draft_id).document["questions"] == []


#: Queries of a warm review page, whatever the number of drafts and quotations: the user, the
#: draft set, the speaker corrections and the proposals.
REVIEW_PAGE_QUERIES = 4


def test_the_review_page_runs_the_same_few_queries_for_any_story(app, teacher, count_queries):
    short = paste_and_draft(teacher, "“We will vote no,” Mayor Ann Lee said on Monday.", title="S")
    long = paste_and_draft(teacher, (ARTICLES / "voa-un-lebanon-device-blasts.txt").read_text())
    assert len(proposals(app, long)) > len(proposals(app, short))
    counts = []
    for draft_id in (short, long):
        assert teacher.get(review_url(draft_id)).status_code == 200
        with count_queries() as queries:
            assert teacher.get(review_url(draft_id)).status_code == 200
        counts.append(len(queries))
    assert counts == [REVIEW_PAGE_QUERIES, REVIEW_PAGE_QUERIES], counts


def test_a_long_headline_gives_an_id_that_ends_at_a_whole_word(app, teacher):
    title = "Supreme Court rules cities may not ban leafleting near polling places on election day"
    draft_id = paste_and_draft(teacher, GUINEA, title=title)
    set_id = draft_set(app, draft_id).set_id
    assert set_id == "supreme-court-rules-cities-may-not-ban-leafleting-near"
    assert title.lower().replace(" ", "-").startswith(set_id + "-")
