"""No changed file is called "integro": 14 tampered receipts, and PAdES extensions that stay valid."""
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
from pyhanko.sign.validation import add_validation_info

from portal.documents import layouts
from portal.documents.signing import DocumentSigner, make_validation_context
from portal.documents.verify import verify_pdf
from tests.unit.portal.documents import tampered
from tests.unit.portal.documents.conftest import run_pdfsig

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]

INTEGRO = "Documento integro"


@pytest.fixture
def signed_receipt(office_signer, header, receipt_data):
    """A receipt signed by the real signer with the test PKI's office certificate."""
    return office_signer.sign(layouts.application_receipt(header, receipt_data)).data


class _Receipt:
    """Signed bytes with a short repr (hypothesis prints its arguments)."""

    def __init__(self, data):
        self.data = data

    def __repr__(self):
        return f"<signed receipt, {len(self.data)} bytes>"


@pytest.fixture
def receipt(signed_receipt):
    return _Receipt(signed_receipt)


def check(data, trust_roots):
    return verify_pdf(data, trust_roots, allow_fetching=True)


def test_the_corpus_holds_fourteen_distinct_variants(signed_receipt):
    variants = tampered.variants(signed_receipt)
    assert tuple(variants) == tampered.NAMES
    assert len(variants) == 14
    assert len(set(variants.values()) | {signed_receipt}) == 15


def test_the_untouched_receipt_is_integro(signed_receipt, trust_roots):
    result = check(signed_receipt, trust_roots)
    assert result.status == "valid", result.verdict
    assert INTEGRO in result.verdict
    assert result.signatures[0].additions == ()


@pytest.mark.parametrize("name", tampered.NAMES)
def test_no_tampered_variant_is_integro(name, signed_receipt, trust_roots):
    data = tampered.variants(signed_receipt)[name]
    result = check(data, trust_roots)
    assert result.status != "valid", (name, result.verdict)
    assert INTEGRO not in result.verdict
    assert "integro" not in result.verdict.replace("non è integro", "")
    assert len(result.verdict) > 40  # a reason, not just a label
    payload = result.to_json()
    assert payload["valid"] is False
    assert all(not s["ok"] for s in payload["signatures"])


@pytest.mark.parametrize("name", sorted(tampered.ADDITIONS))
def test_additions_after_the_signed_range_are_named(name, tmp_path, signed_receipt,
                                                     trust_roots):
    """The signature still verifies over its revision; what came after is what is wrong."""
    data = tampered.variants(signed_receipt)[name]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    out = run_pdfsig(path)  # poppler agrees: valid, but not over the whole file
    assert "Signature is Valid" in out, out
    assert "Total document signed" not in out, out
    result = check(data, trust_roots)
    assert result.status == "invalid", result.verdict
    sig = result.signatures[0]
    assert sig.intact
    assert sig.valid
    assert sig.trusted
    assert sig.modified_after_signing
    assert not sig.ok
    assert any(tampered.ADDITIONS[name] in phrase for phrase in sig.additions), sig.additions
    assert tampered.ADDITIONS[name] in result.verdict
    assert "modificato dopo la firma" in result.verdict
    assert result.to_json()["signatures"][0]["additions"] == list(sig.additions)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(region=st.integers(0, 2), where=st.floats(0, 1, exclude_max=True),
       delta=st.integers(1, 255))
def test_any_changed_byte_is_never_integro(region, where, delta, receipt, trust_roots):
    """A byte changed in the signed ranges or in the zero padding of /Contents is caught.

    (The CMS itself is left to pyhanko: its certificate bag is not signed, and a changed
    helper certificate there leaves the document and its signature as they were.)
    """
    signed_receipt = receipt.data
    len1, start2, len2 = tampered.byte_range(signed_receipt)
    hex_digits = signed_receipt[len1 + 1:start2 - 1]
    cms_end = len1 + 1 + len(hex_digits.rstrip(b"0"))
    cms_end += (cms_end - len1 - 1) % 2  # a whole last byte of the CMS
    start, end = [(0, len1), (cms_end, start2), (start2, start2 + len2)][region]
    position = start + int(where * (end - start))
    old = signed_receipt[position]
    new = (old + delta) % 256
    changed = signed_receipt[:position] + bytes([new]) + signed_receipt[position + 1:]
    result = check(changed, trust_roots)
    assert result.status != "valid", (position, old, new, result.verdict)
    assert INTEGRO not in result.verdict


@pytest.mark.parametrize("new", [b"1", b"\t", b" "])
def test_a_changed_byte_in_the_signature_padding_is_named(new, signed_receipt, trust_roots):
    """A digit, or whitespace (which hex strings skip), in the zeros after the CMS."""
    _, start2, _ = tampered.byte_range(signed_receipt)
    position = start2 - 10  # the zeros after the CMS, before ">"
    assert signed_receipt[position:start2 - 1] == b"0" * 9
    changed = signed_receipt[:position] + new + signed_receipt[position + 1:]
    result = check(changed, trust_roots)
    assert result.status == "invalid", result.verdict
    assert "spazio riservato alla firma" in result.verdict


