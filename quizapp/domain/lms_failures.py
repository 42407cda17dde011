"""Why a request to the LMS failed: stored in a fixed form, shown in the reader's language.

A grade send's failure is kept on its queue row and read later, by a teacher who may read
Spanish, so the row holds what happened (``status 503 Service Unavailable``, ``unreachable``,
``timeout``, ``error: ...``) and not a sentence; ``describe`` makes the sentence when the page
is shown. Rows written before this form hold an English sentence, which is shown as it is.
"""

from __future__ import annotations

import re

from .i18n import gettext

UNREACHABLE = "unreachable"
TIMED_OUT = "timeout"
_STATUS = re.compile(r"status (\d{3})(?: (.*))?")
_OTHER = "error: "
#: How much of an unexpected error's own text is kept (it is shown on the results page).
DETAIL_CHARS = 300


def http_status(code: int, reason: str = "") -> str:
    """The stored form of an HTTP answer that was not a success."""
    return f"status {code} {reason}".strip()


def other(detail: str) -> str:
    """The stored form of any other failure, with the start of its own text."""
    return _OTHER + detail[:DETAIL_CHARS]


def describe(stored: str) -> str:
    """The sentence a teacher reads for a stored failure."""
    if stored == UNREACHABLE:
        return gettext("The LMS could not be reached.")
    if stored == TIMED_OUT:
        return gettext("The LMS did not answer in time.")
    if status := _STATUS.fullmatch(stored):
        code, reason = status.groups()
        if reason:
            return gettext("The LMS answered %(code)s %(reason)s.", code=code, reason=reason)
        return gettext("The LMS answered %(code)s.", code=code)
    if stored.startswith(_OTHER):
        return gettext("Could not send: %(detail)s", detail=stored.removeprefix(_OTHER))
    return stored
