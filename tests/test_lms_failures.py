"""A failed request to the LMS is stored in a fixed form and read as a sentence."""

from __future__ import annotations

import pytest

from quizapp.domain import lms_failures


@pytest.mark.parametrize(
    ("stored", "sentence"),
    [
        (
            lms_failures.http_status(503, "Service Unavailable"),
            "The LMS answered 503 Service Unavailable.",
        ),
        (lms_failures.http_status(401), "The LMS answered 401."),
        (lms_failures.UNREACHABLE, "The LMS could not be reached."),
        (lms_failures.TIMED_OUT, "The LMS did not answer in time."),
        (lms_failures.other("bad lineitem"), "Could not send: bad lineitem"),
        # A row stored before the fixed form holds its English sentence: shown as it is.
        (
            "The LMS answered 500 Internal Server Error.",
            "The LMS answered 500 Internal Server Error.",
        ),
    ],
)
def test_each_stored_failure_reads_as_a_sentence(stored, sentence):
    assert lms_failures.describe(stored) == sentence


def test_an_unexpected_errors_text_is_cut_short():
    stored = lms_failures.other("x" * 10_000)
    assert len(lms_failures.describe(stored)) < lms_failures.DETAIL_CHARS + 40
