"""A question edit that arrived when it could not be saved: the teacher had been signed out,
or the page's CSRF token had expired. As for a student's answer (``student/unsaved.py``), the
fields are kept in the signed session cookie, never in the database, so an untrusted request
changes nothing; the question's page fills them in again for the draft's owner, who saves them
with a fresh token. They survive signing in only for a teacher who owns the draft.
"""

from __future__ import annotations

import json
from typing import Any

from flask import flash, jsonify, redirect, request, session, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..domain.i18n import gettext
from ..models import User
from ..services import editing
from ..student.unsaved import _sent_from_this_site

#: The session key of the kept edit.
UNSAVED_EDIT = "unsaved_edit"
#: A session cookie holds about 4 KB; a larger edit is left to the page script's copy.
MAX_KEPT_CHARS = 2500
#: The form field of the page script's saves: answer with JSON instead of a page.
AUTOSAVE = "autosave"
_NOT_KEPT = {"csrf_token", AUTOSAVE}


def is_autosave() -> bool:
    """Whether the request is a save by the page script, which reads a JSON reply."""
    return request.method == "POST" and request.form.get(AUTOSAVE) == "1"


def autosave_reply(
    status: int, message: str, *, revision: int | None = None, location: str | None = None
) -> tuple[Response, int]:
    """What the page script reads after saving in the background."""
    return jsonify(
        saved=status == 200, message=message, revision=revision, location=location
    ), status


def keep(draft_id: int, path: str, form: MultiDict[str, str]) -> bool:
    """Keep the fields sent for a question page; False when there is nothing to keep, it is
    too large for the cookie, or another site sent it."""
    if not _sent_from_this_site():
        return False
    fields = {
        name: form.getlist(name)[:60] for name in list(form.keys())[:200] if name not in _NOT_KEPT
    }
    if not fields or len(json.dumps(fields)) > MAX_KEPT_CHARS:
        return False
    session[UNSAVED_EDIT] = {"draft_id": draft_id, "path": path, "fields": fields}
    return True


def set_aside() -> Any:
    """Take the kept edit out of the session before signing in starts a fresh one."""
    return session.pop(UNSAVED_EDIT, None)


def keep_for(user: User, kept: Any) -> None:
    """Put a kept edit back into the new session if ``user`` owns its draft."""
    if not isinstance(kept, dict) or not isinstance(kept.get("draft_id"), int):
        return
    if user.is_teacher and editing.draft_for(user, kept["draft_id"]) is not None:
        session[UNSAVED_EDIT] = kept


def take(path: str) -> MultiDict[str, str] | None:
    """The kept fields of the page at ``path``, removed from the session; None if none."""
    kept: Any = session.get(UNSAVED_EDIT)
    if not isinstance(kept, dict) or kept.get("path") != path:
        return None
    session.pop(UNSAVED_EDIT)
    fields = kept.get("fields")
    if not isinstance(fields, dict):
        return None
    return MultiDict(
        [(str(name), str(value)) for name, values in fields.items() for value in values]
    )


def edit_not_saved(draft_id: int, signed_out: bool) -> Response | tuple[Response, int] | None:
    """Keep an edit that could not be saved and lead to where it can be: the sign-in page
    (then back to the question) or the question again with a fresh token. None when nothing
    was kept and the page script did not send it: the usual refusal follows."""
    kept = keep(draft_id, request.path, request.form)
    if not kept and not is_autosave():
        return None
    if signed_out:
        location = url_for("auth.login", next=request.path)
        message = (
            gettext(
                "You were signed out, so this question is not saved yet. Sign in again and what "
                "you typed is filled in for you to save."
            )
            if kept
            else gettext(
                "You were signed out, so this question was not saved. Copy what you typed, "
                "then sign in again."
            )
        )
    else:
        location = request.path
        message = (
            gettext(
                "This page had expired, so this question is not saved yet. What you typed is "
                "filled in again below: save it now."
            )
            if kept
            else gettext(
                "This page had expired, so this question was not saved. Copy what you typed, "
                "then reload the page."
            )
        )
    flash(message, "warning")
    if is_autosave():
        return autosave_reply(401 if signed_out else 400, message, location=location)
    return redirect(location, 303)
