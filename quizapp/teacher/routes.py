"""The teacher's pages: classes, assignments, uploads, sets and results."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup

from ..auth.forms import EmptyForm
from ..auth.sessions import teacher_required
from ..domain.errors import QuestionSetError, first_problems
from ..domain.i18n import gettext
from ..domain.join_code_qr import join_link_svg
from ..domain.limits import MAX_PROBLEMS_SHOWN
from ..domain.roster import RosterError
from ..domain.warnings import summarize_warnings
from ..errors import render_error, too_large_message
from ..models import Assignment, Classroom
from ..services import (
    access,
    assignments,
    classes,
    editing,
    exports,
    invitations,
    lti_launch,
    lti_scores,
    question_sets,
    results,
    rosters,
    throttling,
    uploads,
)
from . import owned
from .articles import bp as articles_bp
from .downloads import bp as downloads_bp
from .forms import AssignmentForm, ClassForm, RosterForm, UploadForm, to_local_input
from .manage import bp as manage_bp
from .scoring import bp as scoring_bp

bp = Blueprint("teacher", __name__, url_prefix="/teach")
bp.register_blueprint(manage_bp)  # renaming, archiving, deleting: teacher.manage.*
bp.register_blueprint(downloads_bp)  # Moodle XML and GIFT: teacher.downloads.*
bp.register_blueprint(articles_bp)  # a news story in, drafts reviewed: teacher.articles.*
bp.register_blueprint(scoring_bp)  # written responses, accepted answers: teacher.scoring.*


@bp.before_request
@teacher_required
def only_teachers() -> None:
    """Every page here is for signed-in teachers (students get 403, visitors sign in)."""


def _csv(body: str, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/")
def dashboard() -> str:
    """The teacher's classes and question sets."""
    return _dashboard(ClassForm(time_zone=classes.default_time_zone(current_user)))


def _dashboard(class_form: ClassForm) -> str:
    return render_template(
        "teacher/dashboard.html",
        classes=classes.teacher_classes(current_user),
        archived_classes=classes.teacher_classes(current_user, archived=True),
        sets=question_sets.latest_versions(visible_to=access.visible_set_filter(current_user)),
        drafts=editing.drafts_of(current_user),
        pending_uploads=editing.pending_previews(current_user),
        class_form=class_form,
        form=EmptyForm(),
    )


@bp.post("/classes")
def create_class() -> str | Response:
    """Create a class."""
    form = ClassForm()
    if form.validate_on_submit():
        try:
            classroom = classes.create_class(
                current_user, form.name.data or "", form.time_zone.data, pressed=True
            )
        except classes.ClassError as error:
            form.time_zone.errors.append(str(error))
        else:
            flash(
                gettext(
                    "Class created. Students join with the code %(code)s.",
                    code=classroom.join_code,
                ),
                "success",
            )
            return redirect(url_for("teacher.class_page", class_id=classroom.id))
    return _dashboard(form)


@bp.get("/classes/<int:class_id>")
def class_page(class_id: int) -> str:
    """A class: its join code, roster and assignments."""
    classroom = owned.own_class(class_id)
    students = classes.roster(classroom)
    return render_template(
        "teacher/class.html",
        classroom=classroom,
        students=students,
        slowed=throttling.slowed_accounts(student.username for student in students),
        removed=classes.removed_students(classroom),
        assignments=assignments.class_assignments(classroom),
        form=EmptyForm(),
        lti_course=lti_launch.course_of_class(classroom),
        lti_button=EmptyForm(),
    )


def _login_cards(classroom: Classroom, cards: list[rosters.LoginCard]) -> str:
    """The print view of login cards; its codes are shown this once and never again."""
    return render_template(
        "teacher/login_cards.html",
        classroom=classroom,
        cards=cards,
        sign_in_link=url_for("auth.login", _external=True),
        join_link=url_for("student.join_link", code=classroom.join_code, _external=True),
    )


