"""The assignment rules and access live in the service: callers other than the form (the CLI,
an editor, LTI) get the same refusals as the teacher pages."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from helpers.settings import SETS

from quizapp.domain.loader import load_question_set_file
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Classroom,
    Counting,
    Mode,
    QuestionSetVersion,
    ResultsRelease,
    User,
)
from quizapp.services import assignments, classes, question_sets
from quizapp.services.assignments import AssignmentError, AssignmentSettings

MONDAY = datetime(2026, 3, 9, 9, tzinfo=UTC)
FRIDAY = datetime(2026, 3, 13, 17, tzinfo=UTC)


@pytest.fixture
def teachers(app, create_user):
    """Two teachers, each with a class; the first also owns an uploaded set."""
    ana = create_user("ana", role="teacher")
    ben = create_user("ben", role="teacher")
    with app.app_context():
        content = load_question_set_file(SETS / "civics-mini.yaml")
        private = dataclasses.replace(content, id="ana-private-set")
        private_version = question_sets.import_question_set(private, owner_id=ana.id).version
        shipped = question_sets.latest_version_of("civics-mini", shipped_only=True)
        assert shipped is not None
        yield {
            "ana": ana,
            "ben": ben,
            "ana_class": new_class(ana, "Civics 1"),
            "ben_class": new_class(ben, "Civics 2"),
            "private_version_id": private_version.id,
            "shipped_version_id": shipped.id,
        }


def new_class(teacher: User, name: str) -> Classroom:
    """A class of ``teacher``, as the row the assignment services take."""
    created = classes.create_class(teacher, name, "UTC")
    classroom = db.session.get(Classroom, created.id)
    assert classroom is not None
    return classroom


def assignment_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Assignment.id))) or 0


def test_a_foreign_version_id_is_refused_by_the_service(teachers):
    settings = AssignmentSettings(title="Borrowed", version_id=teachers["private_version_id"])
    with pytest.raises(AssignmentError) as refused:
        assignments.create_assignment(teachers["ben"], teachers["ben_class"], settings)
    assert [problem.setting for problem in refused.value.problems] == ["version_id"]
    assert assignment_count() == 0


def test_a_version_id_that_does_not_exist_is_refused(teachers):
    settings = AssignmentSettings(title="Nothing", version_id=10**9)
    with pytest.raises(AssignmentError):
        assignments.create_assignment(teachers["ana"], teachers["ana_class"], settings)
    assert assignment_count() == 0


def test_another_teachers_class_is_refused(teachers):
    settings = AssignmentSettings(title="Not mine", version_id=teachers["shipped_version_id"])
    with pytest.raises(AssignmentError):
        assignments.create_assignment(teachers["ana"], teachers["ben_class"], settings)
    assert assignment_count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"opens_at": FRIDAY, "closes_at": MONDAY},
            "The close date must be after the open date.",
        ),
        (
            {"opens_at": MONDAY, "closes_at": MONDAY},
            "The close date must be after the open date.",
        ),
        (
            {"results_release": ResultsRelease.AFTER_CLOSE},
            "Set a close date to release the results after it.",
        ),
    ],
)
def test_the_date_and_release_rules_are_checked_by_the_service(teachers, changes, message):
    settings = AssignmentSettings(
        title="Dates", version_id=teachers["shipped_version_id"], **changes
    )
    with pytest.raises(AssignmentError) as refused:
        assignments.create_assignment(teachers["ana"], teachers["ana_class"], settings)
    assert [(p.setting, p.message) for p in refused.value.problems] == [("closes_at", message)]
    assert assignment_count() == 0


def test_the_default_settings_mean_a_test_with_unlimited_attempts(teachers):
    settings = AssignmentSettings(title="Defaults", version_id=teachers["shipped_version_id"])
    created = assignments.create_assignment(teachers["ana"], teachers["ana_class"], settings)
    stored = db.session.get(Assignment, created.id)
    assert stored is not None
    assert stored.attempts_allowed is None
    assert (stored.mode, stored.results_release, stored.counting) == (
        Mode.TEST,
        ResultsRelease.ON_SUBMIT,
        Counting.BEST,
    )


def test_an_assignment_cannot_switch_to_a_version_of_another_set(teachers):
    mine = AssignmentSettings(title="Mine", version_id=teachers["shipped_version_id"])
    created = assignments.create_assignment(teachers["ana"], teachers["ana_class"], mine)
    stored = db.session.get(Assignment, created.id)
    other_set = dataclasses.replace(mine, version_id=teachers["private_version_id"])
    with pytest.raises(AssignmentError):
        assignments.update_assignment(teachers["ana"], stored, other_set)
    with pytest.raises(AssignmentError):
        assignments.update_assignment(teachers["ben"], stored, mine)
    db.session.expire_all()
    assert db.session.get(Assignment, created.id).version_id == teachers["shipped_version_id"]


def test_the_services_refusals_are_in_the_teachers_language(app, teachers):
    settings = AssignmentSettings(
        title="Fechas",
        version_id=10**9,
        opens_at=FRIDAY,
        closes_at=MONDAY,
    )
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        with pytest.raises(AssignmentError) as refused:
            assignments.create_assignment(teachers["ana"], teachers["ana_class"], settings)
        with pytest.raises(AssignmentError) as foreign:
            assignments.create_assignment(teachers["ana"], teachers["ben_class"], settings)
    assert [p.message for p in refused.value.problems] == [
        "Elige uno de los conjuntos de preguntas de la lista.",
        "La fecha de cierre debe ser posterior a la de apertura.",
    ]
    assert [p.message for p in foreign.value.problems] == ["Esa clase no es tuya."]


def test_a_draw_of_more_questions_than_the_set_has_is_refused(teachers):
    """No card may promise 50 questions of a set that has 6, on creating or on editing."""
    every = db.session.get(QuestionSetVersion, teachers["shipped_version_id"]).item_total
    ana, ana_class = teachers["ana"], teachers["ana_class"]
    too_many = AssignmentSettings(
        title="All of it", version_id=teachers["shipped_version_id"], question_count=every + 1
    )
    with pytest.raises(AssignmentError) as refused:
        assignments.create_assignment(ana, ana_class, too_many)
    [problem] = refused.value.problems
    assert problem.setting == "question_count"
    assert problem.message == (
        f"This set has {every} questions. Leave the number empty to give all of them, or choose"
        f" {every} or fewer."
    )
    assert assignment_count() == 0

    exactly = dataclasses.replace(too_many, question_count=every)
    created = assignments.create_assignment(ana, ana_class, exactly)
    row = db.session.get(Assignment, created.id)
    with pytest.raises(AssignmentError):
        assignments.update_assignment(ana, row, too_many)
    assert db.session.get(Assignment, created.id).question_count == every


def test_a_draw_saved_before_the_rule_does_not_block_other_changes(teachers):
    ana, ana_class = teachers["ana"], teachers["ana_class"]
    settings = AssignmentSettings(title="Old", version_id=teachers["shipped_version_id"])
    created = assignments.create_assignment(ana, ana_class, settings)
    with db.session.begin_nested():
        db.session.get(Assignment, created.id).question_count = 50  # saved before the rule
    db.session.commit()
    row = db.session.get(Assignment, created.id)
    later = dataclasses.replace(settings, question_count=50, closes_at=FRIDAY)
    assignments.update_assignment(ana, row, later)  # moving the due date is not refused
    assert db.session.get(Assignment, created.id).closes_at == FRIDAY
    with pytest.raises(AssignmentError):  # but a new draw is held to the rule
        assignments.update_assignment(ana, row, dataclasses.replace(later, question_count=40))
