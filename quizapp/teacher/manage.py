"""The teacher's housekeeping pages: rename, archive and delete classes, assignments and sets,
and confirm before a student is removed.

A blueprint inside the teacher blueprint (endpoints ``teacher.manage.*``), so its check that
only teachers come here covers these pages too. Every id is looked up through ``access``: another
teacher's class, assignment or set, like a missing one, is 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ..auth.forms import EmptyForm
from ..domain.i18n import gettext
from ..models import QuestionSet
from ..services import access, management
from . import owned
from .forms import ClassSettingsForm, ConfirmDeleteForm, SetNameForm

bp = Blueprint("manage", __name__)


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


# A student leaves a class.


# A URL of its own, not a GET beside the POST that removes: a rule per method would answer 405
# instead of 404 to an id too large for the database.
@bp.get("/classes/<int:class_id>/students/<int:student_id>/confirm-removal")
def confirm_remove_student(class_id: int, student_id: int) -> str:
    """Ask before a student is removed from a class (the button sends teacher.remove_student)."""
    classroom = owned.own_class(class_id)
    student = access.enrolled_student(classroom, student_id)
    if student is None:
        abort(404)
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
    classroom = owned.own_class(class_id)
    if EmptyForm().validate_on_submit():
        management.archive_class(classroom, archived=True)
        flash(
            gettext(
                "%(name)s is archived: students no longer see it, and its results are "
                "kept. It is listed under “Archived classes” on the Teaching page.",
                name=classroom.name,
            ),
            "success",
        )
    return redirect(url_for("teacher.class_page", class_id=classroom.id))


@bp.post("/classes/<int:class_id>/restore")
def restore_class(class_id: int) -> Response:
    """Bring an archived class back."""
    classroom = owned.own_class(class_id)
    if EmptyForm().validate_on_submit():
        management.archive_class(classroom, archived=False)
        flash(gettext("%(name)s is back among your classes.", name=classroom.name), "success")
    return redirect(url_for("teacher.class_page", class_id=classroom.id))


@bp.route("/classes/<int:class_id>/delete", methods=["GET", "POST"])
def delete_class(class_id: int) -> tuple[str, int] | Response:
    """Say what deleting a class takes with it; delete it once the teacher ticks the box."""
    classroom = owned.own_class(class_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        name = classroom.name
        management.delete_class(classroom)
        flash(gettext("%(name)s was deleted.", name=name), "info")
        return redirect(url_for("teacher.dashboard"))
    return _confirm_delete(
        form,
        "class",
        classroom.name,
        management.class_contents(classroom),
        kept=gettext("The students' accounts stay, with their other classes and results."),
        back=url_for("teacher.manage.class_settings", class_id=classroom.id),
    )


# Assignments.


@bp.post("/assignments/<int:assignment_id>/archive")
def archive_assignment(assignment_id: int) -> Response:
    """Archive an assignment: students no longer see or start it; every result stays."""
    assignment = owned.own_assignment(assignment_id)
    if EmptyForm().validate_on_submit():
        management.archive_assignment(assignment, archived=True)
        flash(
            gettext(
                "“%(title)s” is archived: students no longer see it, and its results are "
                "kept. It is listed under “Archived assignments” on the class page.",
                title=assignment.title,
            ),
            "success",
        )
    return redirect(url_for("teacher.assignment_page", assignment_id=assignment.id))


@bp.post("/assignments/<int:assignment_id>/restore")
def restore_assignment(assignment_id: int) -> Response:
    """Bring an archived assignment back."""
    assignment = owned.own_assignment(assignment_id)
    if EmptyForm().validate_on_submit():
        management.archive_assignment(assignment, archived=False)
        flash(
            gettext("“%(title)s” is back on the students' quiz list.", title=assignment.title),
            "success",
        )
    return redirect(url_for("teacher.assignment_page", assignment_id=assignment.id))


@bp.route("/assignments/<int:assignment_id>/delete", methods=["GET", "POST"])
def delete_assignment(assignment_id: int) -> tuple[str, int] | Response:
    """Say what deleting an assignment takes with it; delete it once the box is ticked."""
    assignment = owned.own_assignment(assignment_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        title, class_id = assignment.title, assignment.classroom_id
        management.delete_assignment(assignment)
        flash(gettext("“%(title)s” was deleted.", title=title), "info")
        return redirect(url_for("teacher.class_page", class_id=class_id))
    return _confirm_delete(
        form,
        "assignment",
        assignment.title,
        management.assignment_contents(assignment),
        kept=gettext("The class, its students and the question set stay."),
        back=url_for("teacher.assignment_page", assignment_id=assignment.id),
    )


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
    question_set = owned.own_set(slug)
    if EmptyForm().validate_on_submit():
        management.archive_set(question_set, archived=True)
        flash(
            gettext(
                "“%(name)s” is archived: it is no longer offered for new "
                "assignments; the assignments that use it go on.",
                name=_set_name(question_set),
            ),
            "success",
        )
    return redirect(url_for("teacher.set_page", slug=slug))


@bp.post("/sets/<slug>/restore")
def restore_set(slug: str) -> Response:
    """Offer an archived set for new assignments again."""
    question_set = owned.own_set(slug)
    if EmptyForm().validate_on_submit():
        management.archive_set(question_set, archived=False)
        flash(
            gettext(
                "“%(name)s” is offered for new assignments again.", name=_set_name(question_set)
            ),
            "success",
        )
    return redirect(url_for("teacher.set_page", slug=slug))


@bp.route("/sets/<slug>/delete", methods=["GET", "POST"])
def delete_set(slug: str) -> tuple[str, int] | Response:
    """Say what deleting a set takes with it; delete it once the box is ticked."""
    question_set = owned.own_set(slug)
    form = ConfirmDeleteForm()
    name = _set_name(question_set)
    if form.validate_on_submit():
        management.delete_set(question_set)
        flash(gettext("“%(name)s” was deleted.", name=name), "info")
        return redirect(url_for("teacher.dashboard"))
    return _confirm_delete(
        form,
        "set",
        name,
        management.set_contents(question_set),
        kept=gettext(
            "Your classes and their other assignments stay. Download the set as YAML first "
            "to keep a copy."
        ),
        back=url_for("teacher.set_page", slug=slug),
    )
