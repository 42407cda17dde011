"""``GET /healthz`` for load balancers and monitors: 200 when the database answers, else 503."""

from __future__ import annotations

from flask import Blueprint

from .database import database_reachable
from .errors import RETRY_AFTER_SECONDS

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int, dict[str, str]]:
    """Whether this worker can reach the database right now."""
    headers = {"Cache-Control": "no-store"}
    if database_reachable():
        return {"status": "ok"}, 200, headers
    headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return {"status": "database unavailable"}, 503, headers
