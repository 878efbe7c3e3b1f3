"""Work the renderer repeats identically for every document is done once per process."""
import io
import uuid

import qrcode
import qrcode.constants
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from portal.documents import layouts
from portal.documents.fonts import register_fonts
from portal.documents.render import qr_matrix


def font_programs(pdf):
    """The embedded font files of a PDF (as reportlab wrote them, decompressed)."""
    reader = PdfReader(io.BytesIO(pdf))
    programs = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/FontDescriptor"].get_object()
        programs.append(descriptor["/FontFile2"].get_object().get_data())
    return sorted(programs)


def test_a_second_receipt_reuses_the_embedded_font_subsets(header, receipt_data, monkeypatch):
    built = []
    original = TTFontFile.makeSubset

    def counting(face, subset):
        built.append(tuple(subset))
        return original(face, subset)
    monkeypatch.setattr(TTFontFile, "makeSubset", counting)
    first = layouts.application_receipt(header, receipt_data)
    before = len(built)
    second = layouts.application_receipt(header, {**receipt_data, "applicant_name": "Anna Neri"})
    assert len(built) == before  # same characters in the same order: nothing rebuilt
    assert font_programs(first) == font_programs(second)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from("aàbcdeèéfghiìlmnoòpqrstuùvz«»—€ 0123456789ÀÉ"),
               min_size=1, max_size=30))
def test_a_reused_subset_is_byte_for_byte_what_reportlab_builds(text):
    face = pdfmetrics.getFont(register_fonts()[0]).face
    subset = [0] + list(dict.fromkeys(ord(c) for c in text if ord(c) in face.charToGlyph))
    fresh = TTFontFile.makeSubset(face, subset)
    assert face.makeSubset(subset) == fresh
    assert face.makeSubset(subset) == fresh  # the second time from the cache


def reference_matrix(url):
    """What qrcode gives when it fits the version for this very URL."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                         mask_pattern=2)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def test_the_qr_version_is_fitted_once_per_url_shape(monkeypatch):
    fitted = []
    original = qrcode.QRCode.best_fit

    def counting(code, start=None):
        fitted.append(code.data_list)
        return original(code, start)
    monkeypatch.setattr(qrcode.QRCode, "best_fit", counting)
    base = "https://portale.example.it/documenti/verifica/"
    qr_matrix(base + uuid.uuid4().hex)
    before = len(fitted)
    url = base + uuid.uuid4().hex
    matrix = qr_matrix(url)
    assert len(fitted) == before  # a URL of the same shape: the version is known
    assert matrix == reference_matrix(url)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.uuids().map(lambda u: u.hex), st.text(
    alphabet="0123456789abcdefABCDEF-/:.", min_size=1, max_size=120)))
def test_the_qr_encodes_the_url_exactly_as_a_fitted_code(tail):
    url = "https://portale.example.it/documenti/verifica/" + tail
    assert qr_matrix(url) == reference_matrix(url)