@bp.route("/classes/<int:class_id>/students/new", methods=["GET", "POST"])
def add_students(class_id: int) -> str | tuple[str, int]:
    """Create accounts for a whole class from a roster, then print their login cards."""
    classroom = owned.own_class(class_id)
    form = RosterForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            upload = form.roster_file.data
            text = (
                rosters.roster_text(upload.read(), upload.filename)
                if upload and upload.filename
                else form.roster.data or ""
            )
            return _login_cards(classroom, rosters.create_students(classroom, text))
        except RosterError as error:
            problems = error.problems
    page = render_template(
        "teacher/add_students.html", classroom=classroom, form=form, problems=problems
    )
    return (page, 422) if problems else page


@bp.post("/classes/<int:class_id>/students/<int:student_id>/reset")
def reset_student_password(class_id: int, student_id: int) -> str | Response:
    """Give a student a one-time password (shown once, on a login card to print)."""
    classroom, student = owned.enrolled_student(class_id, student_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("teacher.class_page", class_id=classroom.id))
    return _login_cards(classroom, [rosters.reset_card(student)])


@bp.post("/classes/<int:class_id>/students/<int:student_id>/unlock")
def unlock_student(class_id: int, student_id: int) -> Response:
    """Forget a student's failed sign-ins, so they need not wait to try again."""
    classroom, student = owned.enrolled_student(class_id, student_id)
    if EmptyForm().validate_on_submit():
        throttling.unlock(student.username)
        flash(gettext("%(name)s can sign in again without waiting.", name=student.name), "success")
    return redirect(url_for("teacher.class_page", class_id=classroom.id))


@bp.get("/classes/<int:class_id>/projector")
def projector(class_id: int) -> str:
    """The join code large, the join link and its QR code, to show on a projector."""
    classroom = owned.own_class(class_id)
    link = url_for("student.join_link", code=classroom.join_code, _external=True)
    return render_template(
        "teacher/projector.html",
        classroom=classroom,
        link=link,
        # segno's SVG holds only paths and this title (escaped by segno): nothing a user typed.
        qr_svg=Markup(join_link_svg(link, gettext("QR code of the join link"))),  # noqa: S704
    )


@bp.post("/classes/<int:class_id>/code")
def regenerate_code(class_id: int) -> Response:
    """Give the class a new join code; the old one stops working."""
    classroom = owned.own_class(class_id)
    if EmptyForm().validate_on_submit():
        code = classes.regenerate_join_code(classroom)
        flash(gettext("New join code: %(code)s", code=code), "success")
    return redirect(url_for("teacher.class_page", class_id=classroom.id))


@bp.post("/classes/<int:class_id>/students/<int:student_id>/remove")
def remove_student(class_id: int, student_id: int) -> Response:
    """Remove a student from the class (their attempts are kept)."""
    classroom, student = owned.enrolled_student(class_id, student_id)
    if EmptyForm().validate_on_submit():
        classes.remove_student(classroom, student)
        flash(
            gettext(
                "%(student)s was removed from %(classname)s.",
                student=student.name,
                classname=classroom.name,
            ),
            "info",
        )
    return redirect(url_for("teacher.class_page", class_id=classroom.id))


@bp.post("/classes/<int:class_id>/students/<int:student_id>/let-back-in")
def let_back_in(class_id: int, student_id: int) -> Response:
    """Enrol a removed student again (the join code would not let them in)."""
    classroom = owned.own_class(class_id)
    student = access.removed_student(classroom, student_id)
    if student is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        classes.let_back_in(classroom, student)
        flash(
            gettext(
                "%(student)s is back in %(classname)s.",
                student=student.name,
                classname=classroom.name,
            ),
            "success",
        )
    return redirect(url_for("teacher.class_page", class_id=classroom.id))


@bp.get("/classes/<int:class_id>/gradebook.csv")
def gradebook(class_id: int) -> Response:
    """The class gradebook as CSV: a row per student, a column per assignment."""
    classroom = owned.own_class(class_id)
    return _csv(results.gradebook_csv(classroom), f"gradebook-class-{classroom.id}.csv")


