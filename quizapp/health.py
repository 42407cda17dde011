"""``GET /healthz`` for load balancers and monitors: 200 when the database answers with a schema
this release can use, else 503 saying why."""

from __future__ import annotations

from flask import Blueprint

from .database import UNREACHABLE, serving_problem
from .errors import RETRY_AFTER_SECONDS

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int, dict[str, str]]:
    """Whether this worker can serve: the database answers, and its schema is not behind."""
    headers = {"Cache-Control": "no-store"}
    problem = serving_problem()
    if problem is None:
        return {"status": "ok"}, 200, headers
    if problem == UNREACHABLE:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return {"status": UNREACHABLE}, 503, headers
    return {"status": "database not ready", "detail": problem}, 503, headers
