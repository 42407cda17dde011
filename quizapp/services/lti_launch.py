"""LTI 1.3 launches: one-use nonces, and who the launch's claims say the user is.

The id_token's signature, ``aud``, ``exp``, state and deployment are checked by PyLTI1p3 in the
blueprint (quizapp/lti/); this module takes the claims it vouched for and finds or provisions the
account, the class and the assignment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from ..database import add_once, write_transaction
from ..domain.i18n import lazy_gettext
from ..extensions import db
from ..models import (
    STUDENT,
    TEACHER,
    Assignment,
    Classroom,
    LtiAccount,
    LtiCoTeacher,
    LtiCourse,
    LtiNonce,
    LtiPlatform,
    LtiResourceLink,
    User,
)
from ..models.types import utcnow
from . import classes

#: How long the platform has to answer our OIDC login with a launch.
NONCE_LIFETIME = timedelta(minutes=10)

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
ROLES_CLAIM = CLAIM + "roles"
CONTEXT_CLAIM = CLAIM + "context"
RESOURCE_LINK_CLAIM = CLAIM + "resource_link"
CUSTOM_CLAIM = CLAIM + "custom"
MESSAGE_TYPE_CLAIM = CLAIM + "message_type"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
#: The custom parameter our deep-linked links carry: the assignment they open.
ASSIGNMENT_PARAMETER = "civics_quiz_assignment"

# The role URIs (LTI 1.3 §A.2) whose holders teach the course; a bare "Instructor" is the
# short form some platforms send.
_TEACHING_ROLES = ("#Instructor", "#Administrator", "/Instructor", "/Administrator")
_LEARNING_ROLES = ("#Learner", "#Student", "/Learner", "/Student")


class LaunchRefused(Exception):
    """A valid launch we cannot serve; the message tells the user why and what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        #: A lazy message: shown in the reader's language, logged in English.
        self.reason = reason


def issue_nonce(nonce: str, state: str) -> None:
    """Remember a nonce handed out at OIDC login (and forget the expired ones)."""
    now = utcnow()
    with write_transaction():
        db.session.execute(sa.delete(LtiNonce).where(LtiNonce.expires_at < now))
        db.session.add(LtiNonce(nonce=nonce, state=state, expires_at=now + NONCE_LIFETIME))


def consume_nonce(nonce: str, state: str) -> bool:
    """Whether the nonce was handed out with this state and not used; it cannot be used again."""
    with write_transaction():
        deleted = db.session.execute(
            sa.delete(LtiNonce).where(
                LtiNonce.nonce == nonce, LtiNonce.state == state, LtiNonce.expires_at > utcnow()
            )
        )
    return bool(getattr(deleted, "rowcount", 0) == 1)


def role_of(roles: list[str]) -> str | None:
    """TEACHER for instructors and administrators, STUDENT for learners, None otherwise."""
    if any(role.endswith(_TEACHING_ROLES) or role == "Instructor" for role in roles):
        return TEACHER
    if any(role.endswith(_LEARNING_ROLES) or role == "Learner" for role in roles):
        return STUDENT
    return None


def display_name(claims: Mapping[str, Any]) -> str:
    """The user's name from the claims: ``name``, else given and family name."""
    name = str(claims.get("name") or "").strip()
    if not name:
        parts = (claims.get("given_name"), claims.get("family_name"))
        name = " ".join(str(part).strip() for part in parts if part)
    return name[:100]


def _username(issuer: str, sub: str) -> str:
    # Stable and unique per (issuer, sub), and never one a person could register (the
    # registration pattern forbids nothing here, but the hash makes a clash impossible).
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:20]
    return f"lti-{digest}"


#: Never a valid Argon2 hash: an LTI account cannot sign in with a password.
NO_PASSWORD = "!lti"  # noqa: S105 - a marker, not a password


