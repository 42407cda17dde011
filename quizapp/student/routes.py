"""The student's pages: the quiz list, one question per page, results, sources, history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from ..auth.forms import EmptyForm
from ..domain.grading import InvalidResponse
from ..domain.i18n import gettext
from ..errors import CSRF_MESSAGE, render_error
from ..models import Attempt
from ..services import access, assignments, attempts, classes, question_sets, regrades, sources
from ..services.attempts import AttemptRow, PresentedQuestion
from . import overview, unsaved
from .forms import (
    PART_B_PREFIX,
    AnswerForm,
    JoinClassForm,
    answer_form,
    answer_form_from,
    error_field,
    error_messages,
    prompt_fields,
    submitted_answer,
)

bp = Blueprint("student", __name__)

#: A "go to question N" button: ASCII digits only ("²" is a digit to str.isdigit, not to int),
#: and few of them, since no set has more questions than that.
_GOTO = re.compile(r"goto-([0-9]{1,4})")


@bp.before_request
def submit_attempts_whose_time_ran_out() -> None:
    """An expired timed attempt is submitted the next time its student loads a page."""
    if current_user.is_authenticated and attempts.submit_expired(current_user):
        flash(
            gettext(
                "Time ran out on a timed quiz, so it was submitted with the answers you saved."
            ),
            "warning",
        )


def _own_attempt(attempt_id: int) -> Attempt:
    """The signed-in student's attempt, or 404 (also for someone else's)."""
    attempt = access.own_attempt(current_user, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


@bp.get("/")
def index() -> str:
    """The quiz list for a signed-in user; a welcome page otherwise."""
    if not current_user.is_authenticated:
        return render_template("student/welcome.html")
    return _quiz_list(JoinClassForm())


def _quiz_list(join_form: JoinClassForm) -> str:
    """The quiz list page: assignments, free practice and the join-a-class form."""
    return render_template(
        "student/index.html",
        cards=attempts.quiz_cards(current_user),
        assigned=assignments.student_assignments(current_user),
        form=EmptyForm(),
        join_form=join_form,
    )


@bp.get("/join/<code>")
@login_required
def join_link(code: str) -> str:
    """The quiz list with the join form filled in from a class's link (joining is a POST)."""
    return _quiz_list(JoinClassForm(code=classes.normalize_join_code(code)[:20]))


@bp.post("/classes/join")
@login_required
def join_class() -> str | Response | tuple[str, int, dict[str, str]]:
    """Join a class with the code the teacher gave."""
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            classroom = classes.join_class(current_user, form.code.data or "")
        except classes.JoinRefused as refused:
            form.code.errors.append(str(refused))
            return _quiz_list(form), 429, {"Retry-After": str(refused.retry_after)}
        except classes.ClassError as error:
            form.code.errors.append(str(error))
        else:
            flash(gettext("You joined %(class_name)s.", class_name=classroom.name), "success")
            return redirect(url_for("student.index"))
    return _quiz_list(form)


