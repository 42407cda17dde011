"""Typed SQLAlchemy models, one module per aggregate."""

from .assignments import (
    AFTER_CLOSE,
    AVERAGE,
    BEST,
    LAST,
    ON_SUBMIT,
    PRACTICE,
    TEST,
    Assignment,
    Counting,
    Mode,
    ResultsRelease,
)
from .attempts import Attempt, Response
from .classes import ClassRemoval, Classroom, Enrollment, Invitation
from .draft_review import DraftProposal, SpeakerCorrection
from .drafts import DraftSet
from .images import SetImage
from .lti import (
    LtiAccount,
    LtiCoTeacher,
    LtiCourse,
    LtiDeployment,
    LtiNonce,
    LtiPlatform,
    LtiResourceLink,
    LtiScoreSend,
    LtiToolKey,
    ScoreSendStatus,
)
from .marking import AcceptedAnswer, Regrade
from .question_sets import QuestionSet, QuestionSetVersion, SourceText, use_postgresql
from .throttle import ThrottleEvent
from .uploads import HeldUploadFile, PendingUpload
from .users import STUDENT, TEACHER, User

__all__ = [
    "AFTER_CLOSE",
    "AVERAGE",
    "BEST",
    "LAST",
    "ON_SUBMIT",
    "PRACTICE",
    "STUDENT",
    "TEACHER",
    "TEST",
    "AcceptedAnswer",
    "Assignment",
    "Attempt",
    "ClassRemoval",
    "Classroom",
    "Counting",
    "DraftProposal",
    "DraftSet",
    "Enrollment",
    "HeldUploadFile",
    "Invitation",
    "LtiAccount",
    "LtiCoTeacher",
    "LtiCourse",
    "LtiDeployment",
    "LtiNonce",
    "LtiPlatform",
    "LtiResourceLink",
    "LtiScoreSend",
    "LtiToolKey",
    "Mode",
    "PendingUpload",
    "QuestionSet",
    "QuestionSetVersion",
    "Regrade",
    "Response",
    "ResultsRelease",
    "ScoreSendStatus",
    "SetImage",
    "SourceText",
    "SpeakerCorrection",
    "ThrottleEvent",
    "User",
    "use_postgresql",
]
