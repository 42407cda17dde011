"""The question file formats: reading uploads (``parse_upload``) and writing exports.

``parse_upload`` and ``ParsedUpload`` live in ``upload.py`` and load on first use: they bring
every parser with PyYAML and lxml, which a worker needs only for an upload or an import, while
the pages need only small parts of this package (image types, the shared export types).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ParsedUpload", "parse_upload"]

if TYPE_CHECKING:
    from .upload import ParsedUpload, parse_upload
else:

    def __getattr__(name: str) -> Any:
        """``parse_upload`` and ``ParsedUpload``, imported from upload.py when first asked for."""
        if name in __all__:
            from . import upload

            return getattr(upload, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