def _assignment_form(classroom: Classroom, assignment: Assignment | None = None) -> AssignmentForm:
    """The assignment form, offering the versions this teacher may assign."""
    if assignment is None:
        form = AssignmentForm()
        versions = question_sets.latest_versions(
            visible_to=access.assignable_set_filter(current_user)
        )
        form.version_id.choices = [
            (v.id, _version_choice(v.question_set.name or v.title, v.number)) for v in versions
        ]
        chosen = request.args.get("version_id", type=int)  # from a set's "Assign to a class"
        if request.method == "GET" and chosen is not None:
            form.version_id.data = chosen
    else:
        form = AssignmentForm(obj=assignment)
        if not form.is_submitted():
            # WTForms takes obj's values over keyword ones: set the class's local times here,
            # or the stored UTC times show as local and each save moves them by the offset.
            form.opens_at.data = to_local_input(assignment.opens_at, classroom.time_zone)
            form.closes_at.data = to_local_input(assignment.closes_at, classroom.time_zone)
        versions = question_sets.set_versions(assignment.version.question_set_id)
        form.version_id.choices = [(v.id, _version_choice(v.title, v.number)) for v in versions]
    return form


def _version_choice(title: str, number: int) -> str:
    return gettext("%(title)s (version %(number)s)", title=title, number=number)


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(class_id: int) -> str | Response:
    """Assign a version of a question set to the class."""
    classroom = owned.own_class(class_id)
    form = _assignment_form(classroom)
    if form.validate_on_submit():
        settings = form.settings(classroom.time_zone)
        try:
            assignment = assignments.create_assignment(
                current_user, classroom, settings, pressed=True
            )
        except assignments.AssignmentError as error:
            form.show_problems(error.problems)
        else:
            flash(gettext("Assignment created."), "success")
            return redirect(url_for("teacher.assignment_page", assignment_id=assignment.id))
    return render_template(
        "teacher/assignment_form.html", form=form, classroom=classroom, assignment=None
    )


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(assignment_id: int) -> str | Response:
    """Change an assignment's settings or switch it to another version of its set."""
    assignment = owned.own_assignment(assignment_id)
    classroom = assignment.classroom
    form = _assignment_form(classroom, assignment)
    if form.validate_on_submit():
        settings = form.settings(classroom.time_zone, saved=assignment)
        try:
            assignments.update_assignment(current_user, assignment, settings)
        except assignments.AssignmentError as error:
            form.show_problems(error.problems)
        else:
            flash(gettext("Assignment saved."), "success")
            return redirect(url_for("teacher.assignment_page", assignment_id=assignment.id))
    return render_template(
        "teacher/assignment_form.html", form=form, classroom=classroom, assignment=assignment
    )


@bp.get("/assignments/<int:assignment_id>")
def assignment_page(assignment_id: int) -> str:
    """Results per student, sortable, with the score distribution."""
    assignment = owned.own_assignment(assignment_id)
    sort = request.args.get("sort", "name")
    sort = sort if sort in results.SORT_KEYS else "name"
    descending = request.args.get("order") == "desc"
    table = results.assignment_results(assignment, sort, descending)
    lti_status = lti_scores.assignment_status(assignment)
    return render_template(
        "teacher/assignment.html",
        assignment=assignment,
        table=table,
        rows=table.rows,
        student_url=_url_around_id(
            "teacher.student_attempts", "student_id", assignment_id=assignment.id
        ),
        sort=sort,
        descending=descending,
        lti_status=lti_status,
        # The resend button's form only where it is shown: its set-up was 4% of the page's time.
        lti_button=EmptyForm() if lti_status.linked else None,
    )


#: A stand-in id that no URL holds otherwise, where a row's own id goes.
_ROW_ID = 918273645


def _url_around_id(endpoint: str, key: str, **values: object) -> tuple[str, str]:
    """An endpoint's URL split where the id ``key`` goes, so that a table fills in each row's id
    rather than building a URL a row (``url_for`` is a tenth of a row's cost)."""
    before, _, after = url_for(endpoint, **values, **{key: _ROW_ID}).partition(str(_ROW_ID))
    return before, after


