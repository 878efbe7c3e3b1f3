"""What issued documents say: the ranking shows no empty column, the signer's name is whole."""
import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from portal.documents import layouts
from portal.documents.devcert import DEV_MARK, create_dev_signer
from portal.documents.registry import DocumentRegistry, issue_document
from portal.documents.settings import DocumentSettings
from portal.documents.signing import DocumentSigner, load_certificates
from portal.documents.verify import verify_pdf
from tests.unit.portal.documents.conftest import assert_pdfsig_valid

LONG_OFFICE = ("Ufficio di Piano dell'Ambito territoriale sociale di Casarano, Collepasso, "
               "Parabita e Matino")


def text_of(data):
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def public_rows(count, priority_every=0):
    return [{"position": i, "protocol": f"2026/{i:07d}", "applicant": "",
             "score": "priorità" if priority_every and i % priority_every == 0 else "",
             "outcome": "FINANZIATA"} for i in range(1, count + 1)]


@pytest.mark.parametrize("priority_every", [0, 3])
def test_ranking_pdf_has_no_empty_column_and_one_date(header, priority_every):
    data = {"call_title": "Buoni servizio 2026", "district": "BA-01 — Ambito territoriale di Bari",
            "approved_at": datetime(2026, 4, 1, tzinfo=UTC),
            "act_reference": "Determinazione n. 12 del 30/03/2026",
            "rows": public_rows(12, priority_every)}
    text = text_of(layouts.ranking(header, data))
    assert "Pos. Protocollo" in text
    assert ("Priorità" in text) == bool(priority_every)
    for empty in ("Richiedente", "ISEE", "Punteggio"):
        assert empty not in text
    assert not re.search(r"\bdel\s+\S+\s+del\b", text), text
    assert "Atto di approvazione Determinazione n. 12 del 30/03/2026" in text
    assert "Data di pubblicazione 01/04/2026" in text
    assert "Ambito Ambito" not in text


def test_ranking_pdf_omits_a_missing_act_line(header):
    text = text_of(layouts.ranking(header, {"call_title": "Buoni", "rows": public_rows(2)}))
    assert "Atto di approvazione" not in text
    assert " del " not in text.split("Buoni", 1)[1]


@pytest.mark.parametrize(("title", "expected"), [
    ("Ambito territoriale di Bari", "Ambito territoriale di Bari"),
    ("ambito di Lecce", "ambito di Lecce"), ("BA-01", "Ambito BA-01"), ("", "Ambito")])
def test_district_name_never_doubles_ambito(title, expected):
    assert layouts.district_name(title) == expected


def test_receipt_names_the_service_only_when_chosen(header, receipt_data):
    plain = text_of(layouts.application_receipt(header, receipt_data))
    assert "Servizio scelto" not in plain
    chosen = text_of(layouts.application_receipt(header, {
        **receipt_data, "district": "Ambito territoriale di Bari", "service": "Nido a tempo pieno",
        "unit": "Nido Il Girasole", "provider": "Cooperativa Il Girasole"}))
    assert "per l'Ambito territoriale di Bari." in chosen
    assert "Servizio scelto Nido a tempo pieno" in chosen
    assert "Ente gestore Cooperativa Il Girasole" in chosen


def test_a_long_office_name_is_not_cut_at_64_characters(tmp_path, header, receipt_data):
    assert len(f"{DEV_MARK}: {LONG_OFFICE}") > 64
    p12, password_file, pem = create_dev_signer(str(tmp_path / "dev.p12"),
                                                str(tmp_path / "dev.pass"), LONG_OFFICE)
    settings = DocumentSettings.from_settings({
        "documents.pkcs12_file": p12, "documents.pkcs12_password_file": password_file,
        "documents.trust_roots": pem})
    signer = DocumentSigner.from_settings(settings)
    assert signer.signer_name == f"{DEV_MARK}: {LONG_OFFICE}"
    registry = DocumentRegistry()
    record = issue_document(registry, signer,
                            lambda url: layouts.application_receipt(header, receipt_data),
                            kind="ricevuta", title="Ricevuta", verify_base_url="http://x/verifica")
    assert record.signer_name == f"{DEV_MARK}: {LONG_OFFICE}"
    data = record.read()
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    assert_pdfsig_valid(path)
    result = verify_pdf(data, load_certificates([pem]), registry)
    assert result.status == "valid", result.verdict
    report = result.signatures[0]
    assert report.signer_name == f"{DEV_MARK}: {LONG_OFFICE}"
    assert report.signer_organization == ""  # not the same name twice
    assert LONG_OFFICE in result.verdict


def test_a_short_common_name_stays_the_name(office_signer, pki):
    assert office_signer.signer_name == "Ambito BA-01 (TEST)"
