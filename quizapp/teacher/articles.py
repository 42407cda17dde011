"""From a news story to a draft set: bring the article in, then review the questions drafted
from it.

A blueprint inside the teacher blueprint (endpoints ``teacher.articles.*``), so only teachers
come here. The intake keeps the article in its form until "Make draft questions": a refused
file or a mistake in a field loses nothing typed, and a file's text, once read, is in the
textarea. Draft sets are looked up through ``services.draft_review``: another teacher's, like
a missing one, is 404.
"""

from __future__ import annotations

import hashlib
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..auth.forms import EmptyForm
from ..domain.articles import Article, ArticleError, article_from_text
from ..domain.i18n import gettext, ngettext
from ..domain.limits import MAX_ID
from ..services import draft_review, drafts
from .article_forms import ArticleForm, SpeakersForm

bp = Blueprint("articles", __name__)

CITATION_FIELDS = ("title", "publisher", "author", "published", "url")


@bp.app_template_global()
def drafts_waiting(draft_id: int) -> int:
    """How many questions drafted from the story wait for review (the editor's draft page
    links to them); its page checked the draft is the teacher's."""
    return draft_review.waiting_count(draft_id)


def _digest(text: str) -> str:
    """The fingerprint of the text whose paragraphs were listed. Line breaks count as one kind:
    a browser sends a textarea's as CR LF, whatever the page held."""
    same_breaks = text.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(same_breaks.encode("utf-8")).hexdigest()[:16]


def _paragraphs(text: str) -> list[str]:
    """The paragraphs the article will have, by the rule pasted text follows."""
    try:
        return list(article_from_text(text).paragraphs)
    except ArticleError:
        return []


def _show(form: ArticleForm, article: Article) -> None:
    """Put an article's paragraphs in the textarea, and its citation where the teacher left a
    field empty."""
    form.text.data = "\n\n".join(article.paragraphs)
    for name in CITATION_FIELDS:
        field = getattr(form, name)
        if not field.data:
            field.data = getattr(article, name)


def _read_file(form: ArticleForm) -> str | None:
    """Read the chosen file into the form; return the message for a refused one."""
    upload = form.article_file.data
    try:
        _show(form, drafts.article_from_upload(upload.filename, upload.read()))
    except ArticleError as error:
        return gettext(
            "The file was not read: %(problem)s. The text and fields below are as you left them.",
            problem=error,
        )
    flash(
        gettext(
            "The text of %(filename)s is below. Check its paragraphs, then make the draft "
            "questions.",
            filename=upload.filename,
        ),
        "success",
    )
    return None


def _remove_paragraph(form: ArticleForm, index: str) -> str | None:
    """Cut one paragraph from the text, unless the text changed since the list was shown."""
    paragraphs = _paragraphs(form.text.data or "")
    if form.shown.data != _digest(form.text.data or "") or not index.isdigit():
        return gettext(
            "The text was changed since its paragraphs were listed: check the list again."
        )
    if int(index) < len(paragraphs):
        del paragraphs[int(index)]
    form.text.data = "\n\n".join(paragraphs)
    return None


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + "."


def _citation(form: ArticleForm) -> dict[str, str]:
    return {name: getattr(form, name).data or "" for name in CITATION_FIELDS}


@bp.route("/articles/new", methods=["GET", "POST"])
def new_article() -> str | Response | tuple[str, int]:
    """Bring a news article in, pasted or from a file, and make draft questions from it."""
    form = ArticleForm()
    problem = None
    if form.is_submitted():  # the CSRF token is checked for every POST before the view
        valid = form.validate()
        upload = form.article_file.data
        if upload and upload.filename:
            problem = _read_file(form)
        elif "remove" in request.form:
            problem = _remove_paragraph(form, request.form["remove"])
        elif valid:
            try:
                article = drafts.article_from_paste(form.text.data or "", **_citation(form))
            except ArticleError as error:
                problem = _sentence(str(error))
            else:
                if request.form.get("action") == "draft":
                    draft_id = draft_review.start_from_article(current_user, article)
                    return redirect(url_for("teacher.articles.review", draft_id=draft_id))
                _show(form, article)
    text = form.text.data or ""
    form.shown.data = _digest(text)
    status = 422 if problem or form.errors else 200
    return render_template(
        "teacher/article_new.html",
        form=form,
        problem=problem,
        paragraphs=_paragraphs(text),
    ), status


