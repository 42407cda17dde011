"""The teacher's own objects by id, or 404: the one place the teacher pages look them up."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..models import Assignment, Classroom, PendingUpload, QuestionSet, User
from ..services import access


def own_class(class_id: int) -> Classroom:
    """The signed-in teacher's class, or 404 (another teacher's class does not exist for them)."""
    classroom = access.own_class(current_user, class_id)
    if classroom is None:
        abort(404)
    return classroom


def own_assignment(assignment_id: int) -> Assignment:
    """An assignment of one of the signed-in teacher's classes, or 404."""
    assignment = access.own_assignment(current_user, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def own_set(slug: str) -> QuestionSet:
    """The signed-in teacher's own question set, or 404."""
    question_set = access.own_set(current_user, slug)
    if question_set is None:
        abort(404)
    return question_set


def own_upload(upload_id: int) -> PendingUpload:
    """A pending upload of the signed-in teacher, or 404."""
    upload = access.own_upload(current_user, upload_id)
    if upload is None:
        abort(404)
    return upload


def enrolled_student(class_id: int, student_id: int) -> tuple[Classroom, User]:
    """The signed-in teacher's class and a student enrolled in it, or 404."""
    classroom = own_class(class_id)
    student = access.enrolled_student(classroom, student_id)
    if student is None:
        abort(404)
    return classroom, student
