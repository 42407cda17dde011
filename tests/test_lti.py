"""LTI 1.3 against a real platform (lti1p3platform on loopback): registration, launches, deep
linking, grades sent back (AGS), the roster (NRPS), and the launches that must be refused."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa
from helpers import lti_platform
from helpers.forms import csrf_token, post_form
from helpers.lti_launch import TOOL, launch, register, running_platform
from helpers.lti_platform import (
    INSTRUCTOR,
    LEARNER,
    LaunchSpec,
    launch_form,
    new_private_key,
)
from helpers.quiz import correct_form_data, latest_attempt, presented
from helpers.settings import PASSWORD
from helpers.teacher import version_id

from quizapp.extensions import db
from quizapp.models import LtiNonce, LtiScoreSend, User
from quizapp.models.types import utcnow
from quizapp.services import lti_launch, lti_scores


@pytest.fixture
def platform():
    with running_platform() as running:
        yield running


@pytest.fixture
def registered(app, signed_in, platform):
    """The platform registered through the teacher's setup page."""
    return register(app, signed_in("lms-admin", role="teacher"), platform)


def deep_link_assignment(app, platform, title="Curfew quiz"):
    """A teacher adds the quiz through deep linking; returns (teacher client, content item)."""
    spec = LaunchSpec(sub="teacher-1", roles=[INSTRUCTOR], name="Ms Rivera", deep_linking=True)
    teacher, response, _ = launch(app, platform, spec)
    assert response.headers["Location"].endswith("/lti/deep-link")
    data = {
        "title": title,
        "version_id": version_id(app),
        "mode": "test",
        "results_release": "on_submit",
        "counting": "best",
    }
    reply = post_form(teacher, "/lti/deep-link", data)
    assert reply.status_code == 200, reply.get_data(as_text=True)
    action, fields = launch_form(reply.get_data(as_text=True))
    assert action == platform.base_url + "/deep-link-return"
    assert platform.base_url in reply.headers["Content-Security-Policy"]
    assert requests.post(action, data=fields, timeout=10).status_code == 200
    (item,) = platform.deep_link_items
    return teacher, item


def launch_from_link(app, registered, item, sub: str, role: str):
    """A launch of the deep-linked assignment ``item`` by user ``sub`` of the course, with the
    link's grade column; the signed-in client and the launch's response."""
    spec = LaunchSpec(
        sub=sub, roles=[role], custom=item["custom"], lineitem_url=registered.lineitem_url()
    )
    client, response, _ = launch(app, registered, spec)
    return client, response


def take_quiz(app, student, assignment_id: int, username: str) -> None:
    post_form(
        student, f"/assignments/{assignment_id}/start", {}, page=f"/lti/assignments/{assignment_id}"
    )
    attempt = latest_attempt(app, username)
    for number in range(1, len(attempt.question_ids) + 1):
        shown = presented(app, attempt.id, number)
        url = f"/attempts/{attempt.id}/questions/{number}"
        post_form(student, url, {**correct_form_data(shown), "action": "next"})
    token = csrf_token(student, f"/attempts/{attempt.id}/review")
    response = student.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token})
    assert response.status_code == 302
    response.close()  # the score goes out once the response is closed


def username_of(app, sub: str, issuer: str) -> str:
    with app.app_context():
        return db.session.scalar(
            sa.select(User.username)
            .join(lti_launch.LtiAccount, lti_launch.LtiAccount.user_id == User.id)
            .where(lti_launch.LtiAccount.sub == sub, lti_launch.LtiAccount.issuer == issuer)
        )


# Registration ----------------------------------------------------------------------------------


def test_the_setup_page_lists_the_values_to_paste_and_the_jwks_is_stable(app, registered):
    admin = app.test_client()
    jwks = admin.get("/lti/jwks.json")
    assert jwks.status_code == 200 and jwks.get_json()["keys"][0]["alg"] == "RS256"
    post_form(admin, "/account/login", {"username": "lms-admin", "password": PASSWORD})
    page = admin.get("/lti/setup").get_data(as_text=True)
    for value in (
        "http://localhost/lti/login",
        "http://localhost/lti/launch",
        "http://localhost/lti/jwks.json",
        registered.issuer,
    ):
        assert value in page
    assert admin.get("/lti/jwks.json").get_json() == jwks.get_json()


