"""Registers embeddable TrueType fonts once per process (DejaVu, else reportlab's Vera)."""
import os
import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu"
_DEJAVU = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bolditalic": "DejaVuSans-BoldOblique.ttf",
}
_VERA = {
    "regular": "Vera.ttf",
    "bold": "VeraBd.ttf",
    "italic": "VeraIt.ttf",
    "bolditalic": "VeraBI.ttf",
}
FAMILY = "PortalSans"
_lock = threading.Lock()
_registered = False


def _font_files():
    if all(os.path.exists(os.path.join(DEJAVU_DIR, f)) for f in _DEJAVU.values()):
        return {k: os.path.join(DEJAVU_DIR, f) for k, f in _DEJAVU.items()}
    import reportlab
    base = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return {k: os.path.join(base, f) for k, f in _VERA.items()}


def register_fonts():
    """Register the family under stable names; returns the regular and bold names."""
    global _registered
    with _lock:
        if not _registered:
            files = _font_files()
            for style, path in files.items():
                pdfmetrics.registerFont(TTFont(f"{FAMILY}-{style}", path))
            addMapping(FAMILY, 0, 0, f"{FAMILY}-regular")
            addMapping(FAMILY, 1, 0, f"{FAMILY}-bold")
            addMapping(FAMILY, 0, 1, f"{FAMILY}-italic")
            addMapping(FAMILY, 1, 1, f"{FAMILY}-bolditalic")
            _registered = True
    return f"{FAMILY}-regular", f"{FAMILY}-bold"
