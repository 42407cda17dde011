"""flask commands: init-db, import-questions, create-teacher."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa
from helpers.settings import DATA, SETS, app_settings

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import QuestionSetVersion, User


def versions(app) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(QuestionSetVersion.title, QuestionSetVersion.number)
        ).all()
        return sorted((title, number) for title, number in rows)


def test_init_db_creates_schema_and_imports_every_set(tmp_path):
    app = create_app(app_settings(tmp_path / "fresh" / "new.sqlite3", tmp_path))
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Database ready." in result.output
    assert "version 1 imported" in result.output
    again = app.test_cli_runner().invoke(args=["init-db"])
    assert "version 1 unchanged" in again.output
    assert versions(app) == [("Town curfew: a practice set", 1)]
    with app.app_context():
        db.engine.dispose()


def test_import_questions_reports_every_error_and_imports_nothing(runner, app):
    before = versions(app)
    broken = sorted((DATA / "broken").glob("*.yaml"))[:3]
    result = runner.invoke(
        args=["import-questions", str(SETS / "civics-mini.yaml"), *map(str, broken)]
    )
    assert result.exit_code != 0
    for path in broken:
        assert path.name in result.output
    assert "nothing was imported" in result.output
    assert versions(app) == before


def test_import_questions_makes_a_new_version_only_when_the_file_changed(runner, app, tmp_path):
    copy = tmp_path / "set"
    shutil.copytree(SETS, copy)
    path = copy / "civics-mini.yaml"
    unchanged = runner.invoke(args=["import-questions", str(path)])
    assert unchanged.exit_code == 0, unchanged.output
    assert "version 1 (unchanged)" in unchanged.output
    path.write_text(
        path.read_text(encoding="utf-8").replace("Who said every", "Which person said every"),
        encoding="utf-8",
    )
    changed = runner.invoke(args=["import-questions", str(path)])
    assert "version 2 (new version)" in changed.output
    assert versions(app) == [("Town curfew: a practice set", 1), ("Town curfew: a practice set", 2)]


def test_create_teacher_prints_a_one_time_password(runner, app):
    result = runner.invoke(args=["create-teacher", "ms-lopez", "--display-name", "Ms Lopez"])
    assert result.exit_code == 0, result.output
    assert "One-time password:" in result.output
    with app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.username == "ms-lopez"))
        assert teacher.role == "teacher"
        assert teacher.must_change_password
    duplicate = runner.invoke(args=["create-teacher", "ms-lopez"])
    assert duplicate.exit_code != 0
    assert "taken" in duplicate.output


def test_teacher_must_change_the_one_time_password(runner, client):
    output = runner.invoke(args=["create-teacher", "mr-diaz"]).output
    one_time = output.split("One-time password: ")[1].split()[0]
    from helpers.forms import post_form

    response = post_form(client, "/account/login", {"username": "mr-diaz", "password": one_time})
    assert response.headers["Location"].endswith("/account/password")


def test_shipped_question_files_all_validate(tmp_path):
    """Every file in questions/ imports, with evidence required (a shipped set's rule)."""
    from quizapp.domain.loader import load_question_set_file
    from quizapp.services.question_sets import question_set_files

    shipped = question_set_files(Path(__file__).resolve().parent.parent / "questions")
    assert shipped, "questions/ holds no question set"
    for path in shipped:
        loaded = load_question_set_file(path, require_evidence=True)
        assert len(loaded.questions) >= 12
        assert {q.type for q in loaded.questions} >= {
            "single_choice",
            "multiple_choice",
            "true_false",
            "short_answer",
            "matching",
            "ordering",
        }


def test_import_questions_takes_gift_with_a_source_and_export_round_trips(runner, app, tmp_path):
    gift = tmp_path / "quiz.gift"
    gift.write_text("::vote::The council has already voted. {F}\n", encoding="utf-8")
    source = tmp_path / "notes.txt"
    source.write_text("The council will vote next month.", encoding="utf-8")
    result = runner.invoke(args=["import-questions", str(gift), "--source", str(source)])
    assert result.exit_code == 0, result.output
    assert "quiz: version 1 (new version)" in result.output
    assert "has no evidence quote" in result.output

    exported = tmp_path / "mini.yaml"
    result = runner.invoke(args=["export-questions", "civics-mini", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["import-questions", str(exported)])
    assert "civics-mini: version 1 (unchanged)" in again.output
    assert runner.invoke(args=["export-questions", "no-such-set"]).exit_code != 0