@bp.post("/quizzes/<slug>/start")
@login_required
def start(slug: str) -> Response:
    """Start free practice on a shipped set (a quick round or the full set), or resume the
    unfinished attempt at it."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    quick = request.form.get("round") == "quick"
    try:
        attempt = attempts.start_attempt(current_user, slug, quick=quick)
    except attempts.AttemptRefused as refusal:
        flash(str(refusal), "warning")
        return redirect(url_for("student.index"))
    if attempt is None:
        abort(404)
    return redirect(_where_to_resume(attempt))


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start_assignment(assignment_id: int) -> Response:
    """Start or resume an assignment, if its window and attempt limit allow."""
    assignment = access.student_assignment(current_user, assignment_id)
    if assignment is None or not EmptyForm().validate_on_submit():
        abort(404)
    try:
        attempt = attempts.start_assignment_attempt(current_user, assignment)
    except attempts.AttemptRefused as refusal:
        flash(str(refusal), "warning")
        return redirect(url_for("student.index"))
    return redirect(_where_to_resume(attempt))


@bp.get("/attempts/<int:attempt_id>/resume")
@login_required
def resume(attempt_id: int) -> Response:
    """Go back to an unfinished attempt at its first unanswered question."""
    return redirect(_where_to_resume(_own_attempt(attempt_id)))


def _where_to_resume(attempt: Attempt) -> str:
    """The first unanswered question; the review page once all are answered (or the results
    once submitted)."""
    if attempt.is_submitted:
        return url_for("student.results", attempt_id=attempt.id)
    number = attempts.first_unanswered(attempt)
    if number is None:
        return url_for("student.review", attempt_id=attempt.id)
    return url_for("student.question", attempt_id=attempt.id, number=number)


@bp.route("/attempts/<int:attempt_id>/questions/<int:number>", methods=["GET", "POST"])
def question(attempt_id: int, number: int) -> str | Response | tuple[Response, int]:
    """Show one question; on POST save its answer, then move where the student asked."""
    if not current_user.is_authenticated:
        kept = (
            unsaved.answer_not_saved(attempt_id, number, signed_out=True)
            if request.method == "POST"
            else None
        )
        return kept or current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    form = part_b_form = None
    if request.method == "POST":
        saved = _save_posted(attempt_id, number)
        if not isinstance(saved, _RefusedAnswer):
            return saved
        # The answer was refused: the page again, with the message beside it.
        form, part_b_form = saved.form, saved.part_b_form
    attempt = _own_attempt(attempt_id)
    if attempt.is_submitted:
        return redirect(url_for("student.results", attempt_id=attempt_id))
    shown = attempts.present_question(attempt, number)
    if shown is None:
        abort(404)
    page = attempts.question_page(attempt, shown)
    restored = unsaved.take(attempt_id, number) if form is None else None
    if restored is not None:
        form = answer_form_from(shown, restored)
        if shown.part_b is not None:
            part_b_form = answer_form_from(shown.part_b, restored, PART_B_PREFIX)
    elif form is None:
        form = answer_form(shown, page.saved.get(shown.question.id))
        if shown.part_b is not None:
            saved_b = page.saved.get(shown.part_b.question.id)
            part_b_form = answer_form(shown.part_b, saved_b, PART_B_PREFIX)
    return render_template(
        "student/question.html",
        attempt=attempt,
        page=page,
        shown=shown,
        form=form,
        prompt_fields=prompt_fields(form, shown),
        restored=restored is not None,
        part_b_form=part_b_form,
        part_b_prompt_fields=prompt_fields(part_b_form, shown.part_b) if shown.part_b else [],
        jump_buttons=overview.jump_buttons(page.items, page.saved, shown.number),
        content_lang=question_sets.version_language(attempt.version),
        fragment_scope=(attempt.version.id, attempt.version.content_hash),
    )


@dataclass(frozen=True)
class _RefusedAnswer:
    """The forms of a posted answer that was not saved, their errors filled in."""

    form: AnswerForm
    part_b_form: AnswerForm | None


def _save_posted(attempt_id: int, number: int) -> Response | tuple[Response, int] | _RefusedAnswer:
    """Save the answer posted to a question and say where to go next, or give back the forms
    to show again with the reason the answer was refused.

    The attempt is read as a plain row: a save needs neither its version's row nor the page's
    other data, which only showing the page again reads.
    """
    attempt = access.own_attempt_row(current_user, attempt_id)
    if attempt is None:
        abort(404)
    if attempt.is_submitted:
        message = gettext("This quiz was already submitted, so its answers can no longer change.")
        if unsaved.is_autosave():
            return unsaved.autosave_reply(
                409, message, url_for("student.results", attempt_id=attempt_id)
            )
        flash(message, "warning")
        return redirect(url_for("student.results", attempt_id=attempt_id))
    shown = attempts.present_question(attempt, number)
    if shown is None:
        abort(404)
    form = answer_form(shown, None)
    part_b_form = None if shown.part_b is None else answer_form(shown.part_b, None, PART_B_PREFIX)
    if form.validate_on_submit() and (part_b_form is None or part_b_form.validate()):
        moved = _save_and_move(attempt, shown, form, part_b_form)
        if moved is not None:
            return moved
    elif unsaved.is_autosave():
        return unsaved.autosave_reply(422, " ".join(error_messages(form)))
    return _RefusedAnswer(form, part_b_form)


@bp.errorhandler(CSRFError)
def stale_form(error: CSRFError) -> object:
    """A question's answer sent with an expired or missing token is kept, not lost."""
    if request.endpoint == "student.question" and request.view_args:
        kept = unsaved.answer_not_saved(
            request.view_args["attempt_id"],
            request.view_args["number"],
            signed_out=not current_user.is_authenticated,
        )
        if kept is not None:
            return kept
    return render_error(400, CSRF_MESSAGE)


