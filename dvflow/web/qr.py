"""QR codes drawn as inline SVG (segno): crisp when printed, no image file, nothing fetched by the browser."""
from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str, scale: int = 4) -> Markup:
    """An SVG QR code holding `text`, error correction M (readable with a fold or a smudge on a paper slip)."""
    # make_qr, not make: a Micro QR for short text is unreadable by many phone cameras
    return Markup(segno.make_qr(text, error="m").svg_inline(scale=scale, title=None))
