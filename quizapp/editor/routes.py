"""The browser editor's pages: start a draft set, write its questions, preview and publish it,
and begin one from a published set (its next version, or a copy).

Every draft is looked up through ``services.editing.draft_for``: another teacher's draft, like
a missing one, is 404; the teacher's own published draft leads to the set it became. Every
change is a POST with a CSRF token; GETs change nothing. A question's form is saved as typed,
valid or not, so nothing typed is lost; the one validator's problems are then shown beside
their fields.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from ..auth.forms import EmptyForm
from ..auth.sessions import teacher_required
from ..domain.articles import ArticleError, article_from_text
from ..domain.errors import QuestionSetError
from ..domain.i18n import gettext, lazy_gettext
from ..domain.question_types import QUESTION_TYPES, REGISTRY, TYPE_TITLES
from ..errors import CSRF_MESSAGE, render_error
from ..models import QuestionSet, QuestionSetVersion
from ..services import access, classes, editing, exports, question_sets
from ..teacher import owned
from . import unsaved
from .forms import DraftSettingsForm, DuplicateSetForm, NewDraftForm, QuestionForm
from .preview import student_views
from .questions import editor_form, sent_question, sentences_of, source_texts

bp = Blueprint("editor", __name__, url_prefix="/teach")


@bp.before_request
def only_teachers() -> Response | tuple[Response, int] | None:
    """Teachers only. A question sent after the session ended is kept for after sign-in."""
    if not current_user.is_authenticated and request.method == "POST" and request.view_args:
        draft_id = request.view_args.get("draft_id")
        if isinstance(draft_id, int):
            kept = unsaved.edit_not_saved(draft_id, signed_out=True)
            if kept is not None:
                return kept
    refused: Response | None = teacher_required(lambda: None)()
    return refused


@bp.errorhandler(CSRFError)
def stale_form(error: CSRFError) -> object:
    """A question sent with an expired token (a session that ended has none) is kept, not
    lost."""
    draft_id = (request.view_args or {}).get("draft_id")
    if isinstance(draft_id, int):
        kept = unsaved.edit_not_saved(draft_id, signed_out=not current_user.is_authenticated)
        if kept is not None:
            return kept
    return render_error(400, CSRF_MESSAGE)


def _own_draft(draft_id: int) -> editing.EditorDraft:
    draft = editing.draft_for(current_user, draft_id)
    if draft is None:
        _leave_published_draft(draft_id)
        abort(404)
    return draft


def _leave_published_draft(draft_id: int) -> None:
    """Send a teacher who comes back to a draft they published (the browser's Back, a second
    tab) to the set it became, saying why, rather than to a bare 404."""
    slug = editing.published_set_of(current_user, draft_id)
    if slug is None:
        return
    set_page = url_for("teacher.set_page", slug=slug)
    if request.method == "GET":
        flash(gettext("That draft has been published: here is its set."), "info")
        abort(redirect(set_page, 303))
    message = gettext(
        "That draft had already been published, so the change was not saved. To change the set,"
        " start its next version with the Edit button."
    )
    if unsaved.is_autosave():
        # The page script reads JSON: it shows the message with a link to the set.
        reply, status = unsaved.autosave_reply(409, message, location=set_page)
        reply.status_code = status
        abort(reply)
    flash(message, "warning")
    abort(redirect(set_page, 303))


def _checked_post() -> None:
    """A state change needs the form's token (CSRFProtect has checked it already)."""
    if not EmptyForm().validate_on_submit():
        abort(400)


# Starting a draft.


@bp.route("/drafts/new", methods=["GET", "POST"])
def new_draft() -> str | Response | tuple[str, int]:
    """Start a set in the editor: its title and id, and the article it quotes (optional)."""
    form = NewDraftForm()
    if form.validate_on_submit():
        source = None
        if form.article.data:
            try:
                source = article_from_text(
                    form.article.data,
                    title=form.source_title.data or form.title.data or "",
                    publisher=form.publisher.data or "",
                    author=form.author.data or "",
                    published=form.published.data or "",
                    url=form.url.data or "",
                )
            except ArticleError as error:
                form.article.errors = [str(error)]
        if not form.article.errors:
            draft_id = editing.start_draft(
                current_user, title=form.title.data, source=source, set_id=form.set_id.data
            )
            flash(gettext("Draft saved. Add its questions."), "success")
            return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)
    status = 422 if form.errors else 200
    return render_template("editor/new.html", form=form), status


# The draft and its questions.


