"""LTI 1.3 pages: OIDC login, launch, JWKS, deep linking, setup, grade resends, roster refresh.

The login and launch endpoints are called by the LMS, not by our own forms, so they carry no
CSRF token: the launch is authenticated by the platform's signed id_token instead (checked
against its registered JWKS, with our client id as ``aud``, the state cookie set at login and a
nonce that works once). They are exempt from CSRF for that reason alone; every other POST here
has a token.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from ..auth.forms import EmptyForm
from ..auth.sessions import teacher_required
from ..domain.i18n import gettext, lazy_gettext, ngettext
from ..extensions import csrf
from ..i18n import forced_language
from ..security import log_event, mark_signed_in
from ..services import (
    access,
    assignments,
    lti_deep_linking,
    lti_launch,
    lti_platforms,
    lti_roster,
    lti_scores,
)
from ..teacher.forms import AssignmentForm
from .forms import PlatformForm
from .web import DEEP_LINK_KEY, LTI_SESSION_KEY, allow_form_action

bp = Blueprint("lti", __name__, url_prefix="/lti")


def _refused(reason: str, status: int = 400, detail: str = "") -> tuple[str, int]:
    """The page an LMS user sees inside the frame when a launch cannot go ahead; ``reason``
    is a lazy message, shown in the reader's language and logged in English. ``detail`` is
    PyLTI1p3's own words (English), shown apart as a detail for the LMS administrator."""
    # The security log is read by the school's IT, in one language.
    log_event("lti_launch_refused", reason=_in_english(reason), detail=detail[:200])
    page = render_template("lti/refused.html", reason=str(reason), detail=detail[:200])
    return page, status


def _in_english(text: str) -> str:
    """A lazy message worded in English, whatever the request's language."""
    with forced_language("en"):
        return str(text)


