"""Registering, signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

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
from wtforms import Field

from ..models import User
from ..security import log_event, mark_signed_in
from ..services import accounts, invitations, throttling
from .forms import ChangePasswordForm, EmptyForm, LoginForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/account")


def _safe_next(default: str) -> str:
    """The ``next`` page to return to, if it is a path on this site; else ``default``."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.netloc
        and not parts.scheme
    ):
        return target
    return default


def _start_session(user: User, remember: bool = False) -> None:
    # A fresh session at sign-in, so nothing from before (a planted session id) carries over.
    session.clear()
    login_user(user, remember=remember and current_app.config["REMEMBER_ME_ENABLED"])
    mark_signed_in()


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    """Create a student account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("student.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_student(
                form.username.data or "", form.password.data or "", form.display_name.data or ""
            )
        except accounts.AccountError as error:
            getattr(form, error.field or "username").errors.append(str(error))
        else:
            _start_session(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("student.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int, dict[str, str]]:
    """Sign in, unless too many recent failures for the account or the address."""
    if current_user.is_authenticated:
        return redirect(url_for("student.index"))
    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.normalize_username(form.username.data or "")
        address = request.remote_addr or "-"
        refused = _throttled(account, address, form.password, "login_throttled")
        if refused is not None:
            return render_template("auth/login.html", form=form), 429, refused
        user = accounts.authenticate(account, form.password.data or "")
        if user is None:
            throttling.record_failure(account, address)
            log_event("login_failed", account=account)
            form.password.errors.append("That username and password do not match an account.")
        else:
            throttling.record_success(account)
            _start_session(user, remember=bool(form.remember.data))
            if user.must_change_password:
                flash("Choose your own password to finish setting up your account.", "info")
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(url_for("student.index")))
    return render_template("auth/login.html", form=form)


def _throttled(account: str, address: str, field: Field, event: str) -> dict[str, str] | None:
    """After too many failures: log, explain on ``field``, and give the Retry-After header."""
    refusal = throttling.refusal(account, address)
    if refusal is None:
        return None
    log_event(event, account=account)
    field.errors.append(refusal)
    return {"Retry-After": str(throttling.limits().window.seconds)}


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out everywhere: the session token rotates, so old cookies stop working."""
    if EmptyForm().validate_on_submit():
        accounts.end_all_sessions(current_user._get_current_object())
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("student.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response | tuple[str, int, dict[str, str]]:
    """Change the password; other sessions end. Wrong current passwords count as failed
    sign-ins, so a session left open cannot be used to guess the password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        address = request.remote_addr or "-"
        refused = _throttled(
            user.username, address, form.current_password, "password_change_throttled"
        )
        if refused is not None:
            return render_template("auth/change_password.html", form=form), 429, refused
        try:
            accounts.change_password(
                user, form.current_password.data or "", form.new_password.data or ""
            )
        except accounts.AccountError as error:
            if error.field == "current_password":
                throttling.record_failure(user.username, address)
                log_event("password_change_failed", account=user.username)
            getattr(form, error.field or "new_password").errors.append(str(error))
        else:
            throttling.record_success(user.username)
            _start_session(user)
            flash("Your password is changed.", "success")
            return redirect(url_for("student.index"))
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
            flash("Welcome! Your teacher account is ready.", "success")
            return redirect(url_for("teacher.dashboard"))
    return render_template("auth/invite.html", form=form)
