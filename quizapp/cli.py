"""flask commands: init-db, import-questions, export-questions, create-teacher, reset-password,
backup, quotes, draft-questions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import yaml
from flask import Flask, current_app
from flask.cli import with_appcontext

from .database import BackupError, backup_database
from .domain.errors import QuestionSetError
from .domain.formats import parse_upload
from .domain.formats.images import ImageFile
from .domain.loader import load_question_set_file
from .domain.model import QuestionSet
from .domain.warnings import summarize_warnings
from .services import accounts, drafts, exports, question_sets
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
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A source text (.txt or .md) for CSV, GIFT, Aiken or Moodle XML files; may be repeated.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid questions of each file and skip (and list) those with errors.",
)
def import_questions_command(
    paths: tuple[Path, ...], sources: tuple[Path, ...], skip_invalid: bool
) -> None:
    """Import set files in any upload format; print every error, import nothing if any fails
    (with --skip-invalid, only a file with no valid question, or a problem of the whole set,
    fails)."""
    contents, images = [], []
    problems = 0
    source_texts = {path.name: path.read_text(encoding="utf-8-sig") for path in sources}
    for path in paths:
        try:
            content, set_images = _load_for_import(path, source_texts, skip_invalid)
            contents.append(content)
            images.append(set_images)
        except QuestionSetError as error:
            problems += len(error.issues)
            for issue in error.issues:
                click.echo(str(issue), err=True)
            for warning in error.warnings:
                click.echo(f"warning: {warning}", err=True)
            if error.valid_questions and not skip_invalid:
                click.echo(
                    f"{path.name}: {error.valid_questions:,} questions are valid; run again with "
                    f"--skip-invalid to import them and skip the {error.invalid_questions:,} "
                    "with errors",
                    err=True,
                )
    if problems:
        raise click.ClickException(f"{problems} problem(s) found; nothing was imported")
    try:
        results = question_sets.import_question_sets(contents, images=images)
    except QuestionSetError as error:
        raise click.ClickException(f"{error}; nothing was imported") from None
    for content, result in zip(contents, results, strict=True):
        state = "new version" if result.created else "unchanged"
        click.echo(f"{content.id}: version {result.version.number} ({state})")


def _load_for_import(
    path: Path, sources: dict[str, str], skip_invalid: bool
) -> tuple[QuestionSet, dict[str, ImageFile]]:
    """A native file reads its sources beside it; other formats use the --source files (and a
    Moodle XML file carries its images)."""
    if path.suffix.lower() in question_sets.NATIVE_SUFFIXES and not skip_invalid:
        return load_question_set_file(path), {}
    if path.suffix.lower() in question_sets.NATIVE_SUFFIXES:
        sources = {**_sources_beside(path), **sources}
    parsed = parse_upload(path.name, path.read_bytes(), sources=sources, skip_invalid=skip_invalid)
    for issue in parsed.skipped:
        click.echo(f"skipped: {issue}", err=True)
    if parsed.skipped_count:
        click.echo(
            f"{path.name}: skipped {parsed.skipped_count:,} questions with errors; importing "
            f"the {len(parsed.question_set.questions):,} valid ones",
            err=True,
        )
    for line in summarize_warnings(parsed.warnings):
        click.echo(f"warning: {line}", err=True)
    return parsed.question_set, parsed.images


def _sources_beside(path: Path) -> dict[str, str]:
    """The text files in a native set's folder (and its sources/ folder), by name: what its
    ``file:`` sources name, read the way an upload's sources are."""
    texts: dict[str, str] = {}
    for folder in (path.parent, path.parent / "sources"):
        for candidate in sorted(folder.glob("*")):
            if candidate.suffix.lower() in (".txt", ".md") and candidate.is_file():
                texts.setdefault(candidate.name, candidate.read_text(encoding="utf-8-sig"))
    return texts


@click.command("export-questions")
@with_appcontext
@click.argument("slug")
@click.option("--version", "number", type=int, help="The version to export (default: the newest).")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
def export_questions_command(slug: str, number: int | None, output: Path | None) -> None:
    """Write a set as native YAML (to stdout or --output); it imports back unchanged."""
    version = question_sets.find_version(slug, number)
    if version is None:
        raise click.ClickException(
            f"no set '{slug}'" + (f" with version {number}" if number else "")
        )
    text = exports.export_yaml(version)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {slug} version {version.number} to {output}.", err=True)


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


@click.command("reset-password")
@with_appcontext
@click.argument("username")
def reset_password_command(username: str) -> None:
    """Give any account a one-time password, to be changed at the next sign-in."""
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"no account '{username}'")
    code = accounts.reset_password(user)
    click.echo(f"Password of '{user.username}' reset; its sessions have ended.")
    click.echo(f"One-time password: {code}")
    click.echo("It must be changed at the next sign-in.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH; safe while the app is serving."""
    try:
        backup_database(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Database copied to {path}.")


def _read_article(path: Path) -> drafts.Article:
    try:
        return drafts.article_from_upload(path.name, path.read_bytes())
    except drafts.ArticleError as error:
        raise click.ClickException(str(error)) from None


@click.command("quotes")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead.")
def quotes_command(path: Path, as_json: bool) -> None:
    """Print every quotation of an article file with its speaker.

    With --json: a list of {"quote", "speaker", "start", "end"}, where quote is the words inside
    the marks, speaker is null when no one is named (and for quoted terms, which are not speech),
    and start/end are offsets in the article's text (paragraphs joined by line breaks): that
    text[start:end] is the quote when it lies in one paragraph.
    """
    article = _read_article(path)
    found = drafts.quotations_of(article)
    if as_json:
        rows = [
            {"quote": q.quote, "speaker": q.speaker, "start": q.start, "end": q.end} for q in found
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for quotation in found:
        who = quotation.speaker or ("(no one named)" if quotation.is_speech else "(not speech)")
        click.echo(f"{who}: “{quotation.quote}”")


@click.command("draft-questions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", help="The set's title (default: the article's title or file name).")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
def draft_questions_command(path: Path, title: str | None, output: Path | None) -> None:
    """Draft a question set from an article file; the YAML imports with import-questions."""
    article = _read_article(path)
    title = title or article.title or path.stem.replace("-", " ").replace("_", " ")
    set_id = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:56] or "article"
    set_id = f"{set_id}-draft" if len(set_id) >= 3 else "article-draft"
    try:
        draft = drafts.draft_from_article(article, set_id=set_id, title=title[:200])
    except drafts.NothingToDraftError as error:
        raise click.ClickException(str(error)) from None
    except QuestionSetError as error:
        raise click.ClickException(f"the drafts did not pass the checks: {error}") from None
    text = yaml.safe_dump(draft.data, allow_unicode=True, sort_keys=False, width=100)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        count = len(draft.question_set.questions)
        click.echo(f"Wrote {count} draft questions to {output}.", err=True)


def init_app(app: Flask) -> None:
    """Register the commands with the app."""
    for command in (
        init_db_command,
        import_questions_command,
        export_questions_command,
        create_teacher_command,
        reset_password_command,
        backup_command,
        quotes_command,
        draft_questions_command,
    ):
        app.cli.add_command(command)
    from .lti.cli import init_app as init_lti_commands

    init_lti_commands(app)