def test_registration_lists_every_problem_at_once(signed_in):
    teacher = signed_in("admin2", role="teacher")
    response = post_form(
        teacher,
        "/lti/platforms",
        {
            "name": "x",
            "issuer": "y",
            "client_id": "z",
            "deployment_ids": "d",
            "auth_login_url": "not a url",
        },
        page="/lti/setup",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Each of the three URLs: once in the summary at the top, once at its field.
    assert page.count("Enter a full web address starting with https://.") == 6
    # The issuer "y" too: an LTI issuer is the platform's web address.
    assert page.count("Enter the issuer (the platform&#39;s iss)") == 2


def test_flask_lti_add_platform_and_rotate_key(app, runner, platform):
    settings = platform.tool_settings()
    result = runner.invoke(
        args=[
            "lti",
            "add-platform",
            "--name",
            "CLI LMS",
            "--issuer",
            settings["issuer"],
            "--client-id",
            "cli-client",
            "--deployment-id",
            "d1",
            "--deployment-id",
            "d2",
            "--auth-login-url",
            settings["auth_login_url"],
            "--auth-token-url",
            settings["auth_token_url"],
            "--key-set-url",
            settings["key_set_url"],
        ]
    )
    assert result.exit_code == 0, result.output
    first = app.test_client().get("/lti/jwks.json").get_json()["keys"]
    assert runner.invoke(args=["lti", "rotate-key"]).exit_code == 0
    after = app.test_client().get("/lti/jwks.json").get_json()["keys"]
    assert len(after) == 2 and after[1]["kid"] == first[0]["kid"]  # the old key stays a while
    again = runner.invoke(
        args=[
            "lti",
            "add-platform",
            "--name",
            "CLI LMS",
            "--issuer",
            settings["issuer"],
            "--client-id",
            "cli-client",
            "--deployment-id",
            "d1",
            "--auth-login-url",
            "x",
            "--auth-token-url",
            "y",
            "--key-set-url",
            "z",
        ]
    )
    assert again.exit_code != 0 and "https://" in again.output


# Launches, deep linking, grades ------------------------------------------------------------


def test_deep_linking_creates_the_assignment_and_returns_a_resource_link_with_a_line_item(
    app, registered
):
    _, item = deep_link_assignment(app, registered)
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == TOOL + "/lti/launch"
    assert item["lineItem"]["scoreMaximum"] == 100 and item["lineItem"]["label"] == "Curfew quiz"
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    with app.app_context():
        course = db.session.scalar(sa.select(lti_launch.LtiCourse))
        assert course.context_id == "course-101" and course.classroom.name == "Civics 101"
        assert course.classroom.teacher.display_name == "Ms Rivera"
        assert (
            db.session.get(lti_launch.Assignment, assignment_id).classroom_id == course.classroom_id
        )


def test_a_student_launch_lands_on_the_assignment_and_the_score_reaches_the_platform(
    app, registered
):
    _, item = deep_link_assignment(app, registered)
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    spec = LaunchSpec(
        sub="student-7",
        roles=[LEARNER],
        name="Sam Lee",
        custom=item["custom"],
        lineitem_url=registered.lineitem_url(),
    )
    student, response, _ = launch(app, registered, spec)
    assert response.headers["Location"].endswith(f"/lti/assignments/{assignment_id}")
    page = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "Curfew quiz" in page and "Sam Lee" in page
    take_quiz(app, student, assignment_id, username_of(app, "student-7", registered.issuer))
    (score,) = registered.scores
    assert (
        score["userId"] == "student-7"
        and score["scoreGiven"] == 100
        and score["scoreMaximum"] == 100
    )
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"


def test_a_teacher_launch_of_the_link_opens_the_results_with_the_send_status(app, registered):
    _, item = deep_link_assignment(app, registered)
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    student, _ = launch_from_link(app, registered, item, "student-7", LEARNER)
    take_quiz(app, student, assignment_id, username_of(app, "student-7", registered.issuer))
    teacher, response = launch_from_link(app, registered, item, "teacher-1", INSTRUCTOR)
    assert response.headers["Location"].endswith(f"/teach/assignments/{assignment_id}")
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Grades in the LMS" in page and "Sent " in page


def a_score_the_lms_refused(app, registered, sub: str):
    """The deep-linked assignment (its item), taken by student ``sub`` while the platform's
    token endpoint was down: the score waits on the queue."""
    _, item = deep_link_assignment(app, registered)
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    student, _ = launch_from_link(app, registered, item, sub, LEARNER)
    registered.token_endpoint_down = True
    take_quiz(app, student, assignment_id, username_of(app, sub, registered.issuer))
    return item


def test_the_token_endpoint_down_queues_the_score_and_it_is_sent_later(app, registered):
    a_score_the_lms_refused(app, registered, "student-8")
    assert registered.scores == []
    with app.app_context():
        row = db.session.scalar(sa.select(LtiScoreSend))
        assert row.status == "pending" and row.tries == 1 and "503" in row.last_error
        assert row.next_try_at > utcnow()
        # Not yet due: a sender run now leaves it alone.
        assert lti_scores.send_due_scores() == lti_scores.SendReport(0, 0)
    registered.token_endpoint_down = False
    with app.app_context():
        db.session.execute(
            sa.update(LtiScoreSend).values(next_try_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["lti", "send-scores"])
    assert result.exit_code == 0 and "1 sent" in result.output
    (score,) = registered.scores
    assert score["userId"] == "student-8"
    with app.app_context():
        assert db.session.scalar(sa.select(LtiScoreSend.status)) == "sent"


def test_a_failed_send_is_explained_in_the_teachers_language(app, registered):
    item = a_score_the_lms_refused(app, registered, "student-es")
    teacher, response = launch_from_link(app, registered, item, "teacher-es", INSTRUCTOR)
    results = response.headers["Location"]
    english = teacher.get(results, headers={"Accept-Language": "en"}).get_data(as_text=True)
    spanish = teacher.get(results, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Waiting to retry (1 try so far): The LMS answered 503" in english
    assert "El LMS respondió 503" in spanish and "The LMS answered" not in spanish


def test_a_score_changed_by_marking_goes_to_the_lms(app, registered):
    """The hook a marking feature calls once it scores a written response."""
    _, item = deep_link_assignment(app, registered)
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    student, _ = launch_from_link(app, registered, item, "student-m", LEARNER)
    take_quiz(app, student, assignment_id, username_of(app, "student-m", registered.issuer))
    attempt = latest_attempt(app, username_of(app, "student-m", registered.issuer))
    with app.app_context():
        marked = db.session.get(lti_scores.Attempt, attempt.id)
        marked.score = marked.max_score / 2  # a written answer marked half right, say
        db.session.commit()
        assert lti_scores.counted_score_changed(marked) == 1
        assert lti_scores.send_due_scores() == lti_scores.SendReport(1, 0)
    assert [score["scoreGiven"] for score in registered.scores] == [100, 50]


def test_resend_button_sends_again(app, registered):
    teacher, item = deep_link_assignment(app, registered)
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    student, _ = launch_from_link(app, registered, item, "student-9", LEARNER)
    take_quiz(app, student, assignment_id, username_of(app, "student-9", registered.issuer))
    response = post_form(
        teacher,
        f"/lti/assignments/{assignment_id}/scores/resend",
        {},
        page=f"/teach/assignments/{assignment_id}",
    )
    assert response.status_code == 302
    assert [s["userId"] for s in registered.scores] == ["student-9", "student-9"]


def test_nrps_roster_refresh_lists_students_who_never_launched(app, registered):
    teacher, item = deep_link_assignment(app, registered)
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    registered.members = [
        {"user_id": "teacher-1", "name": "Ms Rivera", "roles": [INSTRUCTOR], "status": "Active"},
        {
            "user_id": "never-launched",
            "name": "Noor Haddad",
            "roles": [LEARNER],
            "status": "Active",
        },
        {"user_id": "dropped", "name": "Gone Away", "roles": [LEARNER], "status": "Inactive"},
    ]
    with app.app_context():
        class_id = db.session.scalar(sa.select(lti_launch.LtiCourse.classroom_id))
    response = post_form(
        teacher, f"/lti/classes/{class_id}/roster", {}, page=f"/teach/classes/{class_id}"
    )
    assert response.status_code == 302
    page = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert "Noor Haddad" in page and "Not started" in page and "Gone Away" not in page


def test_a_roster_whose_pages_never_end_is_read_within_bounds(app, registered):
    teacher, _ = deep_link_assignment(app, registered)
    registered.members = [{"user_id": "loop-1", "name": "Lou Pine", "roles": [LEARNER]}]
    registered.endless_roster = True
    with app.app_context():
        class_id = db.session.scalar(sa.select(lti_launch.LtiCourse.classroom_id))
    response = post_form(
        teacher, f"/lti/classes/{class_id}/roster", {}, page=f"/teach/classes/{class_id}"
    )
    assert response.status_code == 302
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "1 student in the LMS course, 1 new here." in page


def test_a_roster_the_lms_refuses_is_explained_in_the_teachers_language(app, registered):
    teacher, _ = deep_link_assignment(app, registered)
    registered.token_endpoint_down = True
    with app.app_context():
        class_id = db.session.scalar(sa.select(lti_launch.LtiCourse.classroom_id))
    post_form(
        teacher,
        f"/lti/classes/{class_id}/roster",
        {},
        page=f"/teach/classes/{class_id}",
        headers={"Accept-Language": "es"},
    )
    page = teacher.get(f"/teach/classes/{class_id}", headers={"Accept-Language": "es"})
    assert "El LMS respondió 503" in page.get_data(as_text=True)


def test_retries_back_off_from_30_seconds_to_at_most_6_hours():
    delays = [lti_scores.retry_delay(tries) for tries in range(1, lti_scores.MAX_TRIES + 1)]
    assert delays[:3] == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert delays[-1] == timedelta(hours=6) and delays == sorted(delays)


def test_only_the_teacher_who_registered_a_platform_may_remove_it(app, registered, signed_in):
    other = signed_in("other-teacher", role="teacher")
    with app.app_context():
        platform_id = db.session.scalar(sa.select(lti_launch.LtiPlatform.id))
    url = f"/lti/platforms/{platform_id}/remove"
    assert post_form(other, url, {}, page="/lti/setup").status_code == 404
    with app.app_context():
        assert db.session.get(lti_launch.LtiPlatform, platform_id) is not None


def test_a_student_before_any_teacher_is_told_to_wait(app, registered):
    _, response, _ = launch(app, registered, LaunchSpec(sub="early", roles=[LEARNER]))
    assert response.status_code == 403
    assert "Your teacher has not set up Civics Quiz in this course yet" in response.get_data(
        as_text=True
    )


def test_a_link_naming_another_courses_assignment_is_refused(app, registered):
    _, item = deep_link_assignment(app, registered)
    spec = LaunchSpec(
        sub="teacher-1",
        roles=[INSTRUCTOR],
        context_id="course-copy",
        resource_link_id="copied-link",
        custom=item["custom"],
    )
    _, response, _ = launch(app, registered, spec)
    assert response.status_code == 403
    assert "another course" in response.get_data(as_text=True)


def test_every_instructor_of_the_course_teaches_its_class(app, registered, signed_in):
    _, item = deep_link_assignment(app, registered)
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    spec = LaunchSpec(sub="teacher-2", roles=[INSTRUCTOR], name="Mr Diallo", custom=item["custom"])
    second, response, _ = launch(app, registered, spec)
    assert response.headers["Location"].endswith(f"/teach/assignments/{assignment_id}")
    assert second.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        class_id = db.session.scalar(sa.select(lti_launch.LtiCourse.classroom_id))
    assert "Civics 101" in second.get("/teach/").get_data(as_text=True)
    assert second.get(f"/teach/classes/{class_id}").status_code == 200
    # A teacher of nothing in that course still gets 404 for it.
    outsider = signed_in("outsider", role="teacher")
    assert outsider.get(f"/teach/classes/{class_id}").status_code == 404
    assert outsider.get(f"/teach/assignments/{assignment_id}").status_code == 404


# Refusals --------------------------------------------------------------------------------------


def refused(response, caplog, words: str) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert "could not open from your LMS" in page and words in page
    assert any("lti_launch_refused" in r.getMessage() for r in caplog.records)


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.WARNING, logger="quizapp.security")
    return caplog


def test_an_expired_id_token_is_refused(app, registered, security_log):
    _, response, _ = launch(app, registered, LaunchSpec(sub="s", roles=[LEARNER], expires_in=-120))
    refused(response, security_log, "expired")


def test_a_replayed_id_token_is_refused(app, registered, security_log):
    deep_link_assignment(app, registered)
    client, first, fields = launch(app, registered, LaunchSpec(sub="s", roles=[LEARNER]))
    assert first.status_code == 302
    refused(client.post("/lti/launch", data=fields), security_log, "used already")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LtiNonce)) == 0


