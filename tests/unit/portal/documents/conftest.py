"""Fixtures of the document tests: a served certomancer PKI, signers, ZODB, pdfsig."""
import os
import subprocess
from datetime import UTC, datetime
from decimal import Decimal

import pkcs11
import pytest
import ZODB
from cryptography.hazmat.primitives import serialization
from pkcs11 import Attribute, ObjectClass
from pkcs11.util.rsa import decode_rsa_private_key
from ZODB.FileStorage import FileStorage

from portal.documents.render import Header, Office
from portal.documents.signing import DocumentSigner
from tests.unit.portal.documents.pki import P12_PASSWORD, build_pki

# aiohttp (used by the TSA client and certvalidator's fetchers) warns when a
# connector is garbage-collected after its event loop closed, which pyhanko's
# per-call asyncio.run() makes routine. Third-party, not ours: filtered here only.
pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """Use for anything signed: the test PKI, its CRL/OCSP/TSA served on 127.0.0.1."""
    pki = build_pki(str(tmp_path_factory.mktemp("pki")))
    yield pki
    pki.stop()


@pytest.fixture(scope="session")
def trust_roots(pki):
    """Use to configure a verifier for the test PKI: the roots it trusts (not the rogue one)."""
    return [pki.cert("root")]


@pytest.fixture(scope="session")
def office_signer(pki):
    """Use to sign with the office's certificate from a PKCS#12 file (PAdES B-B)."""
    return DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD)


@pytest.fixture
def header():
    """Use when rendering a test document: a letterhead and title block."""
    return Header(Office("Ambito Territoriale BA-01", ("Via Roma 1", "70100 Bari (BA)")),
                  "Ricevuta di presentazione della domanda", protocol="2025/0001234",
                  date=datetime(2025, 3, 1, 10, 30, tzinfo=UTC),
                  verify_url="https://portale.example.it/verifica/0123456789abcdef")


@pytest.fixture
def receipt_data():
    """Use to render a submission receipt: an applicant, a call, fields and attachments."""
    return {
        "applicant_name": "Maria Rossi", "fiscal_code": "RSSMRA80A41A662Y",
        "call_title": "Buoni servizio per l'infanzia 2025", "district": "BA-01",
        "submitted_at": datetime(2025, 3, 1, 10, 30, tzinfo=UTC),
        "fields": [("Numero di figli", "2"), ("ISEE", "€ 12.345,67")],
        "attachments": ["isee.pdf", "documento.pdf"],
    }


@pytest.fixture
def ranking_data():
    """Use to render a ranking: 759 rows, enough for several pages."""
    rows = [{"position": i, "protocol": f"2025/{i:07d}", "applicant": f"Richiedente {i}",
             "score": 100 - i, "isee": Decimal("5000.00") + i, "outcome": "Ammesso"}
            for i in range(1, 760)]
    return {"call_title": "Buoni servizio 2025", "district": "BA-01",
            "approved_at": datetime(2025, 4, 1, tzinfo=UTC),
            "act_reference": "determinazione n. 12", "rows": rows}


@pytest.fixture
def payment_data():
    """Use to render a payment act: two rows, one amount with half a cent to round."""
    return {"act_number": "LIQ-2025-7", "period": "marzo 2025",
            "legal_basis": "Avviso regionale n. 1/2025",
            "rows": [{"beneficiary": "Coop. Il Sole", "fiscal_code": "01234567890",
                      "reference": "Buoni marzo", "amount": Decimal("1234.565")},
                     {"beneficiary": "Asilo Nido Arcobaleno", "fiscal_code": "09876543210",
                      "reference": "Buoni marzo", "amount": Decimal(800)}],
            "manager": "Dott.ssa Anna Bianchi"}


def run_pdfsig(path):
    """poppler's independent verdict on a signed file (stdout text)."""
    proc = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60,
                          check=False)
    return proc.stdout + proc.stderr


def assert_pdfsig_valid(path, signatures=1, whole=True):
    """pdfsig: every signature valid and (unless ``whole`` is false) covering the whole file.

    The NSS database pdfsig consults does not hold the test root, so it reports
    "Certificate issuer isn't Trusted"; trust is checked by our own verifier.
    """
    out = run_pdfsig(path)
    assert out.count("Signature Validation: Signature is Valid.") == signatures, out
    if whole:
        assert "Total document signed" in out, out
    return out


@pytest.fixture
def zodb(tmp_path):
    """Use for persistence tests: a FileStorage with a blob dir, opened as a DB."""
    storage = FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs"))
    db = ZODB.DB(storage)
    yield db
    db.close()


@pytest.fixture(scope="session")
def softhsm_token(pki, tmp_path_factory):
    """Use for signing through PKCS#11: a SoftHSM2 token (own SOFTHSM2_CONF) with the office key and cert."""

    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = false\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    module = "/usr/lib/softhsm/libsofthsm2.so"
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "portal-test",
                    "--pin", "1234", "--so-pin", "123456"], check=True, capture_output=True)
    with open(pki.key_pem("office"), "rb") as fh:
        key = serialization.load_pem_private_key(fh.read(), password=None)
    der_key = key.private_bytes(serialization.Encoding.DER,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    lib = pkcs11.lib(module)
    token = lib.get_token(token_label="portal-test")
    with token.open(rw=True, user_pin="1234") as session:
        attrs = decode_rsa_private_key(der_key)
        attrs.update({Attribute.TOKEN: True, Attribute.LABEL: "office",
                      Attribute.ID: b"\x01", Attribute.SIGN: True, Attribute.PRIVATE: True,
                      Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
        session.create_object(attrs)
        cert = pki.cert("office")
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "office", Attribute.ID: b"\x01",
            Attribute.SUBJECT: cert.subject.dump(), Attribute.ISSUER: cert.issuer.dump(),
            Attribute.SERIAL_NUMBER: cert["tbs_certificate"]["serial_number"].dump(),
            Attribute.VALUE: cert.dump(),
        })
    return {"module": module, "token_label": "portal-test", "pin": "1234",
            "key_label": "office"}
