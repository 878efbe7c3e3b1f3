"""Signing: PKCS#12 and PKCS#11, B-B / B-T / B-LT, each checked by poppler's pdfsig."""
import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

from portal.documents import layouts
from portal.documents.devcert import DEV_MARK, create_dev_signer
from portal.documents.errors import ConfigurationProblem, SigningFailed
from portal.documents.settings import DocumentSettings
from portal.documents.signing import (
    DocumentSigner,
    UrllibTimeStamper,
    load_certificates,
    make_validation_context,
)
from portal.documents.verify import verify_pdf
from tests.unit.portal.documents.conftest import assert_pdfsig_valid, run_pdfsig
from tests.unit.portal.documents.pki import P12_PASSWORD

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]


@pytest.mark.parametrize(("template", "data_fixture"), [
    (layouts.application_receipt, "receipt_data"),
    (layouts.ranking, "ranking_data"),
    (layouts.payment_act, "payment_data"),
])
def test_documents_are_signed_and_pdfsig_agrees(request, tmp_path, office_signer, header,
                                                template, data_fixture, trust_roots):
    data = request.getfixturevalue(data_fixture)
    signed = office_signer.sign(template(header, data))
    assert signed.level == "B-B"
    assert signed.signer_name == "Ambito BA-01 (TEST)"
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed.data)
    assert_pdfsig_valid(path)
    result = verify_pdf(signed.data, trust_roots)
    assert result.status == "valid", result.verdict


def test_repeated_signatures_use_the_template_and_stay_valid(tmp_path, pki, header,
                                                             receipt_data, trust_roots):
    signer = DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD)
    pdf = layouts.application_receipt(header, receipt_data)
    first = signer.sign(pdf).data
    assert signer.signer._cms_templates["sha256"], "fast path not enabled"
    second = signer.sign(pdf).data
    third = signer.sign(layouts.application_receipt(header, dict(receipt_data,
                                                                 applicant_name="Altro")))
    for i, data in enumerate((first, second, third.data)):
        path = tmp_path / f"s{i}.pdf"
        path.write_bytes(data)
        assert_pdfsig_valid(path)
        assert verify_pdf(data, trust_roots).status == "valid"


def test_signing_twice_keeps_both_signatures_valid(tmp_path, office_signer, header,
                                                   receipt_data, trust_roots):
    once = office_signer.sign(layouts.application_receipt(header, receipt_data)).data
    other = DocumentSigner(office_signer.signer, field_name="Controfirma")
    twice = other.sign(once).data
    path = tmp_path / "twice.pdf"
    path.write_bytes(twice)
    out = run_pdfsig(path)
    assert out.count("Signature is Valid") == 2, out
    result = verify_pdf(twice, trust_roots)
    assert result.status == "valid", result.verdict
    assert len(result.signatures) == 2


def test_b_t_with_certomancer_tsa(tmp_path, pki, header, receipt_data, trust_roots,
                                  monkeypatch):
    monkeypatch.setenv("TEST_P12_PASS", P12_PASSWORD.decode())
    signer = DocumentSigner.from_settings(DocumentSettings.from_settings({
        "documents.pkcs12_file": pki.p12["office"], "documents.pkcs12_password_file": "",
        "documents.pkcs12_password_env": "TEST_P12_PASS", "documents.tsa_url": pki.tsa_url}))
    signed = signer.sign(layouts.application_receipt(header, receipt_data))
    assert signed.level == "B-T"
    path = tmp_path / "bt.pdf"
    path.write_bytes(signed.data)
    assert_pdfsig_valid(path)
    result = verify_pdf(signed.data, trust_roots)
    assert result.status == "valid", result.verdict
    assert result.signatures[0].timestamped
    assert "marca temporale" in result.verdict


def test_unreachable_tsa_fails_clearly(pki, header, receipt_data):
    signer = DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD,
                                        timestamper=UrllibTimeStamper("http://127.0.0.1:9/tsa",
                                                                      timeout=2))
    with pytest.raises(SigningFailed):
        signer.sign(layouts.application_receipt(header, receipt_data))


