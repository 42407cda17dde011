"""WSGI entry point: ``gunicorn wsgi:app``."""

from quizapp import create_app

# A served app never migrates (``flask --app quizapp init-db`` does): no Alembic in the workers.
app = create_app({"MIGRATIONS": False})
