"""Registering, signing in and managing accounts."""

from __future__ import annotations

import contextlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from ..database import write_transaction
from ..domain.i18n import gettext
from ..extensions import db
from ..models import STUDENT, TEACHER, User
from ..models.users import new_session_token
from ..state import app_state
from . import throttling
from .attempts import EARLIEST_OPEN_DEADLINE

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")
MIN_PASSWORD, MAX_PASSWORD = 8, 128
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"

# A real hash to verify against when the username is unknown, so that a wrong username takes as
# long as a wrong password and timing does not reveal which accounts exist.
_DUMMY_PASSWORD = "not-a-real-password"  # noqa: S105 - hashed once to time unknown users


class AccountError(ValueError):
    """A request about an account that cannot be granted; the message says why."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewTeacher:
    """A teacher account just made, with the one-time password to hand over."""

    user: User
    one_time_password: str


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user (None when refused or wrong), why it had to wait, and
    the device cookie to give the browser after a success."""

    user: User | None
    refusal: throttling.Refusal | None = None
    device_cookie: str | None = None


#: Lower-case letters and digits that cannot be mistaken for one another on a printed card.
ONE_TIME_ALPHABET = "acdefghjkmnpqrtuvwxy34679"


def one_time_code() -> str:
    """A one-time password to hand over on paper: 12 unambiguous characters in groups of four
    (about 56 bits; the dashes are part of it)."""
    characters = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(12))
    return "-".join(characters[i : i + 4] for i in range(0, 12, 4))


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"],
        memory_cost=config["PASSWORD_HASH_MEMORY_KIB"],
        parallelism=config["PASSWORD_HASH_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher().hash(password)


def normalize_username(username: str) -> str:
    """The stored form of a username: NFKC, trimmed and lower case."""
    return unicodedata.normalize("NFKC", username).strip().lower()


@cache
def common_passwords() -> frozenset[str]:
    """The most common passwords (lower case), which are refused."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def check_password_rules(password: str, field: str = "password") -> None:
    """Raise AccountError when ``password`` is too short, too long or too common."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(
            gettext(
                "Use a password of %(min)s to %(max)s characters.",
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
            ),
            field,
        )
    if password.lower() in common_passwords():
        raise AccountError(
            gettext(
                "That password is one of the most common ones and easy to guess; choose another."
            ),
            field,
        )


def register_student(username: str, password: str, display_name: str = "") -> User:
    """Create a student account; raise AccountError when the name is taken or invalid."""
    return create_user(username, password, display_name, STUDENT)


def register_student_from(
    address: str, username: str, password: str, display_name: str = ""
) -> User:
    """Register a student from ``address`` within its registration limit; raise
    RegistrationRefused (an AccountError that carries the wait) beyond it."""
    refusal = throttling.registration_refusal(address)
    if refusal is not None:
        raise RegistrationRefused(refusal)
    user = register_student(username, password, display_name)
    throttling.record_registration(address)
    return user


class RegistrationRefused(AccountError):
    """Too many accounts were created from one address lately."""

    def __init__(self, refusal: throttling.Refusal) -> None:
        super().__init__(refusal.message, "username")
        self.refusal = refusal


def check_username_rules(username: str) -> str:
    """The stored form of ``username``; raise AccountError when it breaks the username rule."""
    name = normalize_username(username)
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccountError(
            gettext(
                "Use 3 to 32 letters, digits, dots, dashes or underscores, starting with a "
                "letter or digit."
            ),
            "username",
        )
    return name


def create_user(
    username: str, password: str, display_name: str, role: str, must_change_password: bool = False
) -> User:
    name = check_username_rules(username)
    check_password_rules(password)
    if db.session.scalar(sa.select(User.id).where(User.username == name)) is not None:
        raise AccountError(gettext("That username is taken; choose another."), "username")
    user = User(
        username=name,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
        must_change_password=must_change_password,
    )
    try:
        with write_transaction():
            db.session.add(user)
            db.session.flush()  # a clash shows here, also inside a caller's transaction
    except sa.exc.IntegrityError:
        raise AccountError(gettext("That username is taken; choose another."), "username") from None
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user with these credentials, or None. Rehashes outdated hashes on success."""
    user: User | None = db.session.scalar(
        sa.select(User).where(User.username == normalize_username(username))
    )
    hasher = _hasher()
    if user is None:
        _verify_dummy(hasher, password)
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        new_hash = hasher.hash(password)
        with write_transaction():
            user.password_hash = new_hash
    return user


def sign_in(username: str, password: str, address: str, device_cookie: str | None) -> SignIn:
    """The one sign-in sequence: wait if this device or address failed too often, check the
    password, count a failure or clear this device's failures, and renew the device cookie."""
    account = normalize_username(username)
    refusal = throttling.sign_in_refusal(account, address, device_cookie)
    if refusal is not None:
        return SignIn(None, refusal=refusal)
    user = authenticate(account, password)
    if user is None:
        throttling.record_sign_in_failure(account, address, device_cookie)
        return SignIn(None)
    cookie = throttling.record_sign_in_success(account, address, device_cookie)
    return SignIn(user, device_cookie=cookie)


