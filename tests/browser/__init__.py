"""Browser tests: Chromium drives the app under gunicorn."""
