"""Typed SQLAlchemy models, one module per aggregate."""

from .attempts import Attempt, Response
from .question_sets import QuestionSet, QuestionSetVersion, SourceText
from .users import STUDENT, TEACHER, User

__all__ = [
    "STUDENT",
    "TEACHER",
    "Attempt",
    "QuestionSet",
    "QuestionSetVersion",
    "Response",
    "SourceText",
    "User",
]