def _review_or_404(draft_id: int) -> draft_review.Review:
    review = draft_review.review_of(current_user, draft_id) if draft_id <= MAX_ID else None
    if review is None:
        abort(404)
    return review


@bp.get("/drafts/<int:draft_id>/review")
def review(draft_id: int) -> str:
    """The drafted questions, each with its evidence marked in the article, and who is quoted."""
    found = _review_or_404(draft_id)
    speakers = SpeakersForm(
        data={
            "quotations": [{"start": q.start, "speaker": q.speaker or ""} for q in found.quotations]
        }
    )
    return render_template(
        "teacher/article_review.html",
        review=found,
        rows=list(zip(found.quotations, speakers.quotations, strict=True)),
        speakers=speakers,
        form=EmptyForm(),
        content_lang=_draft_language(found),
    )


def _draft_language(found: draft_review.Review) -> str:
    """The language of the drafted questions (the draft set's), for ``lang`` on their text."""
    return str(found.draft.document.get("language") or "en")


DECISIONS = ("accept", "discard", "restore")


@bp.post("/drafts/<int:draft_id>/proposals/<int:proposal_id>/<decision>")
def decide(draft_id: int, proposal_id: int, decision: str) -> Response:
    """Accept (and perhaps edit), discard or bring back one drafted question."""
    if decision not in DECISIONS or max(draft_id, proposal_id) > MAX_ID:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if decision == "accept":
            index = draft_review.accept(current_user, draft_id, proposal_id)
            if request.form.get("then") == "edit":
                return redirect(_question_editor(draft_id, index))
            flash(gettext("Accepted: the question is in the draft set."), "success")
        elif decision == "discard":
            draft_review.discard(current_user, draft_id, proposal_id)
            flash(gettext("Discarded: the question is left out."), "info")
        else:
            draft_review.restore(current_user, draft_id, proposal_id)
            flash(gettext("The question is back for review."), "info")
    except draft_review.DraftNotFound:
        abort(404)
    except draft_review.DraftTooLarge as error:
        flash(gettext("Not accepted: %(problem)s.", problem=error), "warning")
    anchor = f"proposal-{proposal_id}"
    return redirect(url_for("teacher.articles.review", draft_id=draft_id, _anchor=anchor))


def _question_editor(draft_id: int, index: int) -> str:
    """The editor's page of question ``index`` (from 0) of the draft set."""
    return url_for("editor.edit_question", draft_id=draft_id, number=index + 1)


@bp.post("/drafts/<int:draft_id>/speakers")
def correct_speakers(draft_id: int) -> Response | tuple[str, int]:
    """Save the teacher's speakers and draft the pending who-said-what questions again."""
    found = _review_or_404(draft_id)
    form = SpeakersForm()
    if not form.validate_on_submit():
        rows = list(zip(found.quotations, form.quotations, strict=False))
        html = render_template(
            "teacher/article_review.html",
            review=found,
            rows=rows,
            speakers=form,
            form=EmptyForm(),
            content_lang=_draft_language(found),
        )
        return html, 422
    speakers = {
        int(entry.start.data): entry.speaker.data or ""
        for entry in form.quotations
        if re.fullmatch(r"\d{1,9}", entry.start.data or "")
    }
    try:
        pending = draft_review.correct_speakers(current_user, draft_id, speakers)
    except draft_review.DraftNotFound:
        abort(404)
    flash(
        ngettext(
            "Speakers saved. The who-said-what drafts were made again; %(num)s draft to review.",
            "Speakers saved. The who-said-what drafts were made again; %(num)s drafts to review.",
            pending,
        ),
        "success",
    )
    return redirect(url_for("teacher.articles.review", draft_id=draft_id, _anchor="quoted"))