def test_a_token_for_another_client_id_is_refused(app, registered, security_log):
    _, response, _ = launch(
        app, registered, LaunchSpec(sub="s", roles=[LEARNER], client_id="someone-else")
    )
    refused(response, security_log, "wrong audience")


def test_an_unregistered_deployment_is_refused(app, registered, security_log):
    _, response, _ = launch(
        app, registered, LaunchSpec(sub="s", roles=[LEARNER], deployment_id="rogue")
    )
    refused(response, security_log, "deployment")


def test_a_token_signed_with_another_key_is_refused(app, registered, security_log, monkeypatch):
    registered_jwks = requests.get(registered.base_url + "/jwks", timeout=5).json()
    monkeypatch.setattr(registered, "private_key", new_private_key())
    # The forger keeps the real key id, so only the signature can tell.
    monkeypatch.setattr(lti_platform, "_key_id", lambda pem: registered_jwks["keys"][0]["kid"])
    _, response, _ = launch(app, registered, LaunchSpec(sub="s", roles=[LEARNER]))
    refused(response, security_log, "signature")


def test_a_forged_launch_without_the_login_is_refused(app, registered, security_log):
    response = app.test_client().post("/lti/launch", data={"id_token": "a.b.c", "state": "state-x"})
    refused(response, security_log, "state")


