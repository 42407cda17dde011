"""Error pages: friendly HTML, or JSON for clients that ask for it; never a traceback."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "You do not have access to this page.",
    404: "There is nothing here. The link may be mistyped, or the page may not be yours.",
    405: "That action is not available here.",
    413: "The file is too large to upload.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side. Your saved answers are safe; try again shortly.",
    503: "The service is briefly unavailable. Try again in a moment.",
}

CSRF_MESSAGE = (
    "This form has expired or did not come from this site. Go back, reload the page and send "
    "it again."
)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def render_error(code: int, message: str | None = None) -> tuple[object, int]:
    """The error page (or JSON body) for an HTTP status code."""
    text = message or MESSAGES.get(code, "Something went wrong.")
    if _wants_json():
        return {"error": code, "message": text}, code
    return render_template("errors/error.html", code=code, message=text), code


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
