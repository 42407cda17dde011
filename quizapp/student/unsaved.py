"""Saving answers without losing one: the page script's background saves and their JSON
replies, and an answer that arrived when it could not be saved (the session had ended, or the
page's CSRF token was stale). It is kept in the (signed) session cookie, never in the database, so a request
that is not trusted changes nothing; the question page fills it in again for its owner, who saves
it with a fresh token.

It survives signing in only for a user who owns the attempt, and it is shown only on that
attempt's question, which the access check opens for its owner alone.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, request, session, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..domain.i18n import gettext
from ..models import User
from ..services import access
from .forms import is_answer_field

#: The ``nav`` value of the page script's saves: answer with JSON instead of moving on.
AUTOSAVE = "autosave"
#: The session key of the kept answer.
UNSAVED_ANSWER = "unsaved_answer"
#: A session cookie holds about 4 KB: a larger answer is left to the browser's draft.
MAX_KEPT_CHARS = 2500


def keep(attempt_id: int, number: int, form: MultiDict[str, str]) -> bool:
    """Keep the answer fields sent for question ``number``; False when there is nothing to
    keep, it is too large for the session, or another site sent it (a forged form must not
    plant an answer to be filled in)."""
    if not _sent_from_this_site():
        return False
    fields = {
        name: form.getlist(name)[:10] for name in list(form.keys())[:20] if is_answer_field(name)
    }
    if not fields or len(json.dumps(fields)) > MAX_KEPT_CHARS:
        return False
    session[UNSAVED_ANSWER] = {"attempt_id": attempt_id, "number": number, "fields": fields}
    return True


def _sent_from_this_site() -> bool:
    """Whether the browser says the request came from one of this site's pages."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc == request.host


def set_aside() -> Any:
    """Take the kept answer out of the session before signing in starts a fresh one."""
    return session.pop(UNSAVED_ANSWER, None)


def keep_for(user: User, kept: Any) -> None:
    """Put a kept answer back into the new session, if ``user`` owns its attempt; anyone else
    signing in on the same browser does not get it, not even in their cookie."""
    if not isinstance(kept, dict) or not isinstance(kept.get("attempt_id"), int):
        return
    if access.own_attempt(user, kept["attempt_id"]) is not None:
        session[UNSAVED_ANSWER] = kept


def take(attempt_id: int, number: int) -> MultiDict[str, str] | None:
    """The kept answer to this question, removed from the session; None if there is none."""
    kept: Any = session.get(UNSAVED_ANSWER)
    if not isinstance(kept, dict) or (kept.get("attempt_id"), kept.get("number")) != (
        attempt_id,
        number,
    ):
        return None
    session.pop(UNSAVED_ANSWER)
    fields = kept.get("fields")
    if not isinstance(fields, dict):
        return None
    return MultiDict(
        [(str(name), str(value)) for name, values in fields.items() for value in values]
    )


def is_autosave() -> bool:
    """Whether the request is a save by the page script, which reads a JSON reply."""
    return request.method == "POST" and request.form.get("nav") == AUTOSAVE


def autosave_reply(status: int, message: str, location: str | None = None) -> tuple[Response, int]:
    """What the page script reads after saving in the background."""
    return jsonify(saved=status == 200, message=message, location=location), status


def answer_not_saved(
    attempt_id: int, number: int, signed_out: bool
) -> Response | tuple[Response, int] | None:
    """Keep the answer that could not be saved, and lead to where it can be: the sign-in page
    (then back to the question), or the question again with a fresh token. Nothing is saved
    here: the student saves it from the page, with a valid token.

    None when there was nothing to keep (or another site sent it): the usual refusal follows.
    The page script always gets a JSON reply it can show.
    """
    kept = keep(attempt_id, number, request.form)
    if not kept and not is_autosave():
        return None
    question_url = url_for("student.question", attempt_id=attempt_id, number=number)
    if signed_out:
        location = url_for("auth.login", next=question_url)
        message = (
            gettext(
                "You were signed out, so your answer is not saved yet. Sign in again and it is "
                "filled in for you to save."
            )
            if kept
            else gettext("You were signed out, so your answer was not saved. Sign in to continue.")
        )
    else:
        location = question_url
        message = (
            gettext(
                "This page had expired, so your answer is not saved yet. It is filled in again "
                "below: save it now."
            )
            if kept
            else gettext("This page had expired, so your answer was not saved. Answer again below.")
        )
    flash(message, "warning")  # the page script's link leads there too
    if is_autosave():
        return autosave_reply(401 if signed_out else 400, message, location)
    return redirect(location, 303)
