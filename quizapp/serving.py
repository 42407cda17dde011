"""What the served app (wsgi.py) does once at start, so that its workers start ready and small.

Every template is compiled before the first request, from a Jinja bytecode cache in the instance
folder: loading all of them from the cache takes a few tens of milliseconds, where compiling
them from source takes most of a second and leaves garbage behind. With preload_app (the
default, gunicorn.conf.py) this runs once in gunicorn's master, and the workers share the
compiled templates through fork's copy-on-write instead of each compiling its own on its first
pages. The cache checks each template's source, so a changed template is compiled again.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache

#: The folder of compiled templates, inside the instance folder.
TEMPLATE_CACHE = "template-cache"


def prepare_for_serving(app: Flask) -> None:
    """Use the template bytecode cache when its folder is writable, then compile every template."""
    folder = Path(app.instance_path) / TEMPLATE_CACHE
    # In a read-only instance folder the templates compile from source, as without a cache.
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.access(folder, os.W_OK | os.X_OK):
        app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