def test_frames_and_cookies_for_the_lms_only_in_lti_sessions(app, registered):
    client = app.test_client()
    spec = LaunchSpec(sub="t2", roles=[INSTRUCTOR], name="Mr Ode", context_id="course-202")
    _, response, _ = launch(app, registered, spec, client)
    policy = client.get(response.headers["Location"]).headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {registered.base_url}" in policy
    plain = app.test_client().get("/account/login").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self';" in plain + ";" and registered.base_url not in plain


@pytest.mark.postgresql
def test_a_send_another_server_holds_is_skipped_not_waited_for(app, registered, postgresql_url):
    """FOR UPDATE SKIP LOCKED: a row claimed by another sender's transaction is left to it."""
    a_score_the_lms_refused(app, registered, "student-pg")
    registered.token_endpoint_down = False
    other_server = sa.create_engine(postgresql_url)
    try:
        with app.app_context():
            db.session.execute(sa.update(LtiScoreSend).values(next_try_at=utcnow()))
            db.session.commit()
            # If the claim waited for the lock instead of skipping it, this fails the test.
            db.session.execute(sa.text("SET lock_timeout = '5s'"))
            db.session.commit()
            with other_server.begin() as holder:
                holder.execute(sa.text("SELECT id FROM lti_score_send FOR UPDATE"))
                assert lti_scores.send_due_scores() == lti_scores.SendReport(0, 0)
            assert lti_scores.send_due_scores() == lti_scores.SendReport(1, 0)
    finally:
        other_server.dispose()
    assert [score["userId"] for score in registered.scores] == ["student-pg"]


