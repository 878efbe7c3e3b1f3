"""Submission at the domain level: the happy path, then every bad input leaves nothing changed."""
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from reportlab.pdfgen import canvas

from content_types.application import ProtectedField, StaleApplication
from portal.applications.rules import matching
from portal.applications.rules.errors import (
    BenefitError,
    CallClosed,
    CallNotOpen,
    DuplicateApplication,
    EntryOtherDistrict,
    EntryUnavailable,
    InvalidAttachment,
    InvalidFiscalCode,
    MissingAttachment,
    NotEligible,
)
from portal.applications.rules.submission import (
    Situation,
    check_attachment,
    receipt_data,
    receipt_mail,
    submit,
)
from tests.unit.portal.applications.rules.conftest import Entry, draft

NOW = datetime(2025, 7, 3, 14, 40, tzinfo=UTC)  # 16:40 in Rome


def do_submit(tree, app, now=NOW, entry=None, **kw):
    situation = Situation(app, tree.call, tree.folder, entry=entry or tree.entry,
                          counters=tree.domande.protocol_counters, isee_provider=tree.isee)
    return submit(situation, fee=Decimal("500.00"), now=now, by="cittadino", fire=tree.fire,
                  **kw)


def snapshot(app):
    return dict(app.__dict__)


def test_luca_rossi_submission(tree):
    app = draft(tree)
    assert app.state == "draft"
    done = do_submit(tree, app)
    assert done.protocol == "2025/0000001"
    assert app.protocol == "2025/0000001"
    assert app.state == "submitted"
    assert app.title == "Domanda 2025/0000001"
    assert (app.fee_monthly, app.family_share_monthly, app.voucher_monthly) == (
        Decimal("500.00"), Decimal("136.00"), Decimal("364.00"))
    assert app.isee["value"] == "12450.00"
    assert app.district_code == "BA-01"
    assert app.call_version == 1
    assert app.submitted_by == "cittadino"
    assert tree.folder.application_for("RSSLCU23S02A662V") is app
    assert app.actions[-1]["what"] == "Invio della domanda"
    data = receipt_data(app, tree.call, "Ambito di Bari")
    assert ("Buono mensile", "€ 364,00") in data["fields"]
    to, subject, body = receipt_mail(app, tree.call)
    assert to == "maria@example.it"
    assert "2025/0000001" in subject
    assert "il 03/07/2025 alle 16:40" in body


def test_delegate_submits_and_the_citizen_sees_who_acted(tree):
    app = draft(tree)
    app.assign_parties("cittadino", "caf", {"document_uid": "deleg-1"})
    do_submit(tree, app, on_behalf_of="cittadino")
    assert app.actions[-1]["on_behalf_of"] == "cittadino"
    assert ("Presentata tramite delegato", "caf") in receipt_data(app, tree.call, "x")["fields"]


def test_protocols_are_progressive_per_ats(tree):
    first = draft(tree, "d1")
    second = draft(tree, "d2", beneficiary_fiscal_code="CNTMRC85P09E506E")
    do_submit(tree, first)
    tree.isee.add_manual("CNTMRC85P09E506E", "INPS-ISEE-2025-01234569K-00", "minorenni",
                         "1000", datetime(2025, 2, 1).date(), entered_by="rup",
                         attachment_uid="doc")
    # the second beneficiary is an adult: with strict=False it is protocolled and auto-rejected
    done = do_submit(tree, second, entry=Entry(title="Altro nido", places=3), strict=False)
    assert done.protocol == "2025/0000002"
    assert second.state == "auto_ineligible"
    assert [f["code"] for f in second.eligibility_failures] == ["age_out_of_range"]


def refused(tree, app, exc_type, **kw):
    before = snapshot(app)
    counters_before = tree.domande.protocol_counters.last(2025)
    with pytest.raises(exc_type) as excinfo:
        do_submit(tree, app, **kw)
    assert snapshot(app) == before, "a refused submission must not change the application"
    assert tree.domande.protocol_counters.last(2025) == counters_before
    assert app.state == "draft"
    return excinfo.value


def test_after_the_deadline_shows_the_exact_closing_time(tree):
    error = refused(tree, draft(tree), CallClosed, now=datetime(2025, 9, 15, 10, 0, 1, tzinfo=UTC))
    assert str(error.message) == (
        "Il termine per l'invio delle domande dell'avviso «Buoni servizio infanzia 2025-2026» "
        "è scaduto il 15/09/2025 alle 12:00 (ora italiana): la domanda non può più essere "
        "inviata.")
    error = refused(tree, draft(tree, "d2"), CallNotOpen,
                    now=datetime(2025, 6, 30, tzinfo=UTC))
    assert "dal 01/07/2025 alle 10:00" in str(error.message)


def test_invalid_fiscal_code(tree):
    app = draft(tree)
    app.beneficiary_fiscal_code = "RSSLCU23S02A662X"  # a form would refuse it; the API too
    error = refused(tree, app, InvalidFiscalCode)
    assert "codice fiscale del beneficiario" in str(error.message)


