"""The upload page offers a refused bank's valid questions; the preview lists the skipped ones."""

from __future__ import annotations

from helpers.forms import post_form
from test_skip_invalid import BANK
from test_teacher_uploads import counts, upload


def test_a_refused_bank_is_refused_until_the_teacher_chooses_to_skip(app, signed_in):
    teacher = signed_in("ms-bank", role="teacher")
    refused = upload(teacher, "bank.gift", BANK.encode(), title="Congress bank")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "The file was not imported: 2 problems to fix" in page
    assert "import the 3 valid questions and skip the 2 with errors" in page
    assert counts(app) == (1, 1, 0)  # nothing of the bank is kept

    chosen = upload(teacher, "bank.gift", BANK.encode(), title="Congress bank", skip_invalid="y")
    assert chosen.status_code == 302, chosen.get_data(as_text=True)
    preview_url = chosen.headers["Location"]
    preview = teacher.get(preview_url).get_data(as_text=True)
    assert "Skipped: 2 questions with errors" in preview
    assert "bank.gift, line 3, question &#39;unclosed&#39;:" in preview
    assert "bank.gift, line 7, question &#39;repeated&#39;:" in preview
    assert "Import the 3 valid questions and skip the 2 with errors</button>" in preview
    assert "3 questions have no evidence quote; students will see no source for them" in preview
    assert counts(app) == (1, 1, 1)  # staged for the preview, not published

    published = post_form(teacher, preview_url + "/publish", {}, page=preview_url)
    assert published.status_code == 302
    assert counts(app) == (2, 2, 0)


def test_a_refused_file_with_no_valid_question_offers_nothing(signed_in):
    teacher = signed_in("ms-none", role="teacher")
    page = upload(teacher, "none.gift", b"Who? {=a ~a}\n").get_data(as_text=True)
    assert "The file was not imported: 1 problem to fix" in page
    assert "valid question" not in page


def test_warnings_of_a_refused_file_are_noted_not_counted(signed_in):
    teacher = signed_in("ms-note", role="teacher")
    page = upload(teacher, "intro.gift", b"Read the report first.\n").get_data(as_text=True)
    assert "The file was not imported: 1 problem to fix" in page
    assert "Also noted" in page and "this description is followed by no question" in page
