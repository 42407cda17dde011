"""Error pages: friendly HTML, or JSON for clients that ask for it; never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .database import UNAVAILABLE_ERRORS, forget_failed_transaction
from .domain.i18n import gettext, lazy_gettext
from .domain.limits import MAX_FILE_BYTES, MAX_SOURCE_CHARS, describe_bytes
from .extensions import login_manager
from .presentation import format_count

#: Seconds a client is asked to wait (Retry-After) while the database is unavailable.
RETRY_AFTER_SECONDS = 5

# Made lazily: these are read when a page is shown, in the language of its reader.
HEADINGS = {
    400: lazy_gettext("Something was wrong with that request"),
    403: lazy_gettext("Not allowed"),
    404: lazy_gettext("Page not found"),
    405: lazy_gettext("Not allowed here"),
    413: lazy_gettext("Too large to send"),
    429: lazy_gettext("Slow down"),
    500: lazy_gettext("Something went wrong"),
    503: lazy_gettext("Back in a moment"),
}

MESSAGES = {
    400: lazy_gettext(
        "The request could not be understood. Go back, reload the page and try again."
    ),
    403: lazy_gettext("You do not have access to this page."),
    404: lazy_gettext(
        "There is nothing here. The link may be mistyped, or the page may not be yours."
    ),
    405: lazy_gettext("That action is not available here."),
    413: lazy_gettext("The file is too large to upload."),
    429: lazy_gettext("Too many attempts. Wait a minute and try again."),
    500: lazy_gettext(
        "Something went wrong on our side. Your saved answers are safe; try again shortly."
    ),
    503: lazy_gettext("The service is briefly unavailable. Try again in a moment."),
}

CSRF_MESSAGE = lazy_gettext(
    "This form has expired or did not come from this site. Go back, reload the page and send "
    "it again."
)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def too_large_message(limit_bytes: int) -> str:
    """What to do about a request refused as too large: over the upload limit (the file and its
    sources together), or, within it, a form whose text is over MAX_FORM_MEMORY_SIZE
    (MAX_FORM_TEXT_BYTES: an article pasted whole, many times over its length limit)."""
    if request.content_length is not None and request.content_length <= limit_bytes:
        return gettext(
            "The text sent is larger than %(limit)s, more than any box of this page takes. An "
            "article or a source text may be at most %(source_limit)s characters: go back (your "
            "browser still has the text), cut it to the part the quiz is about, and send it again.",
            limit=describe_bytes(current_app.config["MAX_FORM_MEMORY_SIZE"]),
            source_limit=format_count(MAX_SOURCE_CHARS),
        )
    return gettext(
        "The upload is larger than %(limit)s in all, the question-set file and its source "
        "texts together. A question-set file may be at most %(file_limit)s and each source text "
        "at most %(source_limit)s characters: leave out sources the questions do not quote, or "
        "split the set in two.",
        limit=describe_bytes(limit_bytes),
        file_limit=describe_bytes(MAX_FILE_BYTES),
        source_limit=format_count(MAX_SOURCE_CHARS),
    )


def render_error(code: int, message: str | None = None) -> tuple[object, int]:
    """The error page (or JSON body) for an HTTP status code."""
    text = str(message or MESSAGES.get(code) or gettext("Something went wrong."))
    if _wants_json():
        return {"error": code, "message": text}, code
    heading = HEADINGS.get(code) or gettext("Error")
    return render_template("errors/error.html", code=code, heading=heading, message=text), code


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[object, int]:
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> object:
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[object, int]:
        return render_error(500)

    def database_unavailable(error: Exception) -> tuple[object, int, dict[str, str]]:
        # The driver's message only: the wrapped SQL and its parameters stay out of the log.
        app.logger.warning("Database unavailable: %s", getattr(error, "orig", None) or error)
        forget_failed_transaction()
        # The page must not touch the database again: sign-in state would load the user.
        g._login_user = login_manager.anonymous_user()
        g.database_unavailable = True
        body, code = render_error(503)
        return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    for error_class in UNAVAILABLE_ERRORS:
        app.register_error_handler(error_class, database_unavailable)
