"""WSGI entry point: ``gunicorn wsgi:app``."""

from quizapp import create_app
from quizapp.serving import prepare_for_serving

# A served app never migrates (``flask --app quizapp init-db`` does): no Alembic in the workers.
app = create_app({"MIGRATIONS": False})
# Templates compiled once here: in gunicorn's master with preload_app, shared by the workers.
prepare_for_serving(app)
