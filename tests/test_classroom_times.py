"""Times as a class reads them: due dates without a countdown, in the class's time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from helpers.forms import post_form
from helpers.teacher import assignment, assignment_form, post_new_assignment, post_new_class

from quizapp.extensions import db
from quizapp.models import Assignment
from quizapp.presentation import friendly_time

#: A Monday, 09:00 in New York.
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def classroom(create_user, sign_in, create_class, join_class):
    """A teacher with a New York class and a student in it, on a clock stopped at START."""
    with time_machine.travel(START, tick=False):
        teacher = create_user("ms-lee", role="teacher")
        new_york = create_class(teacher, time_zone="America/New_York")
        student = create_user("sam")
        join_class(student, new_york)
        yield sign_in(teacher), sign_in(student), new_york.id


def first_question(student, assignment_id: int) -> str:
    started = post_form(student, f"/assignments/{assignment_id}/start", {}, page="/")
    return student.get(started.headers["Location"]).get_data(as_text=True)


def test_a_close_date_without_a_time_limit_shows_the_due_time_not_a_countdown(app, classroom):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(
        teacher, app, class_id, closes_at="2026-03-03T15:00", attempts_allowed=""
    )
    page = first_question(student, assignment_id)
    assert "Due tomorrow 3:00 PM EST" in page
    assert "Time left" not in page
    assert "data-deadline" not in page  # nothing for the script to count down
    assert "Tomorrow 3:00 PM EST" in student.get("/").get_data(as_text=True)


def test_a_time_limit_still_counts_down(app, classroom):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(
        teacher, app, class_id, closes_at="2026-03-03T15:00", time_limit_minutes="20"
    )
    page = first_question(student, assignment_id)
    assert "Time left: <strong>20 minutes</strong>" in page
    assert "data-deadline" in page
    assert "Due tomorrow" not in page


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (START + timedelta(hours=6), "today 3:00 PM EST"),
        (START + timedelta(minutes=20), "today 9:20 AM EST (in 20 minutes)"),
        (START + timedelta(days=1), "tomorrow 9:00 AM EST"),
        (START - timedelta(days=1), "yesterday 9:00 AM EST"),
        (START + timedelta(days=4), "Friday 9:00 AM EST"),
        (START + timedelta(days=14), "Monday, March 16 10:00 AM EDT"),
        (datetime(2027, 1, 4, 13, 30, tzinfo=UTC), "Monday, January 4, 2027 8:30 AM EST"),
    ],
)
def test_times_read_as_people_say_them(when, expected):
    assert friendly_time(when, "America/New_York", now=START) == expected


def test_the_day_is_the_class_days_not_utcs():
    # 03:00 UTC on Tuesday is still Monday evening in Chicago.
    late = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
    assert friendly_time(late, "America/Chicago", now=START) == "today 9:00 PM CST"
    assert friendly_time(late, "UTC", now=START) == "tomorrow 3:00 AM UTC"


def test_a_sentence_can_start_with_it_and_an_unknown_zone_reads_as_utc():
    assert friendly_time(START, "No/Such_Zone", now=START, capital=True) == "Today 2:00 PM UTC"
    assert friendly_time(None) == "–"


def submitted_at_start(student, start_url: str) -> tuple[str, str]:
    """Start a quiz at START and submit it at once: the student's history and results pages."""
    with time_machine.travel(START, tick=False):
        started = post_form(student, start_url, {}, page="/")
        attempt_url = started.headers["Location"].rsplit("/questions/", 1)[0]
        post_form(student, f"{attempt_url}/submit", {}, page=f"{attempt_url}/review")
        history = student.get("/history").get_data(as_text=True)
        return history, student.get(f"{attempt_url}/results").get_data(as_text=True)


def test_a_students_history_and_results_show_the_class_time_zone(app, classroom):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(teacher, app, class_id, title="Curfew test")
    history, results = submitted_at_start(student, f"/assignments/{assignment_id}/start")
    assert "2026-03-02 09:00 (America/New_York)" in history
    assert "UTC" not in history
    assert "Submitted 2026-03-02 09:00 (America/New_York)" in results
    # Known by the title on the student's quiz list, with the set it gives.
    shown = (
        '<th scope="row">Curfew test <span class="meta">(Town curfew: a practice set, version 1)'
    )
    assert shown in history


def test_free_practice_shows_the_time_zone_of_the_students_class(app, classroom):
    """Free practice belongs to no class, but a student in one reads its times as the class
    does, on the history and the results."""
    _teacher, student, _class_id = classroom
    history, results = submitted_at_start(student, "/quizzes/civics-mini/start")
    assert "2026-03-02 09:00 (America/New_York)" in history
    assert "UTC" not in history
    assert "Submitted 2026-03-02 09:00 (America/New_York)" in results


def test_free_practice_of_a_student_in_no_class_says_its_times_are_utc(app, signed_in):
    with time_machine.travel(START, tick=False):
        student = signed_in("solo")
        post_form(student, "/quizzes/civics-mini/start", {}, page="/")
        history = student.get("/history").get_data(as_text=True)
    assert "2026-03-02 14:00 (UTC)" in history