@bp.get("/drafts/<int:draft_id>")
def draft_page(draft_id: int) -> str:
    """A draft set: its settings, its questions with their problems, and what to do next."""
    draft = _own_draft(draft_id)
    checked = editing.check(draft)
    settings = DraftSettingsForm(
        data={"title": draft.title, "set_id": draft.set_id or "", "revision": draft.revision}
    )
    settings.title.errors = checked.errors.get("title", [])
    settings.set_id.errors = checked.errors.get("set_id", [])
    return render_template(
        "editor/draft.html",
        draft=draft,
        checked=checked,
        settings=settings,
        sources=source_texts(draft.document),
        type_names=TYPE_TITLES,
        form=EmptyForm(),
        based_on=_based_on(draft),
    )


def _based_on(draft: editing.EditorDraft) -> Any:
    if draft.based_on_version_id is None:
        return None
    return access.visible_version(current_user, draft.based_on_version_id)


@bp.post("/drafts/<int:draft_id>/settings")
def draft_settings(draft_id: int) -> Response:
    """Change the draft's title and the id it publishes under."""
    _own_draft(draft_id)
    form = DraftSettingsForm()
    if not form.validate_on_submit():
        for field_errors in form.errors.values():
            for message in field_errors:
                flash(str(message), "warning")
        return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)
    editing.rename(current_user, draft_id, title=form.title.data, set_id=form.set_id.data)
    flash(gettext("Saved."), "success")
    return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)


def _earlier_ids(draft: editing.EditorDraft, before: int) -> list[str]:
    """The ids of the questions before position ``before``: a Part B names one of them."""
    return [
        str(q.get("id")) for q in draft.questions[:before] if q.get("id") and not q.get("part_of")
    ]


def _question_page(
    draft: editing.EditorDraft,
    form: QuestionForm,
    type_name: str,
    number: int | None,
    restored: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    sources = source_texts(draft.document)
    return render_template(
        "editor/question.html",
        draft=draft,
        form=form,
        type_name=type_name,
        type_label=TYPE_TITLES.get(type_name, type_name),
        number=number,
        sources=sources,
        sentences={key: sentences_of(sources, key) for key in sources},
        restored=restored,
    ), status


@bp.route("/drafts/<int:draft_id>/questions/new/<type_name>", methods=["GET", "POST"])
def new_question(draft_id: int, type_name: str) -> str | Response | tuple[Any, int]:
    """Write a new question of a type; it joins the draft when first saved."""
    draft = _own_draft(draft_id)
    if type_name not in REGISTRY:
        abort(404)
    count = len(draft.questions)
    blank: dict[str, Any] = {"id": f"question-{count + 1}", "type": type_name}
    for spec in REGISTRY[type_name].editor_fields:
        if spec.kind == "source" and spec.required and draft.sources:
            blank[spec.key] = next(iter(draft.sources))
    restored = unsaved.take(request.path) if request.method == "GET" else None
    form = editor_form(type_name, blank, draft.document, _earlier_ids(draft, count), restored)
    if request.method == "POST" and form.validate_on_submit():
        question = sent_question(form, type_name, blank, draft.document)
        try:
            result = editing.add_questions(current_user, draft_id, [question])
        except editing.DraftTooLarge as error:
            return _refused(form, draft, type_name, None, str(error))
        location = url_for("editor.edit_question", draft_id=draft_id, number=count + 1)
        if unsaved.is_autosave():
            return unsaved.autosave_reply(
                200, _saved_message(result), revision=result.revision, location=location
            )
        return _after_save(result, draft_id, count + 1)
    return _question_page(draft, form, type_name, None, restored is not None)


def _saved_message(result: editing.SaveResult) -> str:
    if result.valid:
        return gettext("Saved.")
    return gettext("Saved. Some fields still need changes before the set can be published.")


def _after_save(result: editing.SaveResult, draft_id: int, number: int) -> Response:
    """Back to the draft when the set is valid; otherwise to the question, to show what the
    validator says beside its fields."""
    if result.valid:
        flash(gettext("Question saved."), "success")
        return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)
    if result.question_errors(number - 1):
        flash(_saved_message(result), "warning")
        return redirect(url_for("editor.edit_question", draft_id=draft_id, number=number), 303)
    flash(gettext("Question saved. The set still has problems elsewhere: see the list."), "warning")
    return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)


def _refused(
    form: QuestionForm,
    draft: editing.EditorDraft,
    type_name: str,
    number: int | None,
    message: str,
) -> tuple[Any, int]:
    if unsaved.is_autosave():
        return unsaved.autosave_reply(413, message)
    form.general_errors = [message]
    return _question_page(draft, form, type_name, number, status=413)


