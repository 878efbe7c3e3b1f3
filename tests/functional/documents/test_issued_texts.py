"""What issued PDFs say: the receipt names the service, the entry sheet says it is unsigned."""
import io
import subprocess

from pypdf import PdfReader
from reportlab.pdfgen import canvas

from tests.conftest import csrf_token
from tests.functional.applications.conftest import client, complete_draft, run_in_app, submit
from tests.functional.applications.test_journey import pdfsig_ok

ENTRY = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
                    .split())


def entry_titles(app):
    def read(portal):
        entry = portal["catalogo"]["girasole"]["nido-girasole"]["nido-tempo-pieno"]
        return entry.title, entry.unit.title, entry.provider.title
    return run_in_app(app, read)


def test_receipt_names_the_chosen_service_and_the_district_once(applications_app, codes,
                                                                  tmp_path):
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    submit(citizen, url)
    receipt = citizen.get(url + "/@@ricevuta.pdf").body
    pdfsig_ok(receipt, tmp_path, "ricevuta.pdf")
    text = pdf_text(receipt)
    entry, unit, provider = entry_titles(applications_app)
    for title in (entry, unit, provider):
        assert " ".join(title.split()) in text
    assert "Servizio scelto" in text
    assert "Ambito Ambito" not in text
    assert "per l'Ambito territoriale di Bari" in text


def test_entry_sheet_says_it_is_unsigned_and_verifica_names_it(applications_app, tmp_path):
    anonymous = client(applications_app)
    sheet = anonymous.get(ENTRY + "/@@scheda.pdf").body
    assert "Scheda informativa non firmata" in pdf_text(sheet)
    path = tmp_path / "scheda.pdf"
    path.write_bytes(sheet)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60,
                         check=False)
    assert "does not contain any signatures" in out.stdout + out.stderr
    token = csrf_token(anonymous)
    page = anonymous.post("/verifica", {"csrf_token": token},
                          upload_files=[("file", "scheda.pdf", sheet, "application/pdf")])
    flat = " ".join(page.text.split())
    assert "scheda informativa del catalogo" in flat
    assert "non contiene firme digitali" not in flat
    verdict = anonymous.post("/api/verify", sheet,
                             headers={"Content-Type": "application/pdf"}).json
    assert verdict["status"] == "unsigned"
    assert verdict["refusal_code"] == "information_sheet"


def test_an_unsigned_pdf_that_is_no_sheet_stays_plainly_unsigned(applications_app):
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(100, 700, "Scheda informativa non firmata")  # the words alone do not count
    drawing.save()
    verdict = client(applications_app).post(
        "/api/verify", buffer.getvalue(), headers={"Content-Type": "application/pdf"}).json
    assert verdict["status"] == "unsigned"
    assert verdict["refusal_code"] == ""


