"""Registering, signing in and out."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..domain.i18n import gettext
from ..editor import unsaved as editor_unsaved
from ..i18n import LANGUAGE_KEY
from ..models import User
from ..routing import local_path
from ..security import log_event, mark_signed_in
from ..services import accounts, invitations, throttling
from ..student import unsaved
from .forms import ChangePasswordForm, EmptyForm, LoginForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/account")


def _safe_next(default: str) -> str:
    """The ``next`` page to return to, if it is a path on this site; else ``default``."""
    return local_path(request.args.get("next", ""), default)


def _start_session(user: User, remember: bool = False) -> None:
    # A fresh session at sign-in, so nothing from before (a planted session id) carries over,
    # except an answer the session's end kept from being lost, if it is this user's.
    kept = unsaved.set_aside()
    kept_edit = editor_unsaved.set_aside()
    language = session.get(LANGUAGE_KEY)  # chosen before signing in: it stays
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language
    login_user(user, remember=remember and current_app.config["REMEMBER_ME_ENABLED"])
    mark_signed_in()
    unsaved.keep_for(user, kept)
    editor_unsaved.keep_for(user, kept_edit)


def _address() -> str:
    return request.remote_addr or "-"


def _device_cookie() -> str | None:
    return request.cookies.get(throttling.DEVICE_COOKIE)


def _give_device_cookie(response: Response, value: str | None) -> Response:
    """Mark this browser as one that signed in to the account (OWASP's device cookie)."""
    if value:
        response.set_cookie(
            throttling.DEVICE_COOKIE,
            value,
            max_age=int(throttling.DEVICE_COOKIE_LIFETIME.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            path=url_for("auth.login").rsplit("/", 1)[0] or "/",
        )
    return response


def _refused(template: str, form: object, refusal: throttling.Refusal, event: str, account: str):
    """The form again with the wait explained, as 429 with a Retry-After header."""
    log_event(event, account=account)
    return (
        render_template(template, form=form),
        429,
        {"Retry-After": str(refusal.retry_after)},
    )


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response | tuple[str, int, dict[str, str]]:
    """Create a student account and sign in (then go on to a safe ``next`` page)."""
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("student.index")))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_student_from(
                _address(),
                form.username.data or "",
                form.password.data or "",
                form.display_name.data or "",
            )
        except accounts.RegistrationRefused as refused:
            form.username.errors.append(str(refused))
            return _refused(
                "auth/register.html", form, refused.refusal, "registration_throttled", ""
            )
        except accounts.AccountError as error:
            getattr(form, error.field or "username").errors.append(str(error))
        else:
            _start_session(user)
            flash(gettext("Welcome! Your account is ready."), "success")
            # The browser that made the account is one its owner uses: trust it from the start.
            cookie = throttling.trusted_device_cookie(user.username, _device_cookie())
            return _give_device_cookie(redirect(_safe_next(url_for("student.index"))), cookie)
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int, dict[str, str]]:
    """Sign in, unless this device or address failed too often just now."""
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("student.index")))
    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.normalize_username(form.username.data or "")
        outcome = accounts.sign_in(account, form.password.data or "", _address(), _device_cookie())
        if outcome.refusal is not None:
            form.password.errors.append(outcome.refusal.message)
            return _refused("auth/login.html", form, outcome.refusal, "login_throttled", account)
        if outcome.user is None:
            log_event("login_failed", account=account)
            form.password.errors.append(
                gettext("That username and password do not match an account.")
            )
        else:
            _start_session(outcome.user, remember=bool(form.remember.data))
            if outcome.user.must_change_password:
                flash(
                    gettext("Choose your own password to finish setting up your account."), "info"
                )
                target = url_for("auth.change_password", next=_safe_next("") or None)
            else:
                target = _safe_next(url_for("student.index"))
            return _give_device_cookie(redirect(target), outcome.device_cookie)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out everywhere: the session token rotates, so old cookies stop working."""
    response = redirect(url_for("student.index"))
    if EmptyForm().validate_on_submit():
        accounts.end_all_sessions(current_user._get_current_object())
        session.clear()
        # After the clear, so that Flask-Login's order to delete the remember cookie stays.
        logout_user()
        flash(gettext("You are signed out."), "info")
        # Drafts of answers kept in this browser go too: school computers are shared. (The
        # page script also clears them, for browsers that ignore this header.)
        response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response | tuple[str, int, dict[str, str]]:
    """Change the password; other sessions end. Wrong current passwords count as failed
    sign-ins, so a session left open cannot be used to guess the password."""
    form = ChangePasswordForm()
    if current_user.must_change_password:
        # The "current" password is the one-time password the teacher handed out: say so.
        form.current_password.label.text = gettext("One-time password")
        form.current_password.description = gettext("The password you just signed in with.")
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            refusal = accounts.change_own_password(
                user,
                form.current_password.data or "",
                form.new_password.data or "",
                _address(),
                _device_cookie(),
            )
        except accounts.AccountError as error:
            if error.field == "current_password":
                log_event("password_change_failed", account=user.username)
            getattr(form, error.field or "new_password").errors.append(str(error))
        else:
            if refusal is not None:
                form.current_password.errors.append(refusal.message)
                return _refused(
                    "auth/change_password.html",
                    form,
                    refusal,
                    "password_change_throttled",
                    user.username,
                )
            _start_session(user)
            flash(gettext("Your password is changed."), "success")
            return redirect(_safe_next(url_for("student.index")))
    return render_template("auth/change_password.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response:
    """Create a teacher account from another teacher's invitation link."""
    if invitations.open_invitation(token) is None:
        abort(404)
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(
                token,
                form.username.data or "",
                form.password.data or "",
                form.display_name.data or "",
            )
        except accounts.AccountError as error:
            getattr(form, error.field or "username").errors.append(str(error))
        else:
            _start_session(user)
            flash(gettext("Welcome! Your teacher account is ready."), "success")
            return redirect(url_for("teacher.dashboard"))
    return render_template("auth/invite.html", form=form)
