"""The teacher's marking pages: the queue of written responses to score, the page that scores
one, and accepting a typed short answer from item analysis.

A blueprint inside the teacher blueprint (endpoints ``teacher.scoring.*``), so only teachers
come here; every assignment is looked up through ``owned`` (co-teachers included), and a
response or question of another assignment is 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.grading import InvalidResponse
from ..domain.i18n import gettext, ngettext
from ..domain.model import Question
from ..domain.question_types.short_answer import comparison_form
from ..models import Assignment
from ..services import question_sets, regrades, scoring
from . import owned
from .scoring_forms import AcceptAnswerForm, score_form

bp = Blueprint("scoring", __name__)


@bp.get("/assignments/<int:assignment_id>/scoring")
def queue(assignment_id: int) -> str:
    """The written responses still to score, and those scored (to change a score)."""
    assignment = owned.own_assignment(assignment_id)
    return render_template(
        "teacher/scoring_queue.html",
        assignment=assignment,
        queue=scoring.scoring_queue(assignment),
    )


@bp.route("/assignments/<int:assignment_id>/scoring/<int:response_id>", methods=["GET", "POST"])
def score(assignment_id: int, response_id: int) -> str | Response | tuple[str, int]:
    """Score one written response per criterion, with an optional comment."""
    assignment = owned.own_assignment(assignment_id)
    item = scoring.written_response(assignment, response_id)
    if item is None:
        abort(404)
    form = score_form(item.question, item.points, item.comment, item.language)
    if form.validate_on_submit():
        try:
            scoring.score_response(
                current_user, assignment, item, form.points(), form.comment.data or ""
            )
        except InvalidResponse as problem:
            form.comment.errors = [*form.comment.errors, str(problem)]
        else:
            flash(gettext("Score saved for %(name)s.", name=item.student.name), "success")
            following = scoring.next_waiting(assignment, after=response_id)
            if following is None:
                return redirect(url_for(".queue", assignment_id=assignment.id))
            return redirect(
                url_for(".score", assignment_id=assignment.id, response_id=following.response_id)
            )
    html = render_template(
        "teacher/score_response.html",
        assignment=assignment,
        item=item,
        form=form,
        content_lang=item.language,
    )
    return (html, 422) if form.errors else html


def _short_answer(assignment: Assignment, question_id: str) -> Question:
    question = regrades.short_answer_question(assignment, question_id)
    if question is None:
        abort(404)
    return question


@bp.get("/assignments/<int:assignment_id>/questions/<question_id>/confirm-accept")
def confirm_accept(assignment_id: int, question_id: str) -> str:
    """Ask before a typed answer is accepted: how many attempts it would regrade."""
    assignment = owned.own_assignment(assignment_id)
    question = _short_answer(assignment, question_id)
    typed = request.args.get("answer", "")
    form = AcceptAnswerForm(answer=typed)
    if not comparison_form(typed) or not form.answer.validate(form):
        abort(404)
    return render_template(
        "teacher/confirm_accept.html",
        assignment=assignment,
        question=question,
        typed=typed,
        regraded=regrades.answers_to_regrade(assignment, question, comparison_form(typed)),
        form=form,
        content_lang=question_sets.version_language(assignment.version),
    )


@bp.post("/assignments/<int:assignment_id>/questions/<question_id>/accept")
def accept(assignment_id: int, question_id: str) -> Response:
    """Accept a typed answer and regrade every attempt of the assignment that gave it."""
    assignment = owned.own_assignment(assignment_id)
    question = _short_answer(assignment, question_id)
    form = AcceptAnswerForm()
    analysis = url_for("teacher.item_analysis", assignment_id=assignment.id)
    if not form.validate_on_submit():
        flash(
            gettext("That answer could not be accepted: choose it again from the list."),
            "warning",
        )
        return redirect(analysis)
    typed = form.answer.data
    count = regrades.accept_answer(current_user, assignment, question, typed)
    if count:
        flash(
            ngettext(
                "“%(answer)s” is accepted: %(num)s attempt regraded.",
                "“%(answer)s” is accepted: %(num)s attempts regraded.",
                count,
                answer=typed,
            ),
            "success",
        )
    else:
        flash(
            gettext("“%(answer)s” is accepted; no attempt needed a regrade.", answer=typed), "info"
        )
    return redirect(f"{analysis}#typed-{question.id}")
