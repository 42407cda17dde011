"""The folders shipped beside the code: ``static/``, ``questions/`` and ``docs/``.

They live at the top of the repository, where teachers and contributors find them. A wheel (what
``pip install .`` builds) copies them into the package as ``quizapp/_shipped/`` (see
pyproject.toml), since an installed package has no repository around it; a source checkout or an
editable install reads them in place.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: The repository root of a source checkout (in an installed wheel, the site-packages folder).
SOURCE_ROOT = Path(__file__).resolve().parent.parent


def shipped_folder(name: str) -> Path:
    """The shipped folder ``name``: the installed package's copy, else the checkout's own."""
    packaged = Path(str(files(__package__ or "quizapp") / "_shipped" / name))
    return packaged if packaged.is_dir() else SOURCE_ROOT / name