def test_b_lt_embeds_revocation_info(tmp_path, pki, header, receipt_data, trust_roots):
    context = make_validation_context(trust_roots=trust_roots, allow_fetching=True)
    signer = DocumentSigner.from_pkcs12(
        pki.p12["office"], P12_PASSWORD, timestamper=HTTPTimeStamper(pki.tsa_url),
        embed_validation_info=True, validation_context=context)
    signed = signer.sign(layouts.payment_act(header, {"rows": []}))
    assert signed.level == "B-LT"
    reader = PdfFileReader(io.BytesIO(signed.data))
    dss = reader.root["/DSS"]
    assert "/Certs" in dss
    assert ("/CRLs" in dss or "/OCSPs" in dss)
    path = tmp_path / "blt.pdf"
    path.write_bytes(signed.data)
    # the DSS is an incremental update after the signature, as PAdES B-LT wants
    out = assert_pdfsig_valid(path, whole=False)
    assert "Not total document signed" in out
    result = verify_pdf(signed.data, trust_roots)
    assert result.status == "valid", result.verdict
    assert result.signatures[0].level == "B-LT"


def test_pkcs11_softhsm_signing(tmp_path, pki, softhsm_token, header, receipt_data,
                                trust_roots):
    settings = DocumentSettings.from_settings({
        "documents.signer": "pkcs11", "documents.pkcs11_module": softhsm_token["module"],
        "documents.pkcs11_token_label": softhsm_token["token_label"],
        "documents.pkcs11_key_label": softhsm_token["key_label"],
        "documents.pkcs11_pin_file": str(tmp_path / "pin"),
        "documents.pkcs11_chain": pki.pem["interm"]})
    (tmp_path / "pin").write_text(softhsm_token["pin"] + "\n")
    signer = DocumentSigner.from_settings(settings)
    pdf = layouts.application_receipt(header, receipt_data)
    for i in range(2):  # the second one goes through the CMS template path
        signed = signer.sign(pdf)
        path = tmp_path / f"p11-{i}.pdf"
        path.write_bytes(signed.data)
        assert_pdfsig_valid(path)
        result = verify_pdf(signed.data, trust_roots)
        assert result.status == "valid", result.verdict
        assert result.signatures[0].signer_name == "Ambito BA-01 (TEST)"


def test_pkcs11_wrong_pin_fails_at_construction(softhsm_token):
    with pytest.raises(ConfigurationProblem):
        DocumentSigner.from_pkcs11(softhsm_token["module"], softhsm_token["token_label"],
                                   "0000", softhsm_token["key_label"])


def test_wrong_pkcs12_password_is_a_configuration_problem(pki):
    with pytest.raises(ConfigurationProblem):
        DocumentSigner.from_pkcs12(pki.p12["office"], b"wrong")


def test_signing_garbage_raises_signing_failed(office_signer):
    with pytest.raises(SigningFailed) as info:
        office_signer.sign(b"not a pdf at all")
    assert info.value.code == "signing_failed"


def test_dev_signer_from_settings(tmp_path, header, receipt_data, monkeypatch):
    p12, password_file, pem = create_dev_signer(str(tmp_path / "dev.p12"),
                                                str(tmp_path / "dev.pass"), "Ambito Test")
    assert oct((tmp_path / "dev.pass").stat().st_mode)[-3:] == "600"
    settings = DocumentSettings.from_settings({
        "documents.pkcs12_file": p12, "documents.pkcs12_password_file": password_file,
        "documents.trust_roots": pem})
    signer = DocumentSigner.from_settings(settings)
    assert DEV_MARK in signer.signer_name
    signed = signer.sign(layouts.application_receipt(header, receipt_data))
    path = tmp_path / "dev.pdf"
    path.write_bytes(signed.data)
    assert_pdfsig_valid(path)
    result = verify_pdf(signed.data, load_certificates([pem]))
    assert result.status == "valid", result.verdict
    # created once: a second call keeps the existing key
    assert create_dev_signer(p12, password_file)[0] == p12
    assert signer.signer_name == DocumentSigner.from_settings(settings).signer_name


def test_pkcs12_password_from_environment(pki, monkeypatch):
    monkeypatch.setenv("TEST_P12_PASS", P12_PASSWORD.decode())
    settings = DocumentSettings.from_settings({
        "documents.pkcs12_file": pki.p12["office"], "documents.pkcs12_password_file": "",
        "documents.pkcs12_password_env": "TEST_P12_PASS"})
    assert DocumentSigner.from_settings(settings).signer_name == "Ambito BA-01 (TEST)"