@bp.get("/assignments/<int:assignment_id>/students/<int:student_id>")
def student_attempts(assignment_id: int, student_id: int) -> str:
    """Every attempt of one student at an assignment, answers marked."""
    assignment = owned.own_assignment(assignment_id)
    student = access.enrolled_student(assignment.classroom, student_id)
    if student is None:
        abort(404)
    details = results.student_detail(assignment, student)
    return render_template(
        "teacher/student_attempts.html",
        assignment=assignment,
        student=student,
        details=details,
        content_lang=question_sets.version_language(assignment.version),
    )


@bp.get("/assignments/<int:assignment_id>/analysis")
def item_analysis(assignment_id: int) -> str:
    """Facility, discrimination and distractors per question; mean score per category."""
    assignment = owned.own_assignment(assignment_id)
    page = results.analysis_page(assignment)
    return render_template(
        "teacher/analysis.html",
        assignment=assignment,
        analysis=page.analysis,
        typed=page.typed,
        content_lang=question_sets.version_language(assignment.version),
    )


@bp.get("/assignments/<int:assignment_id>/results.csv")
def assignment_export(assignment_id: int) -> Response:
    """The assignment's results as CSV: a row per student, a column per question."""
    assignment = owned.own_assignment(assignment_id)
    return _csv(results.assignment_csv(assignment), f"assignment-{assignment.id}-results.csv")


@bp.route("/upload", methods=["GET", "POST"])
def upload() -> str | Response:
    """Upload a question-set file; a valid one goes to the preview."""
    form = UploadForm(own_sets=uploads.own_set_ids(current_user))
    problems: list[str] = []
    problem_count = 0
    refused: QuestionSetError | None = None
    held = uploads.held_files(current_user)
    if form.validate_on_submit() and _a_file_to_upload(form, held):
        picked = form.question_file.data
        try:
            staged = uploads.stage_upload(
                current_user,
                uploads.UploadedFile(picked.filename, picked.read())
                if picked and picked.filename
                else None,
                [
                    uploads.UploadedFile(f.filename or "", f.read())
                    for f in form.source_files.data or []
                    if f.filename
                ],
                title=form.title.data,
                set_id=form.set_id.data,
                version_of=form.version_of.data or None,
                skip_invalid=form.skip_invalid.data,
            )
        except QuestionSetError as error:
            problems = first_problems(error.issues, MAX_PROBLEMS_SHOWN)
            problem_count = len(error.issues)
            held = uploads.held_files(current_user)
            refused = error
        else:
            return redirect(url_for("teacher.preview_upload", upload_id=staged.id))
    return render_template(
        "teacher/upload.html",
        form=form,
        problems=problems,
        problem_count=problem_count,
        held=held,
        held_question=next((f for f in held if f.role == uploads.QUESTION_ROLE), None),
        remove_form=EmptyForm(),
        noted=summarize_warnings(refused.warnings) if refused else [],
        refused=refused,
    ), 422 if problems else 200


def _a_file_to_upload(form: UploadForm, held: list[uploads.HeldFile]) -> bool:
    """Whether a question-set file was picked now or is kept from the last try; else say so."""
    picked = form.question_file.data
    if (picked and picked.filename) or any(f.role == uploads.QUESTION_ROLE for f in held):
        return True
    form.question_file.errors = [gettext("Choose a file to upload.")]
    return False


