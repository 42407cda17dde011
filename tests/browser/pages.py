"""Every page of the app, in every state worth checking: the list the axe and HTML checks use.

A new page must join this list: ``test_every_page_of_the_app_is_checked`` fails for a GET route
of the app that no entry reaches (only the routes in NOT_PAGES, which are not HTML, are left out).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .scene import BROWSER_SET, READING_SET, Scene

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

BROKEN_GIFT = "tests/data/formats/broken/errors.gift"

#: GET routes that are no HTML page: files, downloads, redirects and the health check.
NOT_PAGES = {
    "static": "stylesheet, script and images",
    "health.healthz": "JSON for load balancers",
    "teacher.gradebook": "CSV download",
    "teacher.assignment_export": "CSV download",
    "teacher.download_set": "YAML download",
    "teacher.downloads.moodle_xml": "Moodle XML download",
    "teacher.downloads.gift": "GIFT download",
    "media.attempt_image": "an image of a set (test_moodle_journey.py shows it)",
    "media.version_image": "an image of a set",
    "media.upload_image": "an image of a staged upload",
    "media.assignment_image": "an image of the set an assignment gives",
    "help.template_csv_file": "CSV template download",
    "help.template_xlsx_file": "Excel template download",
    "help.example_article": "text download (the templates' example article)",
    "student.resume": "a redirect to the first unanswered question",
    "lti.jwks": "JSON key set for LMSs",
    "lti.login": "a redirect back to the LMS (its refusal page is checked below)",
    "lti.deep_link": "reached only from an LMS launch: test_lti_frame.py shows it, and it is the "
    "assignment form checked here as teacher.new_assignment",
}


@dataclass(frozen=True)
class Shown:
    """One page in one state, as a person reaches it."""

    name: str
    #: The route that answers (None: no route, the 404 page).
    endpoint: str | None
    #: Who looks: "visitor", "student" or "teacher" (the scene's accounts).
    who: str
    path: Callable[[Scene], str]
    #: What the person then does on the page, such as sending a form with mistakes.
    then: Callable[[Page], None] | None = None
    status: int = 200


def press(name: str) -> Callable[[Page], None]:
    """Press the button called ``name`` (a form sent as it is)."""

    def action(page: Page) -> None:
        page.get_by_role("button", name=name, exact=True).click()

    return action


def join_with_a_wrong_code(page: Page) -> None:
    """Type a code no class has, and join."""
    page.get_by_label("Class code").fill("ZZZZ9999")
    page.get_by_role("button", name="Join class").click()


def repeat_a_position(page: Page) -> None:
    """Give every item of the ordering question position 1, and save."""
    for select in page.locator("select").all():
        select.select_option("1")
    page.get_by_role("button", name=re.compile(r"^Save and (next|review)")).click()


def assign_without_title_or_close_date(page: Page) -> None:
    """An assignment with no title that releases results after a close date it lacks."""
    page.get_by_label("Only after the close date").check()
    page.get_by_role("button", name="Create assignment").click()


def clear_the_class_name(page: Page) -> None:
    """Save the class settings with no name."""
    page.get_by_label("Class name").fill("")
    page.get_by_role("button", name="Save").click()


def upload_a_broken_file(page: Page) -> None:
    """A GIFT file with many mistakes."""
    page.get_by_label("Question-set file").set_input_files(BROKEN_GIFT)
    page.get_by_role("button", name="Check and preview").click()


def paste_a_story(page: Page) -> None:
    """Paste a story of two paragraphs and have it shown back."""
    page.get_by_label("Article text").fill(
        "The council met.\n\n“We vote today,” Mayor Ann Lee said."
    )
    page.get_by_role("button", name="Show the paragraphs").click()


def paste_a_roster(names: str) -> Callable[[Page], None]:
    """Paste names into the roster box and create the accounts."""

    def action(page: Page) -> None:
        page.get_by_label("Students").fill(names)
        page.get_by_role("button", name="Create accounts and print login cards").click()

    return action


def _question(kind: str) -> Callable[[Scene], str]:
    return lambda s: f"/attempts/{s.open_attempt_id}/questions/{s.open_numbers[kind]}"


def _reading_question(question_id: str) -> Callable[[Scene], str]:
    return lambda s: f"/attempts/{s.reading_attempt_id}/questions/{s.reading_numbers[question_id]}"


def write_too_much(page: Page) -> None:
    """Write more words than the question allows, and save."""
    page.get_by_role("textbox").fill("word " * 130)
    page.get_by_role("button", name=re.compile(r"^Save and (next|review)")).click()


PAGES: list[Shown] = [
    # Visitors.
    Shown("welcome", "student.index", "visitor", lambda s: "/"),
    Shown("register", "auth.register", "visitor", lambda s: "/account/register"),
    Shown(
        "register with errors",
        "auth.register",
        "visitor",
        lambda s: "/account/register",
        press("Create account"),
    ),
    Shown("sign in", "auth.login", "visitor", lambda s: "/account/login"),
    Shown(
        "sign in with errors", "auth.login", "visitor", lambda s: "/account/login", press("Sign in")
    ),
    Shown("teacher invitation", "auth.accept_invitation", "visitor", lambda s: s.invitation_path),
    Shown("help for teachers", "help.index", "visitor", lambda s: "/help"),
    Shown(
        "help: question format",
        "help.question_format",
        "visitor",
        lambda s: "/help/question-format",
    ),
    Shown("error 404", None, "visitor", lambda s: "/no-such-page", status=404),
    Shown("LMS launch refused", "lti.login", "visitor", lambda s: "/lti/login", status=400),
    # Students.
    Shown("quiz list with a class assignment", "student.index", "student", lambda s: "/"),
    Shown(
        "quiz list with a join error",
        "student.join_class",
        "student",
        lambda s: "/",
        join_with_a_wrong_code,
    ),
    Shown("question: single choice", "student.question", "student", _question("single_choice")),
    Shown("question: multiple choice", "student.question", "student", _question("multiple_choice")),
    Shown("question: true or false", "student.question", "student", _question("true_false")),
    Shown("question: short answer", "student.question", "student", _question("short_answer")),
    Shown("question: matching", "student.question", "student", _question("matching")),
    Shown("question: ordering", "student.question", "student", _question("ordering")),
    Shown(
        "question with an error",
        "student.question",
        "student",
        _question("ordering"),
        repeat_a_position,
    ),
    Shown(
        "question with a time limit",
        "student.question",
        "student",
        lambda s: f"/attempts/{s.timed_attempt_id}/questions/1",
    ),
    Shown(
        "practice feedback",
        "student.question",
        "student",
        lambda s: f"/attempts/{s.practice_attempt_id}/questions/1",
    ),
    Shown(
        "question: Part A and Part B (select evidence)",
        "student.question",
        "student",
        _reading_question("who-objected"),
    ),
    Shown(
        "question: select evidence in a passage",
        "student.question",
        "student",
        _reading_question("court-evidence"),
    ),
    Shown(
        "question: written response",
        "student.question",
        "student",
        _reading_question("explain-debate"),
    ),
    Shown(
        "question: written response too long",
        "student.question",
        "student",
        _reading_question("explain-debate"),
        write_too_much,
    ),
    Shown(
        "results: evidence marked, waiting for the teacher",
        "student.results",
        "student",
        lambda s: f"/attempts/{s.reading_results_attempt_id}/results",
    ),
    Shown("review", "student.review", "student", lambda s: f"/attempts/{s.open_attempt_id}/review"),
    Shown(
        "results",
        "student.results",
        "student",
        lambda s: f"/attempts/{s.results_attempt_id}/results",
    ),
    Shown(
        "source with highlight",
        "student.source",
        "student",
        lambda s: f"/attempts/{s.results_attempt_id}/sources/report?question=vote-held#evidence-1",
    ),
    Shown(
        "source while answering",
        "student.source",
        "student",
        lambda s: f"/attempts/{s.open_attempt_id}/sources/report",
    ),
    Shown(
        "source with the way back to a Part B",
        "student.source",
        "student",
        lambda s: (
            f"/attempts/{s.reading_results_attempt_id}/sources/report"
            "?question=who-objected-evidence"
        ),
    ),
    Shown(
        "results pending",
        "student.results",
        "student",
        lambda s: f"/attempts/{s.pending_attempt_id}/results",
    ),
    Shown("join link", "student.join_link", "student", lambda s: f"/join/{s.join_code}"),
    Shown("history", "student.history", "student", lambda s: "/history"),
    Shown(
        "LMS assignment landing",
        "lti.assignment",
        "student",
        lambda s: f"/lti/assignments/{s.assignment_id}",
    ),
    Shown("change password", "auth.change_password", "student", lambda s: "/account/password"),
    Shown("error 403", "teacher.dashboard", "student", lambda s: "/teach/", status=403),
    # Teachers.
    Shown("dashboard", "teacher.dashboard", "teacher", lambda s: "/teach/"),
    Shown(
        "dashboard with errors",
        "teacher.create_class",
        "teacher",
        lambda s: "/teach/",
        press("Create class"),
    ),
    Shown("class", "teacher.class_page", "teacher", lambda s: f"/teach/classes/{s.class_id}"),
    Shown(
        "assignment form",
        "teacher.new_assignment",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/assignments/new",
    ),
    Shown(
        "assignment form with errors",
        "teacher.new_assignment",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/assignments/new",
        assign_without_title_or_close_date,
    ),
    Shown(
        "assignment settings",
        "teacher.edit_assignment",
        "teacher",
        lambda s: f"/teach/assignments/{s.assignment_id}/edit",
    ),
    Shown(
        "assignment results",
        "teacher.assignment_page",
        "teacher",
        lambda s: f"/teach/assignments/{s.assignment_id}",
    ),
    Shown(
        "student detail",
        "teacher.student_attempts",
        "teacher",
        lambda s: f"/teach/assignments/{s.assignment_id}/students/{s.student_id}",
    ),
    Shown(
        "item analysis",
        "teacher.item_analysis",
        "teacher",
        lambda s: f"/teach/assignments/{s.assignment_id}/analysis",
    ),
    Shown(
        "item analysis with a heat map",
        "teacher.item_analysis",
        "teacher",
        lambda s: f"/teach/assignments/{s.reading_assignment_id}/analysis",
    ),
    Shown(
        "confirm accepting a typed answer",
        "teacher.scoring.confirm_accept",
        "teacher",
        lambda s: (
            f"/teach/assignments/{s.assignment_id}/questions/which-amendment/"
            "confirm-accept?answer=Amendment+one"
        ),
    ),
    Shown(
        "scoring queue",
        "teacher.scoring.queue",
        "teacher",
        lambda s: f"/teach/assignments/{s.reading_assignment_id}/scoring",
    ),
    Shown(
        "score a written response",
        "teacher.scoring.score",
        "teacher",
        lambda s: f"/teach/assignments/{s.reading_assignment_id}/scoring/{s.written_response_id}",
    ),
    Shown(
        "score a written response with errors",
        "teacher.scoring.score",
        "teacher",
        lambda s: f"/teach/assignments/{s.reading_assignment_id}/scoring/{s.written_response_id}",
        press("Save the score"),
        status=422,
    ),
    Shown(
        "add students",
        "teacher.add_students",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/students/new",
    ),
    Shown(
        "add students with errors",
        "teacher.add_students",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/students/new",
        paste_a_roster("First Name,Last Name\n,\n"),
        status=422,
    ),
    Shown(
        "login cards",
        "teacher.add_students",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/students/new",
        paste_a_roster("Garcia, Ana Lucía\nChidi Okafor"),
    ),
    Shown(
        "projector",
        "teacher.projector",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/projector",
    ),
    Shown(
        "class settings",
        "teacher.manage.class_settings",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/settings",
    ),
    Shown(
        "class settings with errors",
        "teacher.manage.class_settings",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/settings",
        clear_the_class_name,
    ),
    Shown(
        "confirm removing a student",
        "teacher.manage.confirm_remove_student",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/students/{s.student_id}/confirm-removal",
    ),
    Shown(
        "confirm deleting a class",
        "teacher.manage.delete_class",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/delete",
    ),
    Shown(
        "confirm deleting a class, box not ticked",
        "teacher.manage.delete_class",
        "teacher",
        lambda s: f"/teach/classes/{s.class_id}/delete",
        press("Delete the class"),
        status=422,
    ),
    Shown(
        "confirm deleting an assignment",
        "teacher.manage.delete_assignment",
        "teacher",
        lambda s: f"/teach/assignments/{s.assignment_id}/delete",
    ),
    Shown(
        "set settings",
        "teacher.manage.set_settings",
        "teacher",
        lambda s: f"/teach/sets/{s.own_set}/settings",
    ),
    Shown(
        "confirm deleting a set",
        "teacher.manage.delete_set",
        "teacher",
        lambda s: f"/teach/sets/{s.own_set}/delete",
    ),
    Shown("upload", "teacher.upload", "teacher", lambda s: "/teach/upload"),
    Shown(
        "upload with errors",
        "teacher.upload",
        "teacher",
        lambda s: "/teach/upload",
        upload_a_broken_file,
        status=422,
    ),
    Shown(
        "preview", "teacher.preview_upload", "teacher", lambda s: f"/teach/uploads/{s.upload_id}"
    ),
    Shown("set", "teacher.set_page", "teacher", lambda s: f"/teach/sets/{BROWSER_SET}"),
    Shown(
        "print quiz",
        "teacher.print_quiz",
        "teacher",
        lambda s: f"/teach/sets/{BROWSER_SET}/versions/1/print",
    ),
    Shown(
        "answer key",
        "teacher.print_answer_key",
        "teacher",
        lambda s: f"/teach/sets/{BROWSER_SET}/versions/1/answer-key",
    ),
    Shown(
        "print quiz: reading types and sources",
        "teacher.print_quiz",
        "teacher",
        lambda s: f"/teach/sets/{READING_SET}/versions/1/print",
    ),
    Shown(
        "answer key: reading types",
        "teacher.print_answer_key",
        "teacher",
        lambda s: f"/teach/sets/{READING_SET}/versions/1/answer-key",
    ),
    Shown(
        "story intake", "teacher.articles.new_article", "teacher", lambda s: "/teach/articles/new"
    ),
    Shown(
        "story intake with an empty article",
        "teacher.articles.new_article",
        "teacher",
        lambda s: "/teach/articles/new",
        press("Make draft questions"),
        status=422,
    ),
    Shown(
        "story intake shown as paragraphs",
        "teacher.articles.new_article",
        "teacher",
        lambda s: "/teach/articles/new",
        paste_a_story,
    ),
    Shown(
        "draft review",
        "teacher.articles.review",
        "teacher",
        lambda s: f"/teach/drafts/{s.article_draft_id}/review",
    ),
    Shown("invite", "teacher.invite", "teacher", lambda s: "/teach/invitations"),
    Shown("LMS setup", "lti.setup", "teacher", lambda s: "/lti/setup"),
    Shown(
        "LMS setup with errors",
        "lti.add_platform",
        "teacher",
        lambda s: "/lti/setup",
        press("Register platform"),
    ),
    Shown(
        "invite with a link",
        "teacher.invite",
        "teacher",
        lambda s: "/teach/invitations",
        press("Make an invitation link"),
    ),
]

# The browser editor's pages, listed in a module of their own (it builds on Shown and press).
from .editor_pages import EDITOR_PAGES  # noqa: E402

PAGES += EDITOR_PAGES


def show(page: Page, shown: Shown, scene: Scene) -> Response:
    """Open the page and do what the entry says; the response of the document shown."""
    response = page.goto(shown.path(scene))
    if shown.then is not None:
        with page.expect_navigation() as navigation:
            shown.then(page)
        response = navigation.value
    assert response is not None, shown.name
    assert response.status == shown.status, f"{shown.name}: {response.status}"
    return response
