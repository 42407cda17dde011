"""Sign-in sessions: Flask-Login keyed by a rotating per-user token, and role checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..domain.i18n import lazy_gettext
from ..extensions import login_manager
from ..models import User
from ..services.accounts import user_for_session


def init_app(app: Flask) -> None:
    """Attach Flask-Login; the session holds the user's token, checked on every request."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to continue.")
    # Flashed messages are stored in the session: the text in the reader's language, not the
    # lazy message.
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    # Flask-Login's remember cookie holds the rotating session token, so signing out or
    # changing the password revokes it with the sessions (security._end_expired_session
    # starts a new session from it).
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=app.config["REMEMBER_ME_DAYS"])
    app.before_request(require_own_password)


def _load_user(token: str) -> User | None:
    """The signed-in user; on student pages with the deadline of their open timed attempts,
    which those pages check (teachers' pages need not pay for the subquery)."""
    return user_for_session(token, with_deadline=request.blueprint == "student")


#: Pages a user with a one-time password may still open.
_ALLOWED_BEFORE_PASSWORD_CHANGE = {"auth.change_password", "auth.logout", "static"}


def require_own_password() -> Response | None:
    """Anyone signed in with a one-time password must choose their own first."""
    if request.endpoint in _ALLOWED_BEFORE_PASSWORD_CHANGE:
        return None  # static files among them: no user query for a stylesheet
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


def teacher_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only signed-in teachers through; students get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_teacher:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