def lti_user(issuer: str, sub: str, name: str, role: str) -> User:
    """The account of the platform user (issuer, sub), created without a password if new."""
    found = db.session.scalar(
        sa.select(LtiAccount).where(LtiAccount.issuer == issuer, LtiAccount.sub == sub)
    )
    if found is not None:
        user: User = found.user
        if name and user.display_name != name:
            with write_transaction():
                user.display_name = name
        return user
    with write_transaction():
        user = User(
            username=_username(issuer, sub),
            display_name=name or "LMS user",
            password_hash=NO_PASSWORD,
            role=role,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(LtiAccount(issuer=issuer, sub=sub, user_id=user.id))
    return user


def platform_user_id(user: User, issuer: str) -> str | None:
    """The platform's id (sub) for one of our users, if they came from that issuer."""
    sub: str | None = db.session.scalar(
        sa.select(LtiAccount.sub).where(LtiAccount.user_id == user.id, LtiAccount.issuer == issuer)
    )
    return sub


@dataclass(frozen=True)
class LaunchOutcome:
    """Who launched, into which class, and what they should see."""

    user: User
    classroom: Classroom
    assignment: Assignment | None
    deep_linking: bool


def accept_launch(platform: LtiPlatform, claims: Mapping[str, Any]) -> LaunchOutcome:
    """Provision the user, class and link a validated launch describes; LaunchRefused if the
    launch is valid but cannot be served."""
    role = role_of(list(claims.get(ROLES_CLAIM) or []))
    if role is None:
        raise LaunchRefused(
            lazy_gettext(
                "Civics Quiz opens for teachers and students of a course. Your role in this "
                "course is neither; ask the course's teacher."
            )
        )
    deep_linking = claims.get(MESSAGE_TYPE_CLAIM) == DEEP_LINKING_REQUEST
    if deep_linking and role != TEACHER:
        raise LaunchRefused(
            lazy_gettext("Only a course's teachers can add Civics Quiz assignments to it.")
        )
    context = claims.get(CONTEXT_CLAIM) or {}
    context_id = str(context.get("id") or "")
    if not context_id:
        raise LaunchRefused(
            lazy_gettext(
                "This link was not opened from a course. Open Civics Quiz from a course page."
            )
        )
    user = lti_user(platform.issuer, str(claims["sub"]), display_name(claims), role)
    if user.role != role:
        raise LaunchRefused(
            lazy_gettext(
                "Your Civics Quiz account is a teacher's, but the course gives you another "
                "role. Ask your school's Civics Quiz administrator."
            )
            if user.is_teacher
            else lazy_gettext(
                "Your Civics Quiz account is a student's, but the course gives you another "
                "role. Ask your school's Civics Quiz administrator."
            )
        )
    course = _course(platform, context, user, claims)
    if role == STUDENT:
        classes.enrol(course.classroom, user)
    assignment = None if deep_linking else _linked_assignment(course, claims)
    return LaunchOutcome(user, course.classroom, assignment, deep_linking)


def _course(
    platform: LtiPlatform, context: Mapping[str, Any], user: User, claims: Mapping[str, Any]
) -> LtiCourse:
    """The course's class, created by its first teacher to launch."""
    context_id = str(context["id"])
    memberships_url = (claims.get(NRPS_CLAIM) or {}).get("context_memberships_url")
    course: LtiCourse | None = db.session.scalar(
        sa.select(LtiCourse).where(
            LtiCourse.issuer == platform.issuer, LtiCourse.context_id == context_id
        )
    )
    if course is None:
        if not user.is_teacher:
            raise LaunchRefused(
                lazy_gettext(
                    "Your teacher has not set up Civics Quiz in this course yet. Try again once "
                    "they have opened it from the course."
                )
            )
        title = str(context.get("title") or context.get("label") or "LMS course")[:100]
        classroom = classes.create_class(user, title, "UTC")
        with write_transaction():
            course = LtiCourse(
                platform_id=platform.id,
                issuer=platform.issuer,
                context_id=context_id,
                classroom_id=classroom.id,
                memberships_url=memberships_url,
            )
            db.session.add(course)
        return course
    if user.is_teacher and course.classroom.teacher_id != user.id:
        _add_co_teacher(course, user)
    if memberships_url and memberships_url != course.memberships_url:
        with write_transaction():
            course.memberships_url = memberships_url
    return course


def _add_co_teacher(course: LtiCourse, teacher: User) -> None:
    """Another instructor of the course teaches its class too (twice is harmless)."""
    add_once(LtiCoTeacher, course_id=course.id, user_id=teacher.id)


def _linked_assignment(course: LtiCourse, claims: Mapping[str, Any]) -> Assignment | None:
    """The assignment the resource link opens (None: a link to the course's quiz list)."""
    link_id = str((claims.get(RESOURCE_LINK_CLAIM) or {}).get("id") or "")
    if not link_id:
        return None
    link = db.session.scalar(
        sa.select(LtiResourceLink).where(
            LtiResourceLink.course_id == course.id, LtiResourceLink.resource_link_id == link_id
        )
    )
    endpoint = claims.get(AGS_CLAIM) or {}
    lineitem_url = endpoint.get("lineitem") or None
    scopes = [str(scope) for scope in endpoint.get("scope") or []]
    if link is None:
        assignment = _assignment_named(course, claims)
        if assignment is None:
            return None
        with write_transaction():
            link = LtiResourceLink(
                course_id=course.id,
                resource_link_id=link_id,
                assignment_id=assignment.id,
                lineitem_url=lineitem_url,
                scopes=scopes,
            )
            db.session.add(link)
        return assignment
    if (lineitem_url, scopes) != (link.lineitem_url, link.scopes):
        with write_transaction():
            link.lineitem_url, link.scopes = lineitem_url, scopes
    linked: Assignment = link.assignment
    return linked


def _assignment_named(course: LtiCourse, claims: Mapping[str, Any]) -> Assignment | None:
    """The assignment a deep-linked link names in its custom parameter, if it is the class's."""
    raw = str((claims.get(CUSTOM_CLAIM) or {}).get(ASSIGNMENT_PARAMETER) or "")
    if not raw:
        return None
    assignment = db.session.get(Assignment, int(raw)) if raw.isdigit() else None
    if assignment is None or assignment.classroom_id != course.classroom_id:
        raise LaunchRefused(
            lazy_gettext(
                "This link points to a Civics Quiz assignment of another course (it may have "
                "been copied). Ask the teacher to add the quiz to this course again."
            )
        )
    return assignment


def course_of_class(classroom: Classroom) -> LtiCourse | None:
    """The LMS course a class came from, if any."""
    found: LtiCourse | None = db.session.scalar(
        sa.select(LtiCourse).where(LtiCourse.classroom_id == classroom.id)
    )
    return found
