"""LTI 1.3: the learning platforms (LMSs) that launch Civics Quiz, and what they told us."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .assignments import Assignment
from .classes import Classroom
from .types import UtcDateTime, utcnow
from .users import User


class LtiPlatform(db.Model):  # type: ignore[name-defined,misc]
    """A registered LMS: the values its administrator gave us."""

    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    #: The ``iss`` of the platform's id_tokens (Canvas: https://canvas.instructure.com).
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(String(500))
    auth_token_url: Mapped[str] = mapped_column(String(500))
    key_set_url: Mapped[str] = mapped_column(String(500))
    #: The ``aud`` for our token requests when the platform wants another than its token URL.
    auth_audience: Mapped[str | None] = mapped_column(String(500))
    #: Space-separated origins allowed to show the app in a frame (CSP frame-ancestors).
    frame_origins: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    deployments: Mapped[list[LtiDeployment]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", order_by="LtiDeployment.id"
    )


class LtiDeployment(db.Model):  # type: ignore[name-defined,misc]
    """One installation of the tool on a platform; launches must name a registered one."""

    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id"), index=True)
    deployment_id: Mapped[str] = mapped_column(String(255))

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiToolKey(db.Model):  # type: ignore[name-defined,misc]
    """One of the app's own RSA keys; the newest unretired one signs."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_key_pem: Mapped[str] = mapped_column(Text)
    #: The public half as a JWK, as the JWKS URL serves it.
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Set at rotation; a retired key stays in the JWKS for a while, then leaves it.
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LtiNonce(db.Model):  # type: ignore[name-defined,misc]
    """A nonce handed out at OIDC login; the launch that brings it back deletes it (once)."""

    nonce: Mapped[str] = mapped_column(String(128), primary_key=True)
    state: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class LtiAccount(db.Model):  # type: ignore[name-defined,misc]
    """The platform user (issuer, sub) behind a Civics Quiz account that has no password."""

    __table_args__ = (UniqueConstraint("issuer", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    sub: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)

    user: Mapped[User] = relationship()


class LtiCourse(db.Model):  # type: ignore[name-defined,misc]
    """A course of the platform (matched by its context id) and the class it became."""

    __table_args__ = (UniqueConstraint("issuer", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255))
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), unique=True)
    #: The Names and Role Provisioning Service URL from the latest launch (None: not offered).
    memberships_url: Mapped[str | None] = mapped_column(String(1000))
    roster_refreshed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    platform: Mapped[LtiPlatform] = relationship()
    classroom: Mapped[Classroom] = relationship()


class LtiCoTeacher(db.Model):  # type: ignore[name-defined,misc]
    """Another instructor of the LMS course: they teach its class with the teacher who set it up."""

    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lti_course.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)


class LtiResourceLink(db.Model):  # type: ignore[name-defined,misc]
    """A link in the course that opens an assignment, and the gradebook column it feeds."""

    __table_args__ = (UniqueConstraint("course_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lti_course.id"), index=True)
    resource_link_id: Mapped[str] = mapped_column(String(255))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    #: The AGS line item of this link (from the launch's endpoint claim); None: no grades.
    lineitem_url: Mapped[str | None] = mapped_column(String(1000))
    #: The AGS scopes the platform granted for it.
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)

    course: Mapped[LtiCourse] = relationship()
    assignment: Mapped[Assignment] = relationship()


class ScoreSendStatus(StrEnum):
    """Where one student's score for one line item stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class LtiScoreSend(db.Model):  # type: ignore[name-defined,misc]
    """The durable queue of scores to post to line items: one row per student and line item."""

    __table_args__ = (UniqueConstraint("resource_link_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_link_id: Mapped[int] = mapped_column(ForeignKey("lti_resource_link.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: The platform's id for the student (their ``sub``).
    platform_user_id: Mapped[str] = mapped_column(String(255))
    #: The counted score as a fraction of 1 (the assignment's best, last or average rule).
    fraction: Mapped[float]
    #: Written responses of the student's still wait for the teacher: the LMS is told the grade
    #: is pending manual grading (AGS gradingProgress PendingManual) until they are scored.
    provisional: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), default=ScoreSendStatus.PENDING, index=True)
    tries: Mapped[int] = mapped_column(default=0)
    #: Not sent before this time: the backoff after a failure.
    next_try_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: A sender that took the row owns it until then; another may take it after (it crashed).
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    resource_link: Mapped[LtiResourceLink] = relationship()
    user: Mapped[User] = relationship()
