"""flask commands: init-db, import-questions, export-questions, create-teacher, reset-password,
backup, quotes, draft-questions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .database import BackupError, backup_database
from .domain.errors import QuestionSetError
from .domain.formats.images import ImageFile
from .domain.i18n import gettext, ngettext
from .domain.model import QuestionSet
from .domain.warnings import summarize_warnings
from .presentation import format_count
from .services import accounts, exports, question_sets
from .services.schema import create_schema

if TYPE_CHECKING:
    from .services import drafts

# The commands import the parsers, PyYAML and the drafting code when they run: the served app
# registers these commands too, and its workers should not load what only a command uses.


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
            ngettext(
                "%(num)s problem in %(folder)s; nothing imported",
                "%(num)s problems in %(folder)s; nothing imported",
                len(error.issues),
                folder=folder,
            )
        ) from None
    for result in results:
        if result.created:
            line = gettext(
                "%(title)s: version %(number)s imported",
                title=result.version.title,
                number=result.version.number,
            )
        else:
            line = gettext(
                "%(title)s: version %(number)s unchanged",
                title=result.version.title,
                number=result.version.number,
            )
        click.echo(line)
    click.echo(gettext("Database ready."))


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
                click.echo(gettext("warning: %(warning)s", warning=warning), err=True)
            if error.valid_questions and not skip_invalid:
                click.echo(
                    ngettext(
                        "%(file)s: %(count)s question is valid; run again with --skip-invalid "
                        "to import it and skip the %(invalid)s with errors",
                        "%(file)s: %(count)s questions are valid; run again with --skip-invalid "
                        "to import them and skip the %(invalid)s with errors",
                        error.valid_questions,
                        file=path.name,
                        count=format_count(error.valid_questions),
                        invalid=format_count(error.invalid_questions),
                    ),
                    err=True,
                )
    if problems:
        raise click.ClickException(
            ngettext(
                "%(num)s problem found; nothing was imported",
                "%(num)s problems found; nothing was imported",
                problems,
            )
        )
    try:
        results = question_sets.import_question_sets(contents, images=images)
    except QuestionSetError as error:
        raise click.ClickException(
            gettext("%(error)s; nothing was imported", error=error)
        ) from None
    for content, result in zip(contents, results, strict=True):
        if result.created:
            line = gettext(
                "%(set)s: version %(number)s (new version)",
                set=content.id,
                number=result.version.number,
            )
        else:
            line = gettext(
                "%(set)s: version %(number)s (unchanged)",
                set=content.id,
                number=result.version.number,
            )
        click.echo(line)


def _load_for_import(
    path: Path, sources: dict[str, str], skip_invalid: bool
) -> tuple[QuestionSet, dict[str, ImageFile]]:
    """A native file reads its sources beside it; other formats use the --source files (and a
    Moodle XML file carries its images)."""
    from .domain.formats.upload import parse_upload
    from .domain.loader import load_question_set_file

    if path.suffix.lower() in question_sets.NATIVE_SUFFIXES and not skip_invalid:
        return load_question_set_file(path), {}
    if path.suffix.lower() in question_sets.NATIVE_SUFFIXES:
        sources = {**_sources_beside(path), **sources}
    parsed = parse_upload(path.name, path.read_bytes(), sources=sources, skip_invalid=skip_invalid)
    for issue in parsed.skipped:
        click.echo(gettext("skipped: %(problem)s", problem=issue), err=True)
    if parsed.skipped_count:
        click.echo(
            ngettext(
                "%(file)s: skipped %(count)s question with errors; importing the %(valid)s "
                "valid ones",
                "%(file)s: skipped %(count)s questions with errors; importing the %(valid)s "
                "valid ones",
                parsed.skipped_count,
                file=path.name,
                count=format_count(parsed.skipped_count),
                valid=format_count(len(parsed.question_set.questions)),
            ),
            err=True,
        )
    for line in summarize_warnings(parsed.warnings):
        click.echo(gettext("warning: %(warning)s", warning=line), err=True)
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
        if number:
            missing = gettext("no set '%(set)s' with version %(number)s", set=slug, number=number)
        else:
            missing = gettext("no set '%(set)s'", set=slug)
        raise click.ClickException(missing)
    text = exports.export_yaml(version)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(
            gettext(
                "Wrote %(set)s version %(number)s to %(file)s.",
                set=slug,
                number=version.number,
                file=output,
            ),
            err=True,
        )


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
    click.echo(gettext("Teacher '%(name)s' created.", name=created.user.username))
    click.echo(gettext("One-time password: %(code)s", code=created.one_time_password))
    click.echo(gettext("It must be changed at the first sign-in."))


@click.command("reset-password")
@with_appcontext
@click.argument("username")
def reset_password_command(username: str) -> None:
    """Give any account a one-time password, to be changed at the next sign-in."""
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(gettext("no account '%(name)s'", name=username))
    code = accounts.reset_password(user)
    click.echo(
        gettext("Password of '%(name)s' reset; its sessions have ended.", name=user.username)
    )
    click.echo(gettext("One-time password: %(code)s", code=code))
    click.echo(gettext("It must be changed at the next sign-in."))


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH; safe while the app is serving."""
    try:
        backup_database(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(gettext("Database copied to %(file)s.", file=path))


def _read_article(path: Path) -> drafts.Article:
    from .services import drafts

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
    from .services import drafts

    article = _read_article(path)
    found = drafts.quotations_of(article)
    if as_json:
        rows = [
            {"quote": q.quote, "speaker": q.speaker, "start": q.start, "end": q.end} for q in found
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for quotation in found:
        who = quotation.speaker or (
            gettext("(no one named)") if quotation.is_speech else gettext("(not speech)")
        )
        click.echo(f"{who}: “{quotation.quote}”")


@click.command("draft-questions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", help="The set's title (default: the article's title or file name).")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
def draft_questions_command(path: Path, title: str | None, output: Path | None) -> None:
    """Draft a question set from an article file; the YAML imports with import-questions."""
    import yaml

    from .services import drafts

    article = _read_article(path)
    title = title or article.title or path.stem.replace("-", " ").replace("_", " ")
    set_id = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:56] or "article"
    set_id = f"{set_id}-draft" if len(set_id) >= 3 else "article-draft"
    try:
        draft = drafts.draft_from_article(article, set_id=set_id, title=title[:200])
    except drafts.NothingToDraftError as error:
        raise click.ClickException(str(error)) from None
    except QuestionSetError as error:
        raise click.ClickException(
            gettext("the drafts did not pass the checks: %(error)s", error=error)
        ) from None
    text = yaml.safe_dump(draft.data, allow_unicode=True, sort_keys=False, width=100)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        count = len(draft.question_set.questions)
        click.echo(
            ngettext(
                "Wrote %(num)s draft question to %(file)s.",
                "Wrote %(num)s draft questions to %(file)s.",
                count,
                file=output,
            ),
            err=True,
        )


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
