"""The class roster refreshed from the LMS (LTI Names and Role Provisioning Services).

Students who have never launched the tool get an account (no password) and a place in the
class, so the results page lists them as "not started".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..database import write_transaction
from ..domain import lms_failures
from ..domain.i18n import gettext
from ..extensions import db
from ..models import STUDENT, Enrollment, LtiCourse
from ..models.types import utcnow
from . import classes
from .lti_launch import display_name, lti_user, role_of
from .lti_platforms import tool_registration
from .lti_scores import failure_reason, http_session

if TYPE_CHECKING:  # loaded by a roster refresh, not at start-up (see lti_scores)
    from pylti1p3.names_roles import NamesRolesProvisioningService

#: A roster larger than this is cut (bounded work per request); no school class comes close.
MAX_MEMBERS = 2000
#: Pages of the roster read at most, whatever the platform's "next" links say.
MAX_PAGES = 20


class RosterError(Exception):
    """The roster could not be fetched; the message says why."""


@dataclass(frozen=True)
class RosterRefresh:
    """What a refresh found."""

    students: int
    added: int


def refresh_roster(course: LtiCourse) -> RosterRefresh:
    """Enrol every active learner of the LMS course in its class."""
    if not course.memberships_url:
        raise RosterError(
            gettext(
                "The LMS did not offer its roster service for this course. Turn on "
                '"Names and Role Provisioning" for the tool in the LMS, then open it once from '
                "the course."
            )
        )
    import requests
    from pylti1p3.exception import LtiException
    from pylti1p3.names_roles import NamesRolesProvisioningService
    from pylti1p3.service_connector import ServiceConnector

    connector = ServiceConnector(tool_registration(course.platform), http_session())
    service = NamesRolesProvisioningService(
        connector,
        {"context_memberships_url": course.memberships_url},
    )
    try:
        members = _members(service)
    except (requests.RequestException, LtiException) as error:
        raise RosterError(lms_failures.describe(failure_reason(error))) from None
    students = added = 0
    enrolled_before = set(
        db.session.scalars(
            sa.select(Enrollment.student_id).where(Enrollment.classroom_id == course.classroom_id)
        )
    )
    seen: set[str] = set()
    for member in members:
        if member.get("status", "Active") != "Active" or not member.get("user_id"):
            continue
        if str(member["user_id"]) in seen:
            continue
        seen.add(str(member["user_id"]))
        if role_of([str(role) for role in member.get("roles") or []]) != STUDENT:
            continue
        user = lti_user(course.issuer, str(member["user_id"]), display_name(member), STUDENT)
        if user.role != STUDENT:
            continue
        students += 1
        if user.id not in enrolled_before:
            classes.enrol(course.classroom, user)
            added += 1
    with write_transaction():
        course.roster_refreshed_at = utcnow()
    return RosterRefresh(students, added)


def _members(service: NamesRolesProvisioningService) -> list[Any]:
    """The roster's members, page by page, within MAX_PAGES and MAX_MEMBERS."""
    members: list[Any] = []
    url: str | None = None
    for _ in range(MAX_PAGES):
        page, url = service.get_members_page(url)
        members.extend(page)
        if not url or len(members) >= MAX_MEMBERS:
            break
    return members[:MAX_MEMBERS]