def test_isee_above_threshold_and_wrong_type_and_expired(tree):
    app = draft(tree, beneficiary_fiscal_code="BNCNNA90A45D862T")
    error = refused(tree, app, NotEligible)
    codes = [f.code for f in error.failures]
    assert "isee_over_threshold" in codes
    assert "age_out_of_range" in codes
    assert "L'ISEE di € 41.000,00 supera la soglia di € 40.000,00" in str(error.message)
    expired = draft(tree, "d2")
    expired.isee = {"fiscal_code": "RSSLCU23S02A662V", "protocol": "INPS-ISEE-2024-01234567K-00",
                    "isee_type": "universita", "value": "9000", "dsu_date": "2024-03-01"}
    error = refused(tree, expired, NotEligible)
    assert [f.code for f in error.failures] == ["isee_wrong_type", "isee_expired"]


def test_no_isee_found(tree):
    app = draft(tree, beneficiary_fiscal_code="CNTMRC85P09E506E",
                applicant_fiscal_code="SPSGPP46L21L049R")
    error = refused(tree, app, NotEligible)
    assert "Nessuna attestazione ISEE" in str(error.message)


def test_entry_full_or_in_another_ats(tree):
    error = refused(tree, draft(tree), EntryUnavailable, entry=Entry(title="Pieno", places=0))
    assert str(error.message) == "Il servizio «Pieno» non ha più posti liberi: sceglierne un altro."
    error = refused(tree, draft(tree, "d2"), EntryOtherDistrict,
                    entry=Entry(title="Lontano", district="LE-02"))
    assert "appartiene a un altro Ambito (LE-02)" in str(error.message)


def test_duplicate_for_the_same_beneficiary_and_call(tree):
    do_submit(tree, draft(tree, "d1"))
    error = refused(tree, draft(tree, "d2"), DuplicateApplication)
    assert "protocollo 2025/0000001" in str(error.message)


def test_reapply_after_withdrawal(tree):
    first = draft(tree, "d1")
    do_submit(tree, first)
    tree.fire(first, "withdraw", "")
    assert do_submit(tree, draft(tree, "d2")).protocol == "2025/0000002"


def test_reapply_after_the_application_lapsed(tree):
    first = draft(tree, "d1")
    do_submit(tree, first)
    tree.fire(first, "lapse", "Termine per l'abbinamento scaduto.")
    assert first.state == "lapsed"
    assert do_submit(tree, draft(tree, "d2")).protocol == "2025/0000002"


def test_missing_required_data_and_attachments(tree):
    app = draft(tree)
    app.household_code = ""
    error = refused(tree, app, BenefitError)
    assert str(error.message) == "Mancano dati obbligatori: codice famiglia."
    error = refused(tree, draft(tree, "d2"), MissingAttachment,
                    required_attachments=("certificazione",))
    assert "certificazione" in str(error.message)


def test_already_submitted_or_months_out_of_range(tree):
    app = draft(tree, months=11)  # the call funds at most 10
    error = refused(tree, app, BenefitError)
    assert str(error.message) == "I mesi richiesti devono essere da 1 a 10."
    ok = draft(tree, "d2")
    do_submit(tree, ok)
    with pytest.raises(BenefitError, match="già stata inviata"):
        do_submit(tree, ok)


def pdf_bytes():
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, "Attestazione ISEE")
    page.save()
    return buffer.getvalue()


def test_attachments_must_be_valid_pdfs():
    assert check_attachment(pdf_bytes(), "isee.pdf").pages == 1
    for data, expected in ((b"", "è vuoto"), (b"GIF89a not a pdf", "non è un PDF"),
                           (pdf_bytes()[:-200], "incompleto o danneggiato")):
        with pytest.raises(InvalidAttachment) as excinfo:
            check_attachment(data, "isee.pdf")
        assert "L'allegato «isee.pdf»" in str(excinfo.value.message)
        assert expected in str(excinfo.value.message)


def test_tampering_and_stale_forms(tree):
    app = draft(tree)
    before = snapshot(app)
    for field in ("state", "protocol", "district_code", "voucher_monthly", "__acl__",
                  "applicant_login", "submitted_at"):
        with pytest.raises(ProtectedField):
            app.set_data({"months": 3, field: "x"})
    assert snapshot(app) == before
    token = app.version_token()
    app.check_version(token)
    app.set_data({"months": 9})
    with pytest.raises(StaleApplication):
        app.check_version(token)
    do_submit(tree, app)
    with pytest.raises(ProtectedField, match="già stata inviata"):
        app.set_data({"months": 3})


def test_matching_takes_and_releases_places(tree):
    app = draft(tree)
    do_submit(tree, app)
    app.catalogue_entry_uid = tree.entry.uid
    matching.accept(app, tree.entry, who="girasole", when=NOW,
                    fire=tree.fire)
    assert app.state == "matched"
    assert tree.entry.free_places == 0
    assert matching.release(app, tree.entry)
    assert tree.entry.free_places == 1
    assert not matching.release(app, tree.entry)  # only once
    other = draft(tree, "d2", beneficiary_fiscal_code="CNTMRC85P09E506E")
    with pytest.raises(BenefitError, match="motivo"):
        matching.decline(other, who="girasole", when=NOW, reason=" ")
    matching.decline(other, who="girasole", when=NOW, reason="Nessun posto a tempo pieno")
    assert other.match_decision["accepted"] is False
    full = Entry(title="Pieno", places=0)
    app2 = draft(tree, "d3")
    app2.catalogue_entry_uid = full.uid
    with pytest.raises(EntryUnavailable):
        matching.accept(app2, full, who="g", when=NOW, fire=tree.fire)
    assert matching.entry_fee(tree.entry, NOW.date(), False) == Decimal("300.00")
