"""The QR code of a class's join link, drawn as inline SVG (no image request, no JavaScript)."""

from __future__ import annotations


def join_link_svg(link: str, title: str) -> str:
    """An SVG QR code for ``link``, black on white whatever the theme, sized by CSS."""
    # Imported on the one page that draws a code, not by every worker at start-up.
    import segno

    code = segno.make(link, error="m")
    svg: str = code.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", svgclass="qr-code", omitsize=True, title=title
    )
    return svg
