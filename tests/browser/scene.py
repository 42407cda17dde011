"""The scene the browser tests look at, set over HTTP: accounts, a class, assignments, attempts.

Setting it up through the app's own forms (with CSRF tokens) is quick and needs no browser; the
tests then open the pages in Chromium with the same sign-in cookies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import requests
import sqlalchemy as sa
from helpers.factories import make_user
from helpers.forms import CSRF_PATTERN
from helpers.quiz import correct_form_data, form_data, presented
from helpers.settings import PASSWORD, SETS
from helpers.teacher import join_code, version_id

from quizapp.extensions import db
from quizapp.models import Attempt, Response, User

from .editor_scene import EditorScene, build_editor_scene

if TYPE_CHECKING:
    from .conftest import AppServer

DATA = Path(__file__).resolve().parent / "data"
#: A teacher's own set to upload, and the source text its quotes come from.
UPLOAD_SET = DATA / "curfew-review.yaml"
UPLOAD_SOURCE = SETS / "sources" / "town-meeting.txt"
CORPUS_ARTICLE = DATA.parent.parent / "data" / "articles" / "voa-guinea-term-limits.txt"
#: The slug of the set imported for the browser tests (tests/browser/data/curfew-report.yaml).
BROWSER_SET = "curfew-report"
#: The set of the reading types (tests/browser/data/reading-report.yaml).
READING_SET = "reading-report"
#: Its pages: the Part A/B pair, the evidence question on a passage, the written response.
READING_PAGES = 3
CLASS_TIME_ZONE = "America/Chicago"
ATTEMPT_IN_PATH = re.compile(r"/attempts/(\d+)/")
LAST_NUMBER = re.compile(r"/(\d+)$")
ONE_TIME_PASSWORD = re.compile(r"One-time password: (\S+)")
INVITATION_LINK = re.compile(r'value="https?://[^/"]+(/account/invite/[^"]+)"')


@dataclass(frozen=True)
class Account:
    """Someone who can sign in, with the cookies of a signed-in session."""

    username: str
    password: str
    cookies: list[dict[str, str]]


class Visitor:
    """One person's cookies against the server, sending the app's forms like a browser."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    @classmethod
    def signed_in(cls, base_url: str, account: Account) -> Visitor:
        """A visitor carrying an account's sign-in cookies."""
        visitor = cls(base_url)
        for cookie in account.cookies:
            visitor.session.cookies.set(cookie["name"], cookie["value"])
        return visitor

    def get(self, path: str, expect: int = 200) -> requests.Response:
        """GET a page, without following redirects."""
        response = self.session.get(self.base_url + path, allow_redirects=False, timeout=30)
        assert response.status_code == expect, f"GET {path}: {response.status_code}"
        return response

    def post(
        self,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        page: str | None = None,
        files: list[tuple[str, tuple[str, bytes]]] | None = None,
        expect: int = 302,
    ) -> requests.Response:
        """Send a form with the CSRF token of ``page`` (default: the form's own URL)."""
        token = CSRF_PATTERN.search(self.get(page or path).text)
        assert token, f"no CSRF token on {page or path}"
        response = self.session.post(
            self.base_url + path,
            data={"csrf_token": token.group(1), **(data or {})},
            files=files,
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == expect, f"POST {path}: {response.status_code}"
        return response

    def account(self, username: str, password: str = PASSWORD) -> Account:
        """This visitor's sign-in, for a browser context (its pending messages shown first)."""
        self.get("/")
        cookies = [{"name": c.name, "value": c.value or ""} for c in self.session.cookies]
        return Account(username, password, cookies)


def location_number(response: requests.Response) -> int:
    """The id at the end of a redirect's Location (/teach/classes/3 -> 3)."""
    match = LAST_NUMBER.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def location_attempt(response: requests.Response) -> int:
    """The attempt id in a redirect to one of its pages."""
    match = ATTEMPT_IN_PATH.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def one_time_password(server: AppServer, username: str, display_name: str = "") -> str:
    """``flask create-teacher``, as an administrator runs it; the password it prints."""
    output = server.flask("create-teacher", username, "--display-name", display_name)
    match = ONE_TIME_PASSWORD.search(output)
    assert match, output
    return match.group(1)


def register(server: AppServer, username: str, display_name: str = "") -> Visitor:
    """A new student account, signed in."""
    student = Visitor(server.url)
    account = {
        "username": username,
        "display_name": display_name,
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    student.post("/account/register", account)
    return student


def existing_student(server: AppServer, username: str, display_name: str = "") -> Visitor:
    """A student account made by the factory (not the sign-up form), signed in."""
    make_user(server.app, username, display_name=display_name)
    student = Visitor(server.url)
    student.post("/account/login", {"username": username, "password": PASSWORD})
    return student


def user_id(server: AppServer, username: str) -> int:
    """The id of the account ``username``."""
    with server.app.app_context():
        found: int = db.session.scalar(sa.select(User.id).where(User.username == username))
        return found


def teacher(server: AppServer, username: str, display_name: str = "") -> Visitor:
    """A teacher from ``flask create-teacher``, signed in with a password of their own."""
    web = Visitor(server.url)
    first = one_time_password(server, username, display_name)
    web.post("/account/login", {"username": username, "password": first})
    new = {"current_password": first, "new_password": PASSWORD, "confirm": PASSWORD}
    web.post("/account/password", new)
    return web


def create_class(web: Visitor, name: str, time_zone: str = CLASS_TIME_ZONE) -> int:
    """A class made on the dashboard; its id."""
    created = web.post("/teach/classes", {"name": name, "time_zone": time_zone}, page="/teach/")
    return location_number(created)


def create_assignment(web: Visitor, class_id: int, version: int, **settings: Any) -> int:
    """An assignment made with the form (a test, results on submission, by default); its id."""
    data = {
        "title": "Curfew report quiz",
        "version_id": version,
        "mode": "test",
        "results_release": "on_submit",
        "counting": "best",
        **settings,
    }
    return location_number(web.post(f"/teach/classes/{class_id}/assignments/new", data))


def local_input(delta: timedelta, time_zone: str = CLASS_TIME_ZONE) -> str:
    """A datetime-local value this far from now, in the class's time zone."""
    return (datetime.now(ZoneInfo(time_zone)) + delta).strftime("%Y-%m-%dT%H:%M")


def start_assignment(student: Visitor, assignment_id: int) -> int:
    """Start an assignment from the quiz list; the attempt id."""
    return location_attempt(student.post(f"/assignments/{assignment_id}/start", page="/"))


def answer(
    server: AppServer, student: Visitor, attempt_id: int, number: int, how: str = "right"
) -> None:
    """Answer one question right, or half right (``partly``: a multiple-choice question) or
    wrong (``wrong``: a true/false question), and save it."""
    shown = presented(server.app, attempt_id, number)
    question = shown.question
    data = correct_form_data(shown)
    if how == "partly":
        assert question.type == "multiple_choice"
        data = form_data(shown, list(question.answer)[:1])
    elif how == "wrong":
        assert question.type == "true_false"
        data = form_data(shown, not question.answer)
    student.post(f"/attempts/{attempt_id}/questions/{number}", {**data, "nav": "next"})


def answer_all(server: AppServer, student: Visitor, attempt_id: int, count: int) -> None:
    """Answer every question right."""
    for number in range(1, count + 1):
        answer(server, student, attempt_id, number)


def submit(student: Visitor, attempt_id: int) -> None:
    """Submit from the review page."""
    student.post(f"/attempts/{attempt_id}/submit", page=f"/attempts/{attempt_id}/review")


def numbers_by_type(server: AppServer, attempt_id: int, count: int) -> dict[str, int]:
    """Which question number of an attempt has which type (the order is shuffled)."""
    return {presented(server.app, attempt_id, n).question.type: n for n in range(1, count + 1)}


def page_numbers(server: AppServer, attempt_id: int, count: int) -> dict[str, int]:
    """Which page of an attempt shows which question (a Part B is on its Part A's page)."""
    numbers = {}
    for number in range(1, count + 1):
        shown = presented(server.app, attempt_id, number)
        numbers[shown.question.id] = number
        if shown.part_b is not None:
            numbers[shown.part_b.question.id] = number
    return numbers


def take_the_reading_set(server: AppServer, student: Visitor, attempt_id: int) -> None:
    """Part A right with its evidence, one of two court sentences, a written response."""
    numbers = page_numbers(server, attempt_id, READING_PAGES)
    pair = presented(server.app, attempt_id, numbers["who-objected"])
    assert pair.part_b is not None
    right_b = correct_form_data(pair.part_b)["answer"]
    student.post(
        f"/attempts/{attempt_id}/questions/{numbers['who-objected']}",
        {**correct_form_data(pair), "part_b-answer": right_b, "nav": "next"},
    )
    court = presented(server.app, attempt_id, numbers["court-evidence"])
    student.post(
        f"/attempts/{attempt_id}/questions/{numbers['court-evidence']}",
        {"answer": correct_form_data(court)["answer"][:1], "nav": "next"},
    )
    student.post(
        f"/attempts/{attempt_id}/questions/{numbers['explain-debate']}",
        {
            "answer": "A curfew could stop a peaceful protest in the evening, which the "
            "First Amendment protects.",
            "cited": ["30"],
            "nav": "next",
        },
    )


def upload_files(set_file: Path, *sources: Path) -> list[tuple[str, tuple[str, bytes]]]:
    """The upload form's files: the set file, then its sources."""
    files = [("question_file", (set_file.name, set_file.read_bytes()))]
    files += [("source_files", (source.name, source.read_bytes())) for source in sources]
    return files


@dataclass(frozen=True)
class Scene:
    """Everything the page checks look at, as ids and accounts."""

    teacher: Account
    student: Account
    student_id: int
    class_id: int
    join_code: str
    version_id: int
    #: A test whose results show on submission; the student submitted an attempt.
    assignment_id: int
    results_attempt_id: int
    #: A test whose results wait for the close date; the student submitted an attempt.
    pending_attempt_id: int
    #: A practice assignment whose first question is answered (feedback shown).
    practice_attempt_id: int
    #: A 30-minute assignment, started.
    timed_attempt_id: int
    #: Free practice on the browser set, in progress; number of each question type.
    open_attempt_id: int
    open_numbers: dict[str, int]
    #: A teacher's upload waiting on its preview.
    upload_id: int
    #: The slug of a set the teacher uploaded and published (same file as the upload).
    own_set: str
    invitation_path: str
    #: Free practice on the reading set, in progress; the page number of each question id.
    reading_attempt_id: int
    reading_numbers: dict[str, int]
    #: An assignment of the reading set, submitted: evidence marked, a response to score.
    reading_results_attempt_id: int
    #: The teacher's drafts in the browser editor.
    editor: EditorScene
    #: A draft set made from a corpus article, its drafts waiting for review.
    article_draft_id: int
    #: That assignment, and its written response waiting in the teacher's scoring queue.
    reading_assignment_id: int = 0
    written_response_id: int = 0


QUESTIONS = 6


def build_scene(server: AppServer) -> Scene:
    """A teacher with a class and assignments, and a student with attempts in every state."""
    lee = teacher(server, "ms-lee", "Ms Lee")
    class_id = create_class(lee, "Civics 9B")
    version = version_id(server.app, BROWSER_SET)
    sam = register(server, "sam", "Sam Rivera")
    code = join_code(server.app, class_id)
    sam.post("/classes/join", {"code": code}, page="/")
    # Free practice first: once the set is a test in Sam's class, it cannot start.
    open_attempt = location_attempt(sam.post(f"/quizzes/{BROWSER_SET}/start", page="/"))
    answer(server, sam, open_attempt, 1)

    assignment_id = create_assignment(lee, class_id, version, title="Curfew report quiz")
    later_id = create_assignment(
        lee,
        class_id,
        version,
        title="Curfew report: end-of-unit test",
        results_release="after_close",
        closes_at=local_input(timedelta(days=7)),
    )
    practice_id = create_assignment(
        lee, class_id, version, title="Curfew report practice", mode="practice"
    )
    timed_id = create_assignment(
        lee, class_id, version, title="Curfew report, timed", time_limit_minutes="30"
    )

    # Results with every outcome: right, partly right, wrong, and not answered (the ordering).
    results_attempt = start_assignment(sam, assignment_id)
    outcomes = {"multiple_choice": "partly", "true_false": "wrong", "ordering": ""}
    for kind, number in numbers_by_type(server, results_attempt, QUESTIONS).items():
        if how := outcomes.get(kind, "right"):
            answer(server, sam, results_attempt, number, how)
    submit(sam, results_attempt)

    pending_attempt = start_assignment(sam, later_id)
    answer_all(server, sam, pending_attempt, QUESTIONS)
    submit(sam, pending_attempt)

    practice_attempt = start_assignment(sam, practice_id)
    shown = presented(server.app, practice_attempt, 1)
    sam.post(f"/attempts/{practice_attempt}/questions/1", correct_form_data(shown))

    timed_attempt = start_assignment(sam, timed_id)

    # A student removed from the class, whom the class page offers to let back in (made
    # without the sign-up form, whose limit per address the other tests need).
    existing_student(server, "rosa", "Rosa Diaz").post("/classes/join", {"code": code}, page="/")
    rosa_id = user_id(server, "rosa")
    lee.post(
        f"/teach/classes/{class_id}/students/{rosa_id}/remove", page=f"/teach/classes/{class_id}"
    )

    files = upload_files(UPLOAD_SET, UPLOAD_SOURCE)
    upload_id = location_number(lee.post("/teach/upload", files=files))
    # The same set under an id of its own, published (the journey tests publish curfew-review).
    own_file = UPLOAD_SET.read_bytes().replace(b"id: curfew-review", b"id: ms-lee-review")
    own_files = [("question_file", ("ms-lee-review.yaml", own_file)), *files[1:]]
    published = location_number(lee.post("/teach/upload", files=own_files))
    own_set = lee.post(f"/teach/uploads/{published}/publish", page=f"/teach/uploads/{published}")
    invitation = INVITATION_LINK.search(lee.post("/teach/invitations", expect=200).text)
    assert invitation, "no invitation link"

    # Practice mode: a test of the set would hold back the free practice below until it closes.
    reading_id = create_assignment(
        lee,
        class_id,
        version_id(server.app, READING_SET),
        title="Reading for evidence",
        mode="practice",
    )
    reading_results = start_assignment(sam, reading_id)
    take_the_reading_set(server, sam, reading_results)
    submit(sam, reading_results)
    reading_attempt = location_attempt(sam.post(f"/quizzes/{READING_SET}/start", page="/"))

    article = {"text": CORPUS_ARTICLE.read_text(encoding="utf-8"), "action": "draft"}
    drafted = lee.post("/teach/articles/new", {**article, "title": "Guinea debates term limits"})
    article_draft = int(drafted.headers["Location"].rsplit("/", 2)[1])

    with server.app.app_context():
        student_id = db.session.get(Attempt, results_attempt).user_id
        written_id = db.session.scalar(
            sa.select(Response.id).where(
                Response.attempt_id == reading_results, Response.question_id == "explain-debate"
            )
        )
    return Scene(
        teacher=lee.account("ms-lee"),
        student=sam.account("sam"),
        student_id=student_id,
        class_id=class_id,
        join_code=code,
        version_id=version,
        assignment_id=assignment_id,
        results_attempt_id=results_attempt,
        pending_attempt_id=pending_attempt,
        practice_attempt_id=practice_attempt,
        timed_attempt_id=timed_attempt,
        open_attempt_id=open_attempt,
        open_numbers=numbers_by_type(server, open_attempt, QUESTIONS),
        upload_id=upload_id,
        own_set=own_set.headers["Location"].rsplit("/", 1)[1],
        invitation_path=invitation.group(1),
        reading_attempt_id=reading_attempt,
        reading_numbers=page_numbers(server, reading_attempt, READING_PAGES),
        reading_results_attempt_id=reading_results,
        editor=build_editor_scene(lee),
        article_draft_id=article_draft,
        reading_assignment_id=reading_id,
        written_response_id=written_id,
    )
