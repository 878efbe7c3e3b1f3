"""Registers embeddable TrueType fonts once per process (DejaVu, else reportlab's Vera)."""
import os
import threading
import zlib
from collections import OrderedDict

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

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
#: distinct subsets kept per face (a few tens of KiB each)
SUBSET_CACHE_SIZE = 128


class SubsetCachingFace(TTFontFace):
    """A face that builds (and compresses) each embedded subset once: receipts embed the same few.

    reportlab rebuilds the subset font program (glyph tables, checksums) in
    Python and deflates it again for every document; those bytes depend only on
    the face and the ordered characters of the subset, which the documents'
    fixed wording makes repeat. The parser seeks in shared state, so misses are
    built one at a time.
    """

    def _cached(self, subset):
        key = tuple(subset)
        cache = self.__dict__.setdefault("_subset_cache", OrderedDict())
        with _subset_lock:
            entry = cache.get(key)
            if entry is None:
                data = TTFontFace.makeSubset(self, subset)
                entry = cache[key] = (data, zlib.compress(data))
                if len(cache) > SUBSET_CACHE_SIZE:
                    cache.popitem(last=False)
            else:
                cache.move_to_end(key)
        return entry

    def makeSubset(self, subset):  # noqa: N802 - reportlab's name
        return self._cached(subset)[0]

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802 - reportlab's name
        descriptor = super().addSubsetObjects(doc, fontname, subset)
        stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if stream is not None and stream.filters == [pdfdoc.PDFZCompress]:
            # what PDFStream.format would write, deflated once: same keys, same order
            stream.content = self._cached(subset)[1]
            stream.dictionary["Filter"] = pdfdoc.PDFArray(
                [pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
            stream.filters = None
        return descriptor


_subset_lock = threading.RLock()


def _font(name, path):
    font = TTFont(name, path)
    font.face.__class__ = SubsetCachingFace  # same state, one overridden method
    return font


def _font_files():
    if all(os.path.exists(os.path.join(DEJAVU_DIR, f)) for f in _DEJAVU.values()):
        return {k: os.path.join(DEJAVU_DIR, f) for k, f in _DEJAVU.items()}
    base = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return {k: os.path.join(base, f) for k, f in _VERA.items()}


def register_fonts():
    """Register the family under stable names; returns the regular and bold names."""
    global _registered  # noqa: PLW0603 - reportlab's registry is process-wide: once, under the lock
    with _lock:
        if not _registered:
            files = _font_files()
            for style, path in files.items():
                pdfmetrics.registerFont(_font(f"{FAMILY}-{style}", path))
            addMapping(FAMILY, 0, 0, f"{FAMILY}-regular")
            addMapping(FAMILY, 1, 0, f"{FAMILY}-bold")
            addMapping(FAMILY, 0, 1, f"{FAMILY}-italic")
            addMapping(FAMILY, 1, 1, f"{FAMILY}-bolditalic")
            _registered = True
    return f"{FAMILY}-regular", f"{FAMILY}-bold"
