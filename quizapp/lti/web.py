"""What an LMS iframe needs from the web layer, and nothing more for other pages.

- Frames: pages of a session opened from an LMS may be framed by that LMS's origins (CSP
  frame-ancestors); every other page keeps 'self' only.
- Cookies: over HTTPS, the session cookie of such a session is SameSite=None; Secure, so the
  browser sends it inside the LMS's frame; other sessions keep the app's SameSite setting. CSRF
  tokens work the same in both.
- After a submission, the queued grade is sent once the response has gone to the student.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_request_context, request, session
from werkzeug.wrappers import Response

from ..auth.sessions import KeptSerializerSessionInterface
from ..extensions import db
from ..services import lti_platforms, lti_scores

#: Session key of a session opened by an LTI launch: its platform and the origins that frame it.
LTI_SESSION_KEY = "lti"
#: Session key of a deep-linking request in progress.
DEEP_LINK_KEY = "lti_deep_link"


def _in_lti_session() -> bool:
    return has_request_context() and bool(session.get(LTI_SESSION_KEY)) and request.is_secure


class LtiSessionInterface(KeptSerializerSessionInterface):
    """Flask's signed-cookie sessions; an LMS-framed session's cookie crosses sites."""

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """SameSite=None for a session opened from an LMS (over HTTPS only)."""
        if _in_lti_session():
            return "None"
        return super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        """SameSite=None cookies must be Secure."""
        return True if _in_lti_session() else super().get_cookie_secure(app)


def allow_form_action(url: str) -> None:
    """Let this response's form post to ``url``'s origin (the deep-linking return)."""
    parts = urlsplit(url)
    g.lti_form_action = f"{parts.scheme}://{parts.netloc}"


def _frame_ancestors() -> str | None:
    """The origins that may frame this response, when they are more than 'self'."""
    if request.blueprint == "lti" and request.endpoint in ("lti.login", "lti.launch"):
        # A refused launch must be readable inside any registered LMS's frame.
        origins = " ".join(p.frame_origins for p in lti_platforms.platforms())
    else:
        origins = (session.get(LTI_SESSION_KEY) or {}).get("frame_origins", "")
    origins = " ".join(dict.fromkeys(origins.split()))
    return origins or None


def _frame_and_form_headers(response: Response) -> Response:
    policy = response.headers.get("Content-Security-Policy")
    if not policy:
        return response
    origins = _frame_ancestors()
    if origins:
        policy = policy.replace("frame-ancestors 'self'", f"frame-ancestors 'self' {origins}")
    form_action = g.get("lti_form_action")
    if form_action:
        policy = policy.replace("form-action 'self'", f"form-action 'self' {form_action}")
    response.headers["Content-Security-Policy"] = policy
    return response


def _send_queued_scores(response: Response) -> Response:
    """Send the grades a submission queued, after the student has their page."""
    assignment_ids = db.session.info.pop(lti_scores.QUEUED_KEY, None)
    if not assignment_ids:
        return response
    row_ids = [i for a in sorted(assignment_ids) for i in lti_scores.pending_ids_for(a)]
    if row_ids:
        app: Any = current_app._get_current_object()  # type: ignore[attr-defined]

        def send() -> None:
            with app.app_context():
                lti_scores.send_due_scores(only_ids=row_ids)

        response.call_on_close(send)
    return response


def init_app(app: Flask) -> None:
    """Install the session interface and the response hooks."""
    app.session_interface = LtiSessionInterface()
    # Registered before the security headers' hook, so it runs after it (reverse order) and
    # finds the Content-Security-Policy to widen.
    app.after_request(_frame_and_form_headers)
    app.after_request(_send_queued_scores)
