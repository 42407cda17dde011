"""WSGI entry point: ``gunicorn wsgi:app``."""

import os

from quizapp import create_app
from quizapp.extensions import db

# A served app never migrates (``flask --app quizapp init-db`` does): no Alembic in the workers.
app = create_app({"MIGRATIONS": False})

with app.app_context():
    _engine = db.engine
# gunicorn builds the app once and forks its workers from it (preload_app): a connection opened
# before the fork must never be shared, so each worker starts with an empty pool of its own.
os.register_at_fork(after_in_child=lambda: _engine.dispose(close=False))