def _question_at(draft: editing.EditorDraft, number: int) -> dict[str, Any]:
    if not 1 <= number <= len(draft.questions):
        abort(404)
    return draft.questions[number - 1]


@bp.route("/drafts/<int:draft_id>/questions/<int:number>", methods=["GET", "POST"])
def edit_question(draft_id: int, number: int) -> str | Response | tuple[Any, int]:
    """Edit question ``number`` of the draft; the validator's problems show beside fields."""
    draft = _own_draft(draft_id)
    question = _question_at(draft, number)
    type_name = str(question.get("type") or "")
    if type_name not in REGISTRY:
        type_name = QUESTION_TYPES[0]
    restored = unsaved.take(request.path) if request.method == "GET" else None
    earlier = _earlier_ids(draft, number - 1)
    form = editor_form(type_name, question, draft.document, earlier, restored)
    if request.method == "POST" and form.validate_on_submit():
        sent = sent_question(form, type_name, question, draft.document)
        revision = int(form.revision.data) if str(form.revision.data).isdigit() else None
        try:
            result = editing.update_question(
                current_user, draft_id, number - 1, sent, revision=revision
            )
        except editing.DraftTooLarge as error:
            return _refused(form, draft, type_name, number, str(error))
        except editing.DraftConflict as conflict:
            if unsaved.is_autosave():
                return unsaved.autosave_reply(409, str(conflict), revision=conflict.revision)
            form.revision.data = str(conflict.revision)
            form.general_errors = [
                gettext(
                    "This draft was changed in another window since this page was opened, so "
                    "this question was not saved. What you typed is below: press Save again to "
                    "keep it."
                )
            ]
            return _question_page(draft, form, type_name, number, status=409)
        if unsaved.is_autosave():
            return unsaved.autosave_reply(200, _saved_message(result), revision=result.revision)
        return _after_save(result, draft_id, number)
    if request.method == "GET":
        form.revision.data = str(draft.revision)
        if restored is None:
            form.show_problems(editing.check(draft).question_errors(number - 1))
    return _question_page(draft, form, type_name, number, restored is not None)


def _changed(draft_id: int, change: Any, message: str) -> Response:
    _own_draft(draft_id)
    _checked_post()
    try:
        change()
    except editing.DraftNotFound:
        abort(404)
    flash(message, "success")
    return redirect(url_for("editor.draft_page", draft_id=draft_id) + "#questions", 303)


@bp.post("/drafts/<int:draft_id>/questions/<int:number>/duplicate")
def duplicate_question(draft_id: int, number: int) -> Response:
    """Copy a question to just after it."""
    return _changed(
        draft_id,
        lambda: editing.duplicate_question(current_user, draft_id, number - 1),
        gettext(
            "Question %(number)s copied: the copy is question %(copy)s.",
            number=number,
            copy=number + 1,
        ),
    )


@bp.post("/drafts/<int:draft_id>/questions/<int:number>/move")
def move_question(draft_id: int, number: int) -> Response:
    """Move a question up or down by one place."""
    step = -1 if request.form.get("direction") == "up" else 1
    return _changed(
        draft_id,
        lambda: editing.move_question(current_user, draft_id, number - 1, number - 1 + step),
        gettext("Question %(number)s moved up.", number=number)
        if step < 0
        else gettext("Question %(number)s moved down.", number=number),
    )


@bp.post("/drafts/<int:draft_id>/questions/<int:number>/delete")
def delete_question(draft_id: int, number: int) -> Response:
    """Remove a question from the draft."""
    return _changed(
        draft_id,
        lambda: editing.delete_question(current_user, draft_id, number - 1),
        gettext("Question %(number)s deleted.", number=number),
    )


@bp.post("/drafts/<int:draft_id>/delete")
def delete_draft(draft_id: int) -> Response:
    """Throw the draft away (a published set is not touched)."""
    _own_draft(draft_id)
    _checked_post()
    editing.delete_draft(current_user, draft_id)
    flash(gettext("The draft was deleted."), "info")
    return redirect(url_for("teacher.dashboard"), 303)


# Preview and publish.


@bp.get("/drafts/<int:draft_id>/preview")
def preview(draft_id: int) -> str | Response:
    """The draft as students will see it, and which version publishing makes."""
    draft = _own_draft(draft_id)
    try:
        shown = editing.preview(current_user, draft)
    except QuestionSetError:
        flash(gettext("The set cannot be previewed yet: fix the problems listed first."), "warning")
        return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)
    return render_template(
        "editor/preview.html",
        draft=draft,
        shown=shown,
        views=student_views(shown.content),
        previews=exports.preview(shown.content),
        form=EmptyForm(),
        # The questions' own language, for lang on their text inside the interface's.
        content_lang=shown.content.language,
    )