def test_info_change_names_the_changed_fields(signed_receipt, trust_roots):
    result = check(tampered.variants(signed_receipt)["incremental_info"], trust_roots)
    assert "titolo" in result.verdict
    assert "autore" in result.verdict


def test_appended_bytes_are_counted(signed_receipt, trust_roots):
    extra = b"\n% una riga aggiunta\n" * 3
    result = check(signed_receipt + extra, trust_roots)
    assert result.status == "invalid"
    assert f"aggiunti {len(extra)} byte" in result.verdict


def test_appended_end_of_file_marker_does_not_hide_appended_bytes(signed_receipt,
                                                                  trust_roots):
    """A copy of the last ``startxref ... %%EOF`` after the junk keeps every reader happy."""
    startxref = int(signed_receipt.rsplit(b"startxref", 1)[1].split()[0])
    data = signed_receipt + b"domanda respinta\nstartxref\n%d\n%%%%EOF\n" % startxref
    result = check(data, trust_roots)
    assert result.status == "invalid", result.verdict
    assert "dopo la fine del documento firmato" in result.verdict


def test_trailing_end_of_line_after_eof_is_not_a_change(signed_receipt, trust_roots):
    """Transfer tools add a CR/LF; that is no content and pdfsig still says whole file."""
    assert check(signed_receipt + b"\r\n", trust_roots).status == "valid"


def _extend_with_dss_and_timestamp(signed, pki, trust_roots):
    """What pyhanko's own LTV tooling does: DSS with VRI, then a document timestamp."""
    context = make_validation_context(trust_roots=trust_roots, allow_fetching=True)
    embedded = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures[0]
    with_dss = add_validation_info(embedded, context).getvalue()
    writer = IncrementalPdfFileWriter(io.BytesIO(with_dss), strict=False)
    out = io.BytesIO()
    PdfTimeStamper(HTTPTimeStamper(pki.tsa_url), field_name="MarcaTemporale").timestamp_pdf(
        writer, "sha256", validation_context=make_validation_context(
            trust_roots=trust_roots, allow_fetching=True), output=out)
    return with_dss, out.getvalue()


def test_pades_extensions_keep_the_document_integro(tmp_path, signed_receipt, pki,
                                                    trust_roots):
    with_dss, extended = _extend_with_dss_and_timestamp(signed_receipt, pki, trust_roots)
    dss_result = check(with_dss, trust_roots)
    assert dss_result.status == "valid", dss_result.verdict
    assert dss_result.signatures[0].level == "B-LT"
    result = check(extended, trust_roots)
    assert result.status == "valid", result.verdict
    assert INTEGRO in result.verdict
    assert "PAdES" in result.verdict
    signature, timestamp = result.signatures
    assert signature.kind == "signature"
    assert signature.extended
    assert signature.level == "B-LTA"
    assert timestamp.kind == "timestamp"
    assert timestamp.ok
    assert timestamp.timestamped
    assert timestamp.signer_name == "TSA di Prova"
    assert "Marca temporale sul documento" in result.verdict
    path = tmp_path / "lta.pdf"
    path.write_bytes(extended)
    out = run_pdfsig(path)  # poppler checks the signature; it cannot check timestamps
    assert out.count("Signature is Valid") == 1, out
    assert "Total document signed" not in out, out


def test_tampering_after_a_pades_extension_is_still_caught(signed_receipt, pki, trust_roots):
    _, extended = _extend_with_dss_and_timestamp(signed_receipt, pki, trust_roots)
    for data in (extended + b"\naggiunta\n",
                 tampered.incremental(extended, tampered.change_info)):
        result = check(data, trust_roots)
        assert result.status == "invalid", result.verdict
        assert all(s.modified_after_signing for s in result.signatures)
        assert INTEGRO not in result.verdict


def test_a_later_signature_is_a_legitimate_extension(office_signer, signed_receipt,
                                                     trust_roots):
    twice = DocumentSigner(office_signer.signer, field_name="Controfirma").sign(
        signed_receipt).data
    result = check(twice, trust_roots)
    assert result.status == "valid", result.verdict
    assert result.signatures[0].extended


def test_changing_the_signature_appearance_is_not_a_later_signature(signed_receipt,
                                                                     trust_roots):
    """A signed field's widget may not be redrawn afterwards: only new signatures count."""
    data = tampered.incremental(signed_receipt, tampered.redraw_signature_widget)
    result = check(data, trust_roots)
    assert result.status == "invalid", result.verdict
    assert result.signatures[0].modified_after_signing


def test_a_filter_name_changed_in_the_signed_bytes_is_a_damaged_file(receipt, trust_roots):
    """pypdf answers an unknown filter name with NotImplementedError: the file is refused.

    (Found by the property test above: «/ASCII85Decode» became «/ASCII85Dedode».)
    """
    name = b"/FlateDecode" if b"/ASCII85Decode" not in receipt.data else b"/ASCII85Decode"
    assert name in receipt.data
    position = receipt.data.index(name) + len(name) - 4  # «...Decode» → «...Dedode»
    changed = receipt.data[:position] + b"d" + receipt.data[position + 1:]
    result = check(changed, trust_roots)
    assert result.status != "valid"
    assert INTEGRO not in result.verdict
