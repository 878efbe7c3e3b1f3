"""verify_pdf: tampering, revoked/untrusted/expired certificates, registry recognition."""
import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

from portal.documents import layouts
from portal.documents.registry import DocumentRegistry, register
from portal.documents.signing import DocumentSigner
from portal.documents.verify import verify_pdf
from tests.unit.portal.documents import badpdfs
from tests.unit.portal.documents.conftest import run_pdfsig
from tests.unit.portal.documents.pki import P12_PASSWORD

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]


@pytest.fixture
def signed_receipt(office_signer, header, receipt_data):
    return office_signer.sign(layouts.application_receipt(header, receipt_data)).data


def check(data, trust_roots, **kwargs):
    return verify_pdf(data, trust_roots, allow_fetching=True, **kwargs)


def test_valid_document(signed_receipt, trust_roots):
    result = check(signed_receipt, trust_roots)
    assert result.status == "valid", result.verdict
    sig = result.signatures[0]
    assert sig.intact
    assert sig.valid
    assert sig.trusted
    assert sig.whole_document
    assert sig.signer_name == "Ambito BA-01 (TEST)"
    assert not sig.timestamped
    assert "Documento integro" in result.verdict
    assert "dichiarato dal firmatario" in result.verdict
    assert result.to_json()["signatures"][0]["ok"] is True


def test_byte_changed_after_signing_is_detected_by_us_and_by_pdfsig(tmp_path, signed_receipt,
                                                                    trust_roots):
    position = signed_receipt.index(b"Ricevuta di presentazione")
    tampered = bytearray(signed_receipt)
    tampered[position] = ord("X")
    tampered = bytes(tampered)
    result = check(tampered, trust_roots)
    assert result.status == "invalid"
    assert not result.signatures[0].intact
    assert "modificato dopo la firma" in result.verdict
    path = tmp_path / "tampered.pdf"
    path.write_bytes(tampered)
    out = run_pdfsig(path)
    assert "Signature is Valid" not in out, out
    assert "Digest Mismatch" in out or "Invalid" in out, out


def test_byte_changed_inside_the_signature_value(tmp_path, signed_receipt, trust_roots):
    start = signed_receipt.index(b"/Contents <") + len(b"/Contents <") + 3000
    tampered = bytearray(signed_receipt)
    tampered[start] = ord("0") if tampered[start] != ord("0") else ord("1")
    result = check(bytes(tampered), trust_roots)
    assert result.status == "invalid", result.verdict


def test_incremental_change_after_signing(signed_receipt, trust_roots):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_receipt))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    result = check(out.getvalue(), trust_roots)
    assert result.status == "invalid"
    assert result.signatures[0].modified_after_signing
    assert "modificato" in result.verdict


@pytest.mark.parametrize(("label", "word", "flag"), [
    ("revoked", "revocato", "revoked"),
    ("expired", "scaduto", "expired"),
    ("rogue", "non è rilasciato da un'autorità", None),
])
def test_bad_certificates(pki, header, receipt_data, trust_roots, label, word, flag):
    signer = DocumentSigner.from_pkcs12(pki.p12[label], P12_PASSWORD)
    data = signer.sign(layouts.application_receipt(header, receipt_data)).data
    result = check(data, trust_roots)
    assert result.status == "invalid", result.verdict
    assert word in result.verdict
    sig = result.signatures[0]
    assert sig.intact
    assert sig.valid
    assert not sig.trusted
    if flag:
        assert getattr(sig, flag)


def test_office_cert_is_untrusted_without_configured_root(signed_receipt, pki):
    result = check(signed_receipt, [pki.cert("rogue-root")])
    assert result.status == "invalid"
    assert "autorità di certificazione" in result.verdict


def test_b_t_time_comes_from_timestamp(pki, header, receipt_data, trust_roots):
    signer = DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD,
                                        timestamper=HTTPTimeStamper(pki.tsa_url))
    data = signer.sign(layouts.application_receipt(header, receipt_data)).data
    result = check(data, trust_roots)
    assert result.status == "valid"
    assert result.signatures[0].timestamped
    assert result.signatures[0].level == "B-T"
    assert "marca temporale" in result.verdict


def test_unsigned_pdf(header, receipt_data, trust_roots):
    result = check(layouts.application_receipt(header, receipt_data), trust_roots)
    assert result.status == "unsigned"
    assert "non contiene firme" in result.verdict


@pytest.mark.parametrize(("data", "code"), [
    (b"plain text, not a pdf", "not_a_pdf"),
    (badpdfs.simple_pdf()[:200], "damaged_pdf"),
    (badpdfs.launch_action_pdf(), "active_content"),
])
def test_refusals_become_verdicts(data, code, trust_roots):
    result = check(data, trust_roots)
    assert result.status == "refused"
    assert result.refusal_code == code
    assert result.verdict


def test_too_large_file_is_refused(trust_roots):
    result = verify_pdf(badpdfs.EndlessUpload(2 * 1024 ** 3), trust_roots, max_bytes=1024)
    assert result.status == "refused"
    assert result.refusal_code == "file_too_large"


def test_truncated_signed_document(signed_receipt, trust_roots):
    result = check(signed_receipt[:-3000], trust_roots)
    assert result.status == "refused"
    assert result.refusal_code == "damaged_pdf"


def test_recognises_documents_issued_by_the_portal(signed_receipt, trust_roots):
    registry = DocumentRegistry()
    register(registry, signed_receipt, kind="ricevuta", title="Ricevuta domanda",
             protocol="2025/0001234", signer_name="Ambito BA-01 (TEST)", level="B-B")
    result = check(signed_receipt, trust_roots, registry=registry)
    assert result.status == "valid"
    assert result.issued["protocol"] == "2025/0001234"
    assert "emesso da questo portale" in result.verdict
    other = check(signed_receipt, trust_roots, registry=DocumentRegistry())
    assert other.issued is None
    assert "non risulta" in other.verdict
