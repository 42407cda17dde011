"""The teacher's housekeeping pages: rename, archive and delete classes, assignments and sets,
and confirm before a student is removed.

A blueprint inside the teacher blueprint (endpoints ``teacher.manage.*``), so its check that
only teachers come here covers these pages too. Every id is looked up through ``access``: another
teacher's class, assignment or set, like a missing one, is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ..auth.forms import EmptyForm
from ..domain.i18n import gettext
from ..models import Assignment, Classroom, QuestionSet
from ..services import management
from . import owned
from .forms import ClassSettingsForm, ConfirmDeleteForm, SetNameForm

bp = Blueprint("manage", __name__)

Owned = TypeVar("Owned", Classroom, Assignment, QuestionSet)


def _set_name(question_set: QuestionSet) -> str:
    if question_set.name:
        return question_set.name
    return question_set.versions[-1].title if question_set.versions else question_set.slug


def _confirm_delete(
    form: ConfirmDeleteForm, kind: str, name: str, contents: management.Contents, **page: str
) -> tuple[str, int]:
    """The page that says what a delete takes with it and asks for the tick."""
    status = 422 if form.errors else 200
    html = render_template(
        "teacher/confirm_delete.html", form=form, kind=kind, name=name, contents=contents, **page
    )
    return html, status


@dataclass(frozen=True)
class Housekeeping(Generic[Owned]):
    """How archiving, restoring and deleting one kind of object goes: what the shared views
    below call, read and say for a class, an assignment or a set."""

    kind: str  # the confirmation page's wording: "class", "assignment" or "set"
    name: Callable[[Owned], str]
    page: Callable[[Owned], str]  # the object's own page, where archive and restore return
    after_delete: Callable[[Owned], str]  # read before the delete, while the object is there
    set_archived: Callable[[Owned, bool], None]
    contents: Callable[[Owned], management.Contents]
    delete: Callable[[Owned], None]
    # The messages, each given the object's name (a function: gettext runs per request).
    archived: Callable[[str], str]
    restored: Callable[[str], str]
    deleted: Callable[[str], str]
    kept: Callable[[], str]


def _archive(how: Housekeeping[Owned], target: Owned, *, archived: bool) -> Response:
    """Archive or restore once the (CSRF-checked) button is sent, then back to the page."""
    if EmptyForm().validate_on_submit():
        how.set_archived(target, archived)
        say = how.archived if archived else how.restored
        flash(say(how.name(target)), "success")
    return redirect(how.page(target))


def _delete(how: Housekeeping[Owned], target: Owned) -> tuple[str, int] | Response:
    """Say what a delete takes with it; delete once the teacher ticks the box."""
    form = ConfirmDeleteForm()
    name = how.name(target)
    if form.validate_on_submit():
        after = how.after_delete(target)
        how.delete(target)
        flash(how.deleted(name), "info")
        return redirect(after)
    return _confirm_delete(
        form, how.kind, name, how.contents(target), kept=how.kept(), back=how.page(target)
    )


CLASSES: Housekeeping[Classroom] = Housekeeping(
    kind="class",
    name=lambda classroom: classroom.name,
    page=lambda classroom: url_for("teacher.class_page", class_id=classroom.id),
    after_delete=lambda _classroom: url_for("teacher.dashboard"),
    set_archived=management.archive_class,
    contents=management.class_contents,
    delete=management.delete_class,
    archived=lambda name: gettext(
        "%(name)s is archived: students no longer see it, and its results are "
        "kept. It is listed under “Archived classes” on the Teaching page.",
        name=name,
    ),
    restored=lambda name: gettext("%(name)s is back among your classes.", name=name),
    deleted=lambda name: gettext("%(name)s was deleted.", name=name),
    kept=lambda: gettext("The students' accounts stay, with their other classes and results."),
)

ASSIGNMENTS: Housekeeping[Assignment] = Housekeeping(
    kind="assignment",
    name=lambda assignment: assignment.title,
    page=lambda assignment: url_for("teacher.assignment_page", assignment_id=assignment.id),
    after_delete=lambda assignment: url_for("teacher.class_page", class_id=assignment.classroom_id),
    set_archived=management.archive_assignment,
    contents=management.assignment_contents,
    delete=management.delete_assignment,
    archived=lambda title: gettext(
        "“%(title)s” is archived: students no longer see it, and its results are "
        "kept. It is listed under “Archived assignments” on the class page.",
        title=title,
    ),
    restored=lambda title: gettext("“%(title)s” is back on the students' quiz list.", title=title),
    deleted=lambda title: gettext("“%(title)s” was deleted.", title=title),
    kept=lambda: gettext("The class, its students and the question set stay."),
)

SETS: Housekeeping[QuestionSet] = Housekeeping(
    kind="set",
    name=_set_name,
    page=lambda question_set: url_for("teacher.set_page", slug=question_set.slug),
    after_delete=lambda _question_set: url_for("teacher.dashboard"),
    set_archived=management.archive_set,
    contents=management.set_contents,
    delete=management.delete_set,
    archived=lambda name: gettext(
        "“%(name)s” is archived: it is no longer offered for new "
        "assignments; the assignments that use it go on.",
        name=name,
    ),
    restored=lambda name: gettext("“%(name)s” is offered for new assignments again.", name=name),
    deleted=lambda name: gettext("“%(name)s” was deleted.", name=name),
    kept=lambda: gettext(
        "Your classes and their other assignments stay. Download the set as YAML first "
        "to keep a copy."
    ),
)


# A student leaves a class.


# A URL of its own, not a GET beside the POST that removes: a rule per method would answer 405
# instead of 404 to an id too large for the database.
@bp.get("/classes/<int:class_id>/students/<int:student_id>/confirm-removal")
def confirm_remove_student(class_id: int, student_id: int) -> str:
    """Ask before a student is removed from a class (the button sends teacher.remove_student)."""
    classroom, student = owned.enrolled_student(class_id, student_id)
    return render_template(
        "teacher/confirm_remove.html", classroom=classroom, student=student, form=EmptyForm()
    )


# Classes.


@bp.route("/classes/<int:class_id>/settings", methods=["GET", "POST"])
def class_settings(class_id: int) -> str | Response:
    """Rename a class or change its time zone; archive or delete it."""
    classroom = owned.own_class(class_id)
    form = ClassSettingsForm(obj=classroom)
    if form.validate_on_submit():
        management.change_class(classroom, form.name.data or "", form.time_zone.data)
        flash(gettext("Class settings saved."), "success")
        return redirect(url_for("teacher.class_page", class_id=classroom.id))
    return render_template(
        "teacher/class_settings.html", classroom=classroom, form=form, button=EmptyForm()
    )


@bp.post("/classes/<int:class_id>/archive")
def archive_class(class_id: int) -> Response:
    """Archive a class: its students no longer see it; every result stays."""
    return _archive(CLASSES, owned.own_class(class_id), archived=True)


@bp.post("/classes/<int:class_id>/restore")
def restore_class(class_id: int) -> Response:
    """Bring an archived class back."""
    return _archive(CLASSES, owned.own_class(class_id), archived=False)


@bp.route("/classes/<int:class_id>/delete", methods=["GET", "POST"])
def delete_class(class_id: int) -> tuple[str, int] | Response:
    """Say what deleting a class takes with it; delete it once the teacher ticks the box."""
    return _delete(CLASSES, owned.own_class(class_id))


# Assignments.


@bp.post("/assignments/<int:assignment_id>/archive")
def archive_assignment(assignment_id: int) -> Response:
    """Archive an assignment: students no longer see or start it; every result stays."""
    return _archive(ASSIGNMENTS, owned.own_assignment(assignment_id), archived=True)


@bp.post("/assignments/<int:assignment_id>/restore")
def restore_assignment(assignment_id: int) -> Response:
    """Bring an archived assignment back."""
    return _archive(ASSIGNMENTS, owned.own_assignment(assignment_id), archived=False)


@bp.route("/assignments/<int:assignment_id>/delete", methods=["GET", "POST"])
def delete_assignment(assignment_id: int) -> tuple[str, int] | Response:
    """Say what deleting an assignment takes with it; delete it once the box is ticked."""
    return _delete(ASSIGNMENTS, owned.own_assignment(assignment_id))


# The teacher's own sets.


@bp.route("/sets/<slug>/settings", methods=["GET", "POST"])
def set_settings(slug: str) -> str | Response:
    """Rename one of the teacher's sets; archive or delete it."""
    question_set = owned.own_set(slug)
    form = SetNameForm(obj=question_set)
    if form.validate_on_submit():
        management.rename_set(question_set, form.name.data or "")
        flash(gettext("The set's name was saved."), "success")
        return redirect(url_for("teacher.set_page", slug=slug))
    return render_template(
        "teacher/set_settings.html",
        question_set=question_set,
        name=_set_name(question_set),
        form=form,
        button=EmptyForm(),
    )


@bp.post("/sets/<slug>/archive")
def archive_set(slug: str) -> Response:
    """Archive a set: it is no longer offered for new assignments; its assignments go on."""
    return _archive(SETS, owned.own_set(slug), archived=True)


@bp.post("/sets/<slug>/restore")
def restore_set(slug: str) -> Response:
    """Offer an archived set for new assignments again."""
    return _archive(SETS, owned.own_set(slug), archived=False)


@bp.route("/sets/<slug>/delete", methods=["GET", "POST"])
def delete_set(slug: str) -> tuple[str, int] | Response:
    """Say what deleting a set takes with it; delete it once the box is ticked."""
    return _delete(SETS, owned.own_set(slug))
