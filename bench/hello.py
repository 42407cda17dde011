"""The benchmark's baseline: a bare Flask route, served by the same gunicorn settings."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The cheapest page Flask can serve: no database, no template, no session."""
    return "hello"
