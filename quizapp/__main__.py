"""``python -m quizapp``: set up the database and serve the app at http://127.0.0.1:8000.

This is the local run command from the README. It keeps a generated secret key in the
instance folder, so it needs no configuration; a school's deployment sets QUIZAPP_SECRET_KEY.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import create_app
from .services.question_sets import import_shipped_sets
from .services.schema import create_schema


def main() -> None:
    """Prepare the database, then serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m quizapp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    app = create_app({"GENERATE_SECRET_KEY": True})
    with app.app_context():
        create_schema()
        import_shipped_sets(Path(app.config["QUESTIONS_DIR"]))
    print(f"Civics Quiz is running at http://{args.host}:{args.port}/ (press Ctrl+C to stop)")
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False)


if __name__ == "__main__":
    main()