def _save_and_move(
    attempt: AttemptRow,
    shown: PresentedQuestion,
    form: AnswerForm,
    part_b_form: AnswerForm | None = None,
) -> Response | tuple[Response, int] | None:
    """Save the page's answers (a Part A with its Part B) and lead where the student asked;
    None to show the form's error.

    A save by the page script gets a short JSON reply instead, and never checks a practice
    answer (that takes the student's press of the button).
    """
    attempt_id = attempt.id
    autosave = unsaved.is_autosave()
    if autosave and attempts.is_practice(attempt):
        return unsaved.autosave_reply(
            409, gettext("In practice, check your answer with the button.")
        )
    answered = [(shown, form)]
    if shown.part_b is not None and part_b_form is not None:
        answered.append((shown.part_b, part_b_form))
    try:
        answers = [(part.question, submitted_answer(f, part)) for part, f in answered]
        grade = attempts.save_answers(attempt, answers)
    except InvalidResponse as error:
        if autosave:
            return unsaved.autosave_reply(422, str(error))
        question_id = getattr(error, "question_id", None)
        part, part_form = next(
            ((p, f) for p, f in answered if p.question.id == question_id), answered[0]
        )
        error_field(part_form, part).errors.append(str(error))
        return None
    except attempts.TimeUp:
        message = gettext("Time is up. Your quiz was submitted with the answers saved in time.")
        results_url = url_for("student.results", attempt_id=attempt_id)
        if autosave:
            return unsaved.autosave_reply(409, message, results_url)
        flash(message, "warning")
        return redirect(results_url)
    except (attempts.AttemptClosed, attempts.AnswerLocked):
        message = gettext("That answer can no longer change.")
        if autosave:
            return unsaved.autosave_reply(409, message, request.path)
        flash(message, "warning")
        return redirect(request.path)
    if autosave:
        return unsaved.autosave_reply(200, gettext("Saved"))
    if grade is not None:  # practice: show right or wrong before moving on
        return redirect(request.path)
    return redirect(_destination(attempt_id, shown.number, shown.total))


def _destination(attempt_id: int, number: int, total: int) -> str:
    """Where the navigation button the student pressed leads."""
    action = request.form.get("nav", "next")
    target = {"prev": number - 1, "next": number + 1}.get(action)
    goto = _GOTO.fullmatch(action)
    if goto:
        target = int(goto.group(1))
    if target is None or not 1 <= target <= total:
        return url_for("student.review", attempt_id=attempt_id)
    return url_for("student.question", attempt_id=attempt_id, number=target)


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> str | Response:
    """Everything answered so far, before submitting."""
    attempt = _own_attempt(attempt_id)
    if attempt.is_submitted:
        return redirect(url_for("student.results", attempt_id=attempt.id))
    answered = set(attempts.saved_answers(attempt))
    return render_template(
        "student/review.html",
        attempt=attempt,
        answered=answered,
        items=attempts.attempt_items(attempt),
        form=EmptyForm(),
    )


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> Response:
    """Grade the attempt once; a second submission shows the same results.

    The button's form carries only the CSRF token, which CSRFProtect has checked before any view
    runs; building an EmptyForm here would check it again (and sign a new one) on a busy path.
    """
    attempt = access.own_attempt_row(current_user, attempt_id)
    if attempt is None:
        abort(404)
    attempts.submit_attempt(attempt)
    return redirect(url_for("student.results", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>/results")
@login_required
def results(attempt_id: int) -> str | Response:
    """Score, and for each question the answers, the explanation and the evidence."""
    attempt = _own_attempt(attempt_id)
    if not attempt.is_submitted:
        flash(gettext("Submit the quiz to see your results."), "info")
        return redirect(url_for("student.review", attempt_id=attempt.id))
    if not attempts.results_visible(attempt):
        return render_template(
            "student/results_pending.html",
            attempt=attempt,
            available_at=attempts.results_available_at(attempt),
            held_back=attempts.held_back(attempt),
        )
    items = attempts.attempt_results(attempt)
    return render_template(
        "student/results.html",
        attempt=attempt,
        items=items,
        summary=attempts.results_summary(items),
        regrades=regrades.regrade_notes(attempt),
        time_zone=classes.attempt_time_zone(attempt),
        content_lang=question_sets.version_language(attempt.version),
    )


@bp.get("/attempts/<int:attempt_id>/sources/<key>")
@login_required
def source(attempt_id: int, key: str) -> str:
    """A source text; once results are shown, a question's evidence is highlighted in it."""
    attempt = _own_attempt(attempt_id)
    page = sources.source_page(attempt, key, request.args.get("question"))
    if page is None:
        abort(404)
    return render_template(
        "student/source.html",
        attempt=attempt,
        page=page,
        content_lang=question_sets.version_language(attempt.version),
    )


@bp.get("/history")
@login_required
def history() -> str:
    """Every attempt the student has made, newest first."""
    return render_template(
        "student/history.html",
        attempts=attempts.history(current_user),
    )
