"""Signing configuration errors and options: what an operator gets wrong, and the knobs they set."""
import http.server
import threading
from datetime import UTC, datetime

import pytest

from portal.documents import layouts
from portal.documents.errors import ConfigurationProblem, SigningFailed
from portal.documents.settings import DocumentSettings
from portal.documents.signing import (
    DocumentSigner,
    UrllibTimeStamper,
    load_certificates,
    make_validation_context,
    read_signed_revisions,
)
from portal.documents.verify import verify_pdf
from tests.unit.portal.documents.pki import P12_PASSWORD

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]


def test_certificates_load_from_der_files_as_from_pem(tmp_path, pki):
    root = pki.cert("root")
    der = tmp_path / "root.der"
    der.write_bytes(root.dump())
    assert [c.dump() for c in load_certificates([str(der), pki.root_pem])] == [root.dump()] * 2


def test_embedding_revocation_info_without_a_validation_context_is_refused(pki):
    with pytest.raises(ConfigurationProblem):
        DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD, embed_validation_info=True)


def test_a_missing_pkcs12_file_is_a_configuration_problem(tmp_path):
    missing = str(tmp_path / "non-esiste.p12")
    with pytest.raises(ConfigurationProblem):
        DocumentSigner.from_pkcs12(missing, "x")


def test_no_signer_configured_means_no_signing():
    settings = DocumentSettings.from_settings({"documents.signer": ""})
    assert DocumentSigner.from_settings(settings) is None


def test_settings_with_revocation_info_give_a_b_lt_signer(pki, tmp_path, header, receipt_data,
                                                         trust_roots):
    password = tmp_path / "p12.pass"
    password.write_text(P12_PASSWORD.decode())
    settings = DocumentSettings.from_settings({
        "documents.pkcs12_file": pki.p12["office"],
        "documents.pkcs12_password_file": str(password),
        "documents.tsa_url": pki.tsa_url, "documents.embed_revocation_info": "true",
        "documents.trust_roots": pki.root_pem})
    signer = DocumentSigner.from_settings(settings)
    assert signer.level == "B-LT"
    assert signer.signing_cert.subject == pki.cert("office").subject
    signed = signer.sign(layouts.application_receipt(header, receipt_data))
    assert len(read_signed_revisions(signed.data)) == 1
    assert verify_pdf(signed.data, trust_roots).status == "valid"


def test_too_little_reserved_room_fails_as_a_signing_failure(pki, header, receipt_data):
    signer = DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD, bytes_reserved=64)
    assert signer.bytes_reserved == 64
    with pytest.raises(SigningFailed):
        signer.sign(layouts.application_receipt(header, receipt_data))


class _NotATsa(http.server.BaseHTTPRequestHandler):
    """Answers every POST with an HTML page, as a misconfigured proxy would."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html>not a TSA</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def not_a_tsa():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotATsa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_a_url_that_is_not_a_tsa_fails_the_signature(pki, not_a_tsa, header, receipt_data):
    signer = DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD,
                                        timestamper=UrllibTimeStamper(not_a_tsa, timeout=5))
    with pytest.raises(SigningFailed):
        signer.sign(layouts.application_receipt(header, receipt_data))


def test_a_validation_context_at_a_moment_before_the_certificates_rejects_them(
        office_signer, header, receipt_data, trust_roots):
    signed = office_signer.sign(layouts.application_receipt(header, receipt_data))
    past = make_validation_context(trust_roots=trust_roots, moment=datetime(1990, 1, 1, tzinfo=UTC))
    now = make_validation_context(trust_roots=trust_roots)
    assert past.moment == datetime(1990, 1, 1, tzinfo=UTC)
    assert now.moment > past.moment
    assert verify_pdf(signed.data, trust_roots).status == "valid"
