"""QR codes drawn on the server with segno (no outside service): the poster's inline SVG and the
PNG and SVG files staff download. Error correction "M" (15 %) survives a creased or dirty poster;
the quiet zone is the standard 4 modules."""

from __future__ import annotations

import io

import segno

ERROR = "m"
BORDER = 4
PNG_SCALE = 20  # a version-3 code (a county address) is about 1,000 px wide: sharp on A4
SVG_SCALE = 10


def make(url: str):
    return segno.make(url, error=ERROR, micro=False)


def svg_inline(url: str) -> str:
    """The code as an <svg> element sized by CSS (viewBox only), for the poster page."""
    return make(url).svg_inline(scale=SVG_SCALE, border=BORDER, omitsize=True, svgclass="poster-qr-code")


def svg_file(url: str, title: str) -> bytes:
    """A standalone SVG file; its <desc> carries the address, so a designer sees what it encodes."""
    out = io.BytesIO()
    make(url).save(out, kind="svg", scale=SVG_SCALE, border=BORDER, title=title, desc=url)
    return out.getvalue()


def png_file(url: str) -> bytes:
    out = io.BytesIO()
    make(url).save(out, kind="png", scale=PNG_SCALE, border=BORDER)
    return out.getvalue()