def session_cookie(response) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_over_https_only_an_lti_session_cookie_crosses_sites(app, registered, create_user):
    registered.tool_login_url = "https://localhost/lti/login"
    registered.tool_launch_url = "https://localhost/lti/launch"
    client = app.test_client()
    spec = LaunchSpec(sub="t3", roles=[INSTRUCTOR], context_id="course-303")
    login = client.get(registered.login_url(spec))
    assert login.status_code == 302
    state_cookie = login.headers["Set-Cookie"]
    assert "SameSite=None" in state_cookie and "Secure" in state_cookie
    action, fields = launch_form(requests.get(login.headers["Location"], timeout=10).text)
    launched = client.post(action, data=fields)
    assert launched.status_code == 302
    cookie = session_cookie(launched)
    assert "SameSite=None" in cookie and "Secure" in cookie

    create_user("plain-student")
    plain = app.test_client()
    token = csrf_token(plain, "https://localhost/account/login")
    signed = plain.post(
        "https://localhost/account/login",
        data={"csrf_token": token, "username": "plain-student", "password": PASSWORD},
        headers={"Referer": "https://localhost/account/login"},
    )
    assert signed.status_code == 302
    assert "SameSite=Lax" in session_cookie(signed)


# Marking ---------------------------------------------------------------------------------------