def test_a_teachers_set_versions_show_the_time_zone_of_the_newest_class(app, signed_in):
    teacher = signed_in("mr-new", role="teacher")
    assert "(UTC)" in teacher.get("/teach/sets/civics-mini").get_data(as_text=True)
    post_new_class(teacher, time_zone="America/Chicago")
    assert "(America/Chicago)" in teacher.get("/teach/sets/civics-mini").get_data(as_text=True)


def test_the_time_zone_menu_lists_us_zones_first_and_starts_at_the_teachers_last_zone(
    app, signed_in
):
    teacher = signed_in("mr-new", role="teacher")
    page = teacher.get("/teach/").get_data(as_text=True)
    menu = page[page.rindex("<select", 0, page.index('name="time_zone"')) :]
    assert menu.index('<optgroup label="United States">') < menu.index("Europe/Paris")
    assert menu.index("Central time (Chicago)") < menu.index('label="Other time zones"')
    # No class yet, no script: U.S. Eastern.
    assert '<option selected value="America/New_York">' in menu
    # The script sets the browser's zone into a menu marked for it, which loads with the page.
    assert "data-browser-zone" in menu and "js/time-zone.js" in page
    post_new_class(teacher, time_zone="America/Denver")
    page = teacher.get("/teach/").get_data(as_text=True)
    assert '<option selected value="America/Denver">' in page


def test_a_zone_outside_the_menu_is_refused_with_a_message(app, signed_in):
    teacher = signed_in("mr-new", role="teacher")
    refused = post_form(
        teacher, "/teach/classes", {"name": "9B", "time_zone": "Mars/Olympus"}, page="/teach/"
    )
    assert refused.status_code == 200
    assert "Not a valid choice" in refused.get_data(as_text=True)


def test_the_results_export_gives_times_in_the_class_zone_with_their_offset(app, classroom):
    teacher, student, class_id = classroom
    assignment_id = post_new_assignment(teacher, app, class_id, title="Curfew test")
    with time_machine.travel(START, tick=False):
        started = post_form(student, f"/assignments/{assignment_id}/start", {}, page="/")
        attempt_url = started.headers["Location"].rsplit("/questions/", 1)[0]
        post_form(student, f"{attempt_url}/submit", {}, page=f"{attempt_url}/review")
        export = teacher.get(f"/teach/assignments/{assignment_id}/results.csv")
    assert ",2026-03-02T09:00:00-05:00," in export.get_data(as_text=True)


def _input_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def test_editing_an_assignment_shows_its_dates_in_the_class_zone_and_keeps_them(app, classroom):
    """The edit form showed the stored UTC times as New York ones, so each save moved them."""
    teacher, _student, class_id = classroom
    assignment_id = post_new_assignment(
        teacher, app, class_id, opens_at="2026-03-02T08:00", closes_at="2026-03-09T23:59"
    )
    edit_url = f"/teach/assignments/{assignment_id}/edit"
    for _ in range(2):  # saved twice unchanged, as a teacher changing something else would
        page = teacher.get(edit_url).get_data(as_text=True)
        assert "Times are in the class's time zone, Eastern time (New York)." in page
        assert _input_value(page, "opens_at") == "2026-03-02T08:00"
        assert _input_value(page, "closes_at") == "2026-03-09T23:59"
        saved = post_form(
            teacher,
            edit_url,
            assignment_form(
                app,
                attempts_allowed="3",
                opens_at=_input_value(page, "opens_at"),
                closes_at=_input_value(page, "closes_at"),
            ),
        )
        assert saved.status_code == 302
    stored = assignment(app, assignment_id)
    assert stored.closes_at == datetime(2026, 3, 10, 3, 59, tzinfo=UTC)  # 23:59 EDT
    assert stored.opens_at == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 08:00 EST


def test_the_class_page_names_its_zone_as_the_menu_did(app, signed_in):
    teacher = signed_in("mr-new", role="teacher")
    post_new_class(teacher, time_zone="America/Chicago")
    page = teacher.get("/teach/").get_data(as_text=True)
    class_url = re.search(r'href="(/teach/classes/\d+)"', page).group(1)
    shown = teacher.get(class_url).get_data(as_text=True)
    assert "time zone Central time (Chicago)" in shown
    assert "America/Chicago" not in shown.split("<main", 1)[1].split("</table>", 1)[0]


def test_a_due_time_in_the_hour_autumn_repeats_stays_the_instant_it_was(app, classroom):
    """01:30 on 1 November 2026 in New York happens twice; the form shows "01:30" for either,
    and saving it unchanged kept the first one, an hour earlier than the second."""
    teacher, _student, class_id = classroom
    assignment_id = post_new_assignment(teacher, app, class_id)
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, after the clocks went back
    with app.app_context():
        db.session.get(Assignment, assignment_id).closes_at = second
        db.session.commit()
    edit_url = f"/teach/assignments/{assignment_id}/edit"
    page = teacher.get(edit_url).get_data(as_text=True)
    assert _input_value(page, "closes_at") == "2026-11-01T01:30"
    saved = post_form(
        teacher,
        edit_url,
        assignment_form(app, attempts_allowed="2", closes_at=_input_value(page, "closes_at")),
    )
    assert saved.status_code == 302
    assert assignment(app, assignment_id).closes_at == second