@bp.post("/upload/held/<int:held_id>/remove")
def release_held_file(held_id: int) -> Response:
    """Stop keeping a file of the last refused upload."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not uploads.release_held_file(current_user, held_id):
        abort(404)
    return redirect(url_for("teacher.upload"))


@bp.errorhandler(413)
def upload_too_large(error: Exception) -> tuple[object, int]:
    """Only an upload can be too large here: say what its limits are."""
    return render_error(413, too_large_message(current_app.config["MAX_CONTENT_LENGTH"]))


@bp.get("/uploads/<int:upload_id>")
def preview_upload(upload_id: int) -> str:
    """Every question as students will see it, with the answer, explanation and evidence."""
    staged = owned.own_upload(upload_id)
    content = uploads.upload_content(staged)
    return render_template(
        "teacher/preview.html",
        upload=staged,
        content=content,
        previews=exports.preview(content),
        form=EmptyForm(),
        content_lang=content.language,
    )


@bp.post("/uploads/<int:upload_id>/publish")
def publish_upload(upload_id: int) -> Response:
    """Publish the previewed set (a new version if the id exists)."""
    staged = owned.own_upload(upload_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        result = uploads.publish_upload(current_user, staged)
    except QuestionSetError as error:
        flash(str(error), "warning")
        return redirect(url_for("teacher.preview_upload", upload_id=upload_id))
    title, number = result.version.title, result.version.number
    if result.created:
        message = gettext("“%(title)s” version %(number)s published.", title=title, number=number)
    else:
        message = gettext(
            "“%(title)s” version %(number)s unchanged: it matches the published version.",
            title=title,
            number=number,
        )
    flash(message, "success")
    return redirect(url_for("teacher.set_page", slug=result.version.slug))


@bp.post("/uploads/<int:upload_id>/discard")
def discard_upload(upload_id: int) -> Response:
    """Throw the previewed upload away."""
    staged = owned.own_upload(upload_id)
    if EmptyForm().validate_on_submit():
        uploads.discard_upload(staged)
        flash(gettext("The upload was discarded."), "info")
    return redirect(url_for("teacher.dashboard"))


@bp.get("/sets/<slug>")
def set_page(slug: str) -> str:
    """A set's versions, and a preview of the newest."""
    question_set = access.visible_set(current_user, slug)
    if question_set is None:
        abort(404)
    versions = question_sets.set_versions(question_set.id)
    content = exports.version_content(versions[-1])
    return render_template(
        "teacher/set.html",
        question_set=question_set,
        versions=versions,
        content=content,
        previews=exports.preview(content),
        time_zone=classes.teacher_time_zone(current_user),
        content_lang=content.language,
    )


@bp.get("/sets/<slug>/versions/<int:number>/print")
def print_quiz(slug: str, number: int) -> str:
    """A version laid out for paper, without answers."""
    return _print_view(slug, number, with_answers=False)


@bp.get("/sets/<slug>/versions/<int:number>/answer-key")
def print_answer_key(slug: str, number: int) -> str:
    """The answer key of a version, with explanations and evidence quotes, for print."""
    return _print_view(slug, number, with_answers=True)


def _print_view(slug: str, number: int, with_answers: bool) -> str:
    question_set = access.visible_set(current_user, slug)
    version = question_sets.version_number(question_set.id, number) if question_set else None
    if version is None:
        abort(404)
    content = exports.version_content(version)
    return render_template(
        "teacher/print.html",
        version=version,
        content=content,
        items=exports.printed_items(exports.preview(content)),
        sources=exports.printed_sources(content),
        with_answers=with_answers,
        content_lang=content.language,
    )


@bp.get("/sets/<slug>/versions/<int:number>.yaml")
def download_set(slug: str, number: int) -> Response:
    """A version as a native YAML file, which uploads back to the same set."""
    question_set = access.visible_set(current_user, slug)
    version = question_sets.version_number(question_set.id, number) if question_set else None
    if version is None:
        abort(404)
    return Response(
        exports.export_yaml(version),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{slug}-v{number}.yaml"'},
    )


@bp.route("/invitations", methods=["GET", "POST"])
def invite() -> str:
    """Make a one-use link that lets another teacher create an account."""
    link = None
    form = EmptyForm()
    if form.validate_on_submit():
        link = url_for(
            "auth.accept_invitation",
            token=invitations.create_invitation(current_user),
            _external=True,
        )
    return render_template(
        "teacher/invite.html", form=form, link=link, days=invitations.INVITATION_LIFETIME.days
    )