@bp.post("/drafts/<int:draft_id>/publish")
def publish(draft_id: int) -> Response:
    """Publish the valid draft as the next version of the set."""
    _checked_post()
    try:
        result = editing.publish(current_user, draft_id)  # DraftNotFound: not an open draft
    except editing.DraftNotFound:
        # A second press of Publish (a double click) finds the draft published by the first,
        # whose message the set's page shows: nothing to add, and nothing went wrong.
        slug = editing.published_set_of(current_user, draft_id)
        if slug is None:
            abort(404)
        return redirect(url_for("teacher.set_page", slug=slug), 303)
    except QuestionSetError as error:
        flash(str(error), "warning")
        return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)
    names = {"title": result.version.title, "number": result.version.number}
    if result.created:
        message = gettext("“%(title)s” version %(number)s published.", **names)
    else:
        message = gettext(
            "“%(title)s” version %(number)s unchanged: it matches the published version.", **names
        )
    flash(message, "success")
    return redirect(url_for("teacher.set_page", slug=result.version.slug), 303)


# Published sets.


@bp.post("/sets/<slug>/edit")
def edit_set(slug: str) -> Response:
    """Open a draft of the next version of one of the teacher's own sets."""
    question_set = owned.own_set(slug)
    _checked_post()
    versions = question_sets.set_versions(question_set.id)
    draft_id = editing.draft_of_version(current_user, versions[-1])
    flash(
        gettext(
            "A draft of version %(number)s is open. Publish it when ready.",
            number=versions[-1].number + 1,
        ),
        "info",
    )
    return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)


def _visible_set(slug: str) -> tuple[QuestionSet, QuestionSetVersion]:
    """A set the teacher may read (a shipped one too) and its newest version, or 404."""
    question_set = access.visible_set(current_user, slug)
    if question_set is None:
        abort(404)
    return question_set, question_sets.set_versions(question_set.id)[-1]


@bp.route("/sets/<slug>/duplicate", methods=["GET", "POST"])
def duplicate_set(slug: str) -> str | Response | tuple[str, int]:
    """Copy any set the teacher may read (a shipped one too) into a draft of their own."""
    question_set, latest = _visible_set(slug)
    form = DuplicateSetForm(
        data={
            "title": gettext("Copy of %(title)s", title=question_set.name or latest.title),
            "set_id": f"{slug}-copy",
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        draft_id = editing.duplicate_version(
            current_user, latest, set_id=form.set_id.data or "", title=form.title.data
        )
        flash(gettext("A copy is open as a draft of your own."), "success")
        return redirect(url_for("editor.draft_page", draft_id=draft_id), 303)
    status = 422 if form.errors else 200
    return render_template(
        "editor/duplicate.html", form=form, question_set=question_set, latest=latest
    ), status


@bp.get("/sets/<slug>/assign")
def assign_set(slug: str) -> str:
    """Choose the class to assign a set to; the assignment form opens with the set chosen."""
    question_set, latest = _visible_set(slug)
    return render_template(
        "editor/assign.html",
        question_set=question_set,
        latest=latest,
        classes=classes.teacher_classes(current_user),
    )


#: How the list of problems names the set's own fields.
_SET_FIELDS = {
    "": lazy_gettext("The set"),
    "title": lazy_gettext("Title"),
    "set_id": lazy_gettext("Set id"),
    "language": lazy_gettext("Language"),
}


@bp.app_template_global()
def problem_place(key: str) -> str:
    """Where in the draft a validator problem is, in words ("Question 3, prompt")."""
    if key in _SET_FIELDS:
        return str(_SET_FIELDS[key])
    parts = key.split(".")
    # The field names stay as the file format spells them (prompt, choices): they are keywords.
    if parts[0] == "questions" and len(parts) > 1 and parts[1].isdigit():
        number = int(parts[1]) + 1
        if len(parts) > 2:
            field = parts[2].replace("_", " ")
            return gettext("Question %(number)s, %(field)s", number=number, field=field)
        return gettext("Question %(number)s", number=number)
    if parts[0] == "sources" and len(parts) > 1:
        if len(parts) > 2:
            return gettext("Source “%(key)s”, %(field)s", key=parts[1], field=parts[2])
        return gettext("Source “%(key)s”", key=parts[1])
    return key.replace("_", " ").capitalize()
