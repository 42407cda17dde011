"""LTI Deep Linking: the teacher picks a set and settings in the LMS's "add tool" dialog; the
app creates the assignment and answers with a signed ltiResourceLink that has a line item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import Classroom, LtiPlatform, User
from . import assignments
from .lti_launch import ASSIGNMENT_PARAMETER
from .lti_platforms import tool_registration

#: The line item's maximum: scores go back as percentages.
SCORE_MAXIMUM = 100


@dataclass(frozen=True)
class DeepLinkReply:
    """The form that takes the signed answer back to the LMS."""

    return_url: str
    jwt: str


def link_new_assignment(
    teacher: User,
    classroom: Classroom,
    settings: assignments.AssignmentSettings,
    platform: LtiPlatform,
    deployment_id: str,
    deep_linking_settings: dict[str, Any],
    launch_url: str,
) -> tuple[assignments.CreatedAssignment, DeepLinkReply]:
    """Create the assignment (AssignmentError if the settings break a rule) and sign the
    ltiResourceLink that opens it, with a line item for its grades."""
    # PyLTI1p3 loads here, for a deep link, rather than in every worker at start-up.
    from pylti1p3.deep_link import DeepLink
    from pylti1p3.deep_link_resource import DeepLinkResource
    from pylti1p3.lineitem import LineItem

    assignment = assignments.create_assignment(teacher, classroom, settings)
    lineitem = (
        LineItem()
        .set_label(assignment.title)
        .set_score_maximum(SCORE_MAXIMUM)
        .set_resource_id(f"civics-quiz-assignment-{assignment.id}")
    )
    resource = (
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(assignment.title)
        .set_custom_params({ASSIGNMENT_PARAMETER: str(assignment.id)})
        .set_lineitem(lineitem)
    )
    deep_link = DeepLink(
        tool_registration(platform),
        deployment_id,
        deep_linking_settings,  # type: ignore[arg-type]
    )
    jwt = deep_link.get_response_jwt([resource])
    return assignment, DeepLinkReply(str(deep_linking_settings["deep_link_return_url"]), jwt)