def _verify_dummy(hasher: PasswordHasher, password: str) -> None:
    state = app_state()
    if state.dummy_hash is None:
        state.dummy_hash = hasher.hash(_DUMMY_PASSWORD)
    dummy = state.dummy_hash
    with contextlib.suppress(VerificationError):
        hasher.verify(dummy, password)


# Built once: one of them runs on every signed-in request.
_USER_BY_TOKEN = sa.select(User).where(User.session_token == sa.bindparam("token"))
_USER_BY_TOKEN_WITH_DEADLINE = _USER_BY_TOKEN.options(
    sa.orm.with_expression(User.open_deadline, EARLIEST_OPEN_DEADLINE),
    sa.orm.with_expression(User.deadline_loaded, sa.true()),
)


def user_for_session(token: str, with_deadline: bool = False) -> User | None:
    """The user whose current session token is ``token`` (None once it has been rotated);
    ``with_deadline`` also loads the earliest deadline of their open timed attempts."""
    if not token:
        return None
    statement = _USER_BY_TOKEN_WITH_DEADLINE if with_deadline else _USER_BY_TOKEN
    user: User | None = db.session.scalar(statement, {"token": token})
    return user


def set_language(user: User, language: str) -> None:
    """Remember the interface language the user chose, for every device they sign in on."""
    if user.language == language:
        return
    with write_transaction():
        user.language = language


def end_all_sessions(user: User) -> None:
    """Rotate the user's session token, so every cookie issued before stops working."""
    with write_transaction():
        user.session_token = new_session_token()


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; ends every other session."""
    # Checked first: said after the check, it would confirm a guessed current password.
    if new == current:
        raise AccountError(
            gettext("Choose a new password: it must differ from the current one."), "new_password"
        )
    try:
        _hasher().verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError(
            gettext("Your current password is not right."), "current_password"
        ) from None
    check_password_rules(new, "new_password")
    new_hash = hash_password(new)
    with write_transaction():
        user.password_hash = new_hash
        user.must_change_password = False
        user.session_token = new_session_token()


def change_own_password(
    user: User, current: str, new: str, address: str, device_cookie: str | None
) -> throttling.Refusal | None:
    """Change a signed-in user's password. A wrong current password counts as a failed sign-in
    (an open session must not become a way to guess it); returns the wait when refused."""
    refusal = throttling.sign_in_refusal(user.username, address, device_cookie)
    if refusal is not None:
        return refusal
    try:
        change_password(user, current, new)
    except AccountError as error:
        if error.field == "current_password":
            throttling.record_sign_in_failure(user.username, address, device_cookie)
        raise
    throttling.record_sign_in_success(user.username, address, device_cookie)
    return None


def reset_password(user: User) -> str:
    """Give ``user`` a one-time password to change at the next sign-in; their sessions end and
    their failed sign-ins are forgotten. Returns the code (only its hash is stored)."""
    code = one_time_code()
    new_hash = hash_password(code)
    with write_transaction():
        user.password_hash = new_hash
        user.must_change_password = True
        user.session_token = new_session_token()
        throttling.unlock(user.username)  # in the same transaction when counted in the database
    return code


def find_user(username: str) -> User | None:
    """The account with this username (any case), or None."""
    found: User | None = db.session.scalar(
        sa.select(User).where(User.username == normalize_username(username))
    )
    return found


def create_teacher(username: str, display_name: str = "") -> NewTeacher:
    """Create a teacher with a one-time password that must be changed at first sign-in."""
    one_time = secrets.token_urlsafe(12)
    user = create_user(username, one_time, display_name, TEACHER, must_change_password=True)
    return NewTeacher(user, one_time)
