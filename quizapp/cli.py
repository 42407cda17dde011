"""flask commands: init-db, import-questions and create-teacher."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .domain.errors import QuestionSetError
from .domain.loader import load_question_set_file
from .services import accounts, question_sets
from .services.schema import create_schema


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema, then import every set in questions/."""
    create_schema()
    folder = Path(current_app.config["QUESTIONS_DIR"])
    try:
        results = question_sets.import_shipped_sets(folder)
    except QuestionSetError as error:
        for issue in error.issues:
            click.echo(str(issue), err=True)
        raise click.ClickException(
            f"{len(error.issues)} problem(s) in {folder}; nothing imported"
        ) from None
    for result in results:
        state = "imported" if result.created else "unchanged"
        click.echo(f"{result.version.title}: version {result.version.number} {state}")
    click.echo("Database ready.")


@click.command("import-questions")
@with_appcontext
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def import_questions_command(paths: tuple[Path, ...]) -> None:
    """Import question-set files; print every error and import nothing if any file is invalid."""
    contents = []
    problems = 0
    for path in paths:
        try:
            contents.append(load_question_set_file(path))
        except QuestionSetError as error:
            problems += len(error.issues)
            for issue in error.issues:
                click.echo(str(issue), err=True)
    if problems:
        raise click.ClickException(f"{problems} problem(s) found; nothing was imported")
    for content in contents:
        try:
            result = question_sets.import_question_set(content)
        except QuestionSetError as error:
            raise click.ClickException(str(error)) from None
        state = "new version" if result.created else "unchanged"
        click.echo(f"{content.id}: version {result.version.number} ({state})")


@click.command("create-teacher")
@with_appcontext
@click.argument("username")
@click.option("--display-name", default="", help="The name students see.")
def create_teacher_command(username: str, display_name: str) -> None:
    """Create a teacher account and print its one-time password."""
    try:
        created = accounts.create_teacher(username, display_name)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Teacher '{created.user.username}' created.")
    click.echo(f"One-time password: {created.one_time_password}")
    click.echo("It must be changed at the first sign-in.")


def init_app(app: Flask) -> None:
    """Register the commands with the app."""
    for command in (init_db_command, import_questions_command, create_teacher_command):
        app.cli.add_command(command)