@bp.get("/jwks.json")
def jwks() -> Response:
    """The app's public keys, at a URL that never changes (platforms verify us with them)."""
    response = jsonify(lti_platforms.jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login() -> Any:
    """Third-party initiated login (OIDC): send the browser back to the LMS with a state and
    a nonce. The spec lets the LMS use GET; the only thing stored is that one-use nonce."""
    # PyLTI1p3 loads with the first launch, not in every worker at start-up (17 MB with requests).
    from pylti1p3.contrib.flask import FlaskOIDCLogin
    from pylti1p3.exception import LtiException, OIDCException

    from .tool import tool_parts

    lti_request, tool_conf, cookies, nonces = tool_parts()
    target = lti_request.get_param("target_link_uri") or url_for("lti.launch", _external=True)
    if not target.startswith(request.host_url):
        return _refused(lazy_gettext("The LMS asked to open an address that is not this site's."))
    oidc = FlaskOIDCLogin(lti_request, tool_conf, session_service=nonces, cookie_service=cookies)
    try:
        return oidc.redirect(url_for("lti.launch", _external=True))
    except (OIDCException, LtiException) as error:
        return _refused(_login_problem(str(error)), detail=str(error))


def _login_problem(detail: str) -> str:
    if "registration" in detail.lower():
        return lazy_gettext(
            "This LMS is not registered with Civics Quiz (issuer and client id). A Civics Quiz "
            "teacher can register it on the LMS setup page."
        )
    return lazy_gettext("The LMS's login request was incomplete.")


#: What PyLTI1p3's refusals mean for a person looking at the frame.
_LAUNCH_PROBLEMS = (
    (
        "state",
        lazy_gettext("The launch did not come from this browser's sign-in (its state is unknown)."),
    ),
    (
        "nonce",
        lazy_gettext("This launch was used already or has expired (its nonce is not valid)."),
    ),
    ("expired", lazy_gettext("The LMS's launch token has expired.")),
    (
        "registration",
        lazy_gettext("The launch is for a client id this site does not know (wrong audience)."),
    ),
    (
        "client id",
        lazy_gettext("The launch is for a client id this site does not know (wrong audience)."),
    ),
    (
        "deployment",
        lazy_gettext("The launch names a deployment that is not registered for this LMS."),
    ),
    ("signature", lazy_gettext("The launch's signature does not match the LMS's keys.")),
    ("public key", lazy_gettext("The launch's signature does not match the LMS's keys.")),
    ("decode", lazy_gettext("The launch token could not be read.")),
)


def _launch_problem(detail: str) -> str:
    lowered = detail.lower()
    for word, message in _LAUNCH_PROBLEMS:
        if word in lowered:
            return message
    return lazy_gettext("The launch could not be checked.")


@bp.post("/launch")
@csrf.exempt
def launch() -> Any:
    """The LMS's signed launch: check it, sign the user in, and open what the link points to."""
    from pylti1p3.contrib.flask import FlaskMessageLaunch
    from pylti1p3.exception import LtiException

    from .tool import tool_parts

    lti_request, tool_conf, cookies, nonces = tool_parts()
    message = FlaskMessageLaunch(
        lti_request, tool_conf, session_service=nonces, cookie_service=cookies
    )
    try:
        claims = message.get_launch_data()
    except (LtiException, KeyError, ValueError) as error:
        current_app.logger.info("LTI launch refused: %s", error)
        return _refused(_launch_problem(str(error)), detail=str(error))
    platform = tool_conf.platform
    if platform is None:  # PyLTI1p3 refuses first; this keeps the type checker sure of it
        return _refused(_launch_problem("registration"))
    try:
        outcome = lti_launch.accept_launch(platform, claims)
    except lti_launch.LaunchRefused as refusal:
        return _refused(refusal.reason, 403)
    _start_lti_session(outcome.user, platform.id, platform.frame_origins)
    if outcome.deep_linking:
        session[DEEP_LINK_KEY] = {
            "platform_id": platform.id,
            "classroom_id": outcome.classroom.id,
            "deployment_id": claims[lti_launch.CLAIM + "deployment_id"],
            "settings": claims[
                "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
            ],
        }
        return redirect(url_for("lti.deep_link"))
    return redirect(_landing(outcome))


def _start_lti_session(user: Any, platform_id: int, frame_origins: str) -> None:
    # A fresh session, as at any sign-in, marked as opened from an LMS (for the frame headers).
    session.clear()
    login_user(user)
    mark_signed_in()
    session[LTI_SESSION_KEY] = {"platform_id": platform_id, "frame_origins": frame_origins}


def _landing(outcome: lti_launch.LaunchOutcome) -> str:
    if outcome.user.is_teacher:
        if outcome.assignment is not None:
            return url_for("teacher.assignment_page", assignment_id=outcome.assignment.id)
        return url_for("teacher.class_page", class_id=outcome.classroom.id)
    if outcome.assignment is not None:
        return url_for("lti.assignment", assignment_id=outcome.assignment.id)
    return url_for("student.index")


@bp.get("/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id: int) -> str:
    """Where a student's launch lands: the assignment the link opens, ready to start."""
    found = access.student_assignment(current_user, assignment_id)
    if found is None:
        abort(404)
    item = next(
        i for i in assignments.student_assignments(current_user) if i.assignment.id == found.id
    )
    return render_template("lti/assignment.html", item=item, form=EmptyForm())


def _deep_link_context() -> dict[str, Any]:
    context = session.get(DEEP_LINK_KEY)
    if not context:
        abort(404)
    return dict(context)


@bp.route("/deep-link", methods=["GET", "POST"])
@teacher_required
def deep_link() -> Any:
    """The LMS's "add external tool" dialog: pick a set, a mode and settings."""
    context = _deep_link_context()
    classroom = access.own_class(current_user, int(context["classroom_id"]))
    platform = lti_platforms.platform_by_id(int(context["platform_id"]))
    if classroom is None or platform is None:
        abort(404)
    form = _new_assignment_form()
    if form.validate_on_submit():
        try:
            _, reply = lti_deep_linking.link_new_assignment(
                current_user,
                classroom,
                form.settings(classroom.time_zone),
                platform,
                str(context["deployment_id"]),
                dict(context["settings"]),
                url_for("lti.launch", _external=True),
            )
        except assignments.AssignmentError as error:
            form.show_problems(error.problems)
        else:
            session.pop(DEEP_LINK_KEY, None)
            allow_form_action(reply.return_url)
            return render_template("lti/deep_link_return.html", reply=reply, platform=platform)
    return render_template(
        "teacher/assignment_form.html", form=form, classroom=classroom, assignment=None
    )


def _new_assignment_form() -> AssignmentForm:
    from ..services import question_sets

    form = AssignmentForm()
    versions = question_sets.latest_versions(visible_to=access.visible_set_filter(current_user))
    form.version_id.choices = [
        (v.id, gettext("%(title)s (version %(number)s)", title=v.title, number=v.number))
        for v in versions
    ]
    return form


# Setting up: registrations and keys (any teacher; the school's LMS admin works with one) ------


def _setup_page(form: PlatformForm) -> str:
    return render_template(
        "lti/setup.html",
        form=form,
        platforms=lti_platforms.platforms(),
        key=lti_platforms.active_key(),
        button=EmptyForm(),
        tool_urls={
            "login": url_for("lti.login", _external=True),
            "launch": url_for("lti.launch", _external=True),
            "jwks": url_for("lti.jwks", _external=True),
            "domain": request.host,
        },
    )


@bp.get("/setup")
@teacher_required
def setup() -> str:
    """The values to paste into Canvas, Moodle or Schoology, and the registered platforms."""
    return _setup_page(PlatformForm())


@bp.post("/platforms")
@teacher_required
def add_platform() -> str | Response:
    """Register a platform from the values its administrator gave."""
    form = PlatformForm()
    if form.validate_on_submit():
        try:
            platform = lti_platforms.register_platform(form.settings(), current_user)
        except lti_platforms.PlatformError as error:
            form.show_problems(error.problems)
        else:
            flash(gettext("%(name)s can now launch Civics Quiz.", name=platform.name), "success")
            return redirect(url_for("lti.setup"))
    return _setup_page(form)


@bp.post("/platforms/<int:platform_id>/remove")
@teacher_required
def remove_platform(platform_id: int) -> Response:
    """Stop accepting launches from a platform this teacher registered."""
    platform = lti_platforms.own_platform(current_user, platform_id)
    if platform is None or not EmptyForm().validate_on_submit():
        abort(404)
    lti_platforms.remove_platform(platform)
    flash(
        gettext("%(name)s was removed; its launches are refused from now on.", name=platform.name),
        "success",
    )
    return redirect(url_for("lti.setup"))


@bp.post("/keys/rotate")
@teacher_required
def rotate_key() -> Response:
    """Make a new signing key; the old one stays in the JWKS for a week."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    key = lti_platforms.rotate_key()
    flash(gettext("New signing key %(kid)s… in use.", kid=key.kid[:12]), "success")
    return redirect(url_for("lti.setup"))


# Grades and roster -------------------------------------------------------------------------


@bp.post("/assignments/<int:assignment_id>/scores/resend")
@teacher_required
def resend_scores(assignment_id: int) -> Response:
    """Send every student's counted score to the LMS again, now."""
    found = access.own_assignment(current_user, assignment_id)
    if found is None or not EmptyForm().validate_on_submit():
        abort(404)
    lti_scores.resend(found)
    report = lti_scores.send_due_scores(only_ids=lti_scores.pending_ids_for(found.id))
    if report.failed:
        sent = ngettext("%(num)s score sent.", "%(num)s scores sent.", report.sent)
        failed = ngettext(
            "%(num)s could not be sent and will be retried. The table says why.",
            "%(num)s could not be sent and will be retried. The table says why.",
            report.failed,
        )
        flash(f"{sent} {failed}", "warning")
    else:
        flash(
            ngettext(
                "%(num)s score sent to the LMS.", "%(num)s scores sent to the LMS.", report.sent
            ),
            "success",
        )
    return redirect(url_for("teacher.assignment_page", assignment_id=found.id))


@bp.post("/classes/<int:class_id>/roster")
@teacher_required
def refresh_roster(class_id: int) -> Response:
    """Bring in the LMS course's students, so those who never opened the quiz are listed."""
    classroom = access.own_class(current_user, class_id)
    course = None if classroom is None else lti_launch.course_of_class(classroom)
    if course is None or not EmptyForm().validate_on_submit():
        abort(404)
    try:
        refreshed = lti_roster.refresh_roster(course)
    except lti_roster.RosterError as error:
        flash(gettext("The roster could not be refreshed: %(error)s", error=error), "warning")
    else:
        students = ngettext(
            "Roster refreshed: %(num)s student in the LMS course, %(added)s new here.",
            "Roster refreshed: %(num)s students in the LMS course, %(added)s new here.",
            refreshed.students,
            added=refreshed.added,
        )
        flash(students, "success")
    return redirect(url_for("teacher.class_page", class_id=class_id))