def test_a_co_teachers_marking_sends_the_new_scores_to_the_lms(app, registered):
    """A second instructor of the course scores a written response and accepts a typed short
    answer; each new score reaches the LMS gradebook."""
    from helpers.marking import MARKING_SET, take

    from quizapp.domain.loader import load_question_set_text
    from quizapp.models import Assignment, Response
    from quizapp.services.question_sets import import_question_set

    _, item = deep_link_assignment(app, registered)
    assignment_id = int(item["custom"][lti_launch.ASSIGNMENT_PARAMETER])
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        owner = assignment.classroom.teacher_id
        imported = import_question_set(load_question_set_text(MARKING_SET, "m.yaml"), owner)
        assignment.version_id = imported.version.id  # the teacher's own set with a rubric
        db.session.commit()
    spec = LaunchSpec(
        sub="student-w",
        roles=[LEARNER],
        custom=item["custom"],
        lineitem_url=registered.lineitem_url(),
    )
    launch(app, registered, spec)
    with app.app_context():
        student = db.session.scalar(
            sa.select(User).where(User.username == username_of(app, "student-w", registered.issuer))
        )
        db.session.expunge(student)
        assignment = db.session.get(Assignment, assignment_id)
        db.session.expunge(assignment)
    attempt = take(
        app,
        student,
        assignment,
        amendment="Amendment 8",
        who="Rubio",
        explain={"text": "It is cruel.", "cited": []},
        **{"amendment-b": ["3"]},
    )
    with app.app_context():
        lti_scores.send_due_scores()
        written = db.session.scalar(
            sa.select(Response.id).where(
                Response.attempt_id == attempt.id, Response.question_id == "explain"
            )
        )
    co_teacher_spec = LaunchSpec(
        sub="teacher-2",
        roles=[INSTRUCTOR],
        name="Mr Chen",
        custom=item["custom"],
        lineitem_url=registered.lineitem_url(),
    )
    co_teacher, response, _ = launch(app, registered, co_teacher_spec)
    assert response.headers["Location"].endswith(f"/teach/assignments/{assignment_id}")
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).classroom.teacher_id != (
            db.session.scalar(
                sa.select(User.id).where(
                    User.username == username_of(app, "teacher-2", registered.issuer)
                )
            )
        )
    scoring = f"/teach/assignments/{assignment_id}/scoring/{written}"
    saved = post_form(co_teacher, scoring, {"criterion_0": "2", "criterion_1": "1"})
    assert saved.status_code == 302
    saved.close()  # the score goes out once the response is closed
    confirm = (
        f"/teach/assignments/{assignment_id}/questions/amendment/confirm-accept?answer=Amendment+8"
    )
    accepted = post_form(
        co_teacher,
        f"/teach/assignments/{assignment_id}/questions/amendment/accept",
        {"answer": "Amendment 8"},
        page=confirm,
    )
    assert accepted.status_code == 302
    accepted.close()
    with app.app_context():
        lti_scores.send_due_scores()
    given = [round(score["scoreGiven"], 1) for score in registered.scores]
    assert given == [16.7, 66.7, 100.0]
    # Until the written response is scored, the LMS hears that the grade waits for a person.
    progress = [score["gradingProgress"] for score in registered.scores]
    assert progress == ["PendingManual", "FullyGraded", "FullyGraded"]
    assert {score["userId"] for score in registered.scores} == {"student-w"}
