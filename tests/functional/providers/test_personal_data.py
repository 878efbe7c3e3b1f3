"""A provider's public page shows the body; its legal representative only to who needs it."""
import io
from datetime import date

import pytest
from pypdf import PdfReader

from portal.demo.applications import fiscal_code, months_before
from tests.functional.providers.conftest import client

GIRASOLE = "/catalogo/girasole"
REPRESENTATIVE_CF = "BNCNNA90A45D862T"  # Anna Bianco, in portal/demo/providers.py
ENTRY = GIRASOLE + "/nido-girasole/nido-tempo-pieno"


def set_tax_code(app, code):
    """The Region turns the demo provider into a sole trader (a person's codice fiscale)."""
    form = client(app, "regione").get(GIRASOLE + "/@@modifica").forms["form-portale"]
    form["tax_code"] = code
    assert form.submit("salva").status_int == 303


@pytest.mark.parametrize("who", [None, "cittadino", "rup-ba01"])
def test_visitors_see_the_body_not_the_representative(catalogue_app, who):
    page = client(catalogue_app, who).get(GIRASOLE).text
    assert "Cooperativa sociale Il Girasole" in page
    assert "girasole@pec.example.it" in page
    assert "Via Sparano 10" in page
    assert REPRESENTATIVE_CF not in page
    assert "Anna Bianco" not in page
    data = client(catalogue_app, who).get("/api" + GIRASOLE).json["data"]
    assert "legal_representative_cf" not in data
    assert "legal_representative" not in data
    assert data["pec"] == "girasole@pec.example.it"
    assert data["tax_code"].isdigit()


@pytest.mark.parametrize("who", ["girasole", "regione", "admin"])
def test_the_provider_and_the_region_see_the_representative(catalogue_app, who):
    page = client(catalogue_app, who).get(GIRASOLE).text
    assert REPRESENTATIVE_CF in page
    assert "Anna Bianco" in page
    data = client(catalogue_app, who).get("/api" + GIRASOLE).json["data"]
    assert data["legal_representative_cf"] == REPRESENTATIVE_CF


def test_a_sole_traders_personal_tax_code_stays_private(catalogue_app):
    code = fiscal_code("VRD", "GPP", months_before(date(1980, 5, 1), 0))
    set_tax_code(catalogue_app, code)
    anonymous = client(catalogue_app)
    assert code not in anonymous.get(GIRASOLE).text
    assert "tax_code" not in anonymous.get("/api" + GIRASOLE).json["data"]
    sheet = anonymous.get(ENTRY + "/@@scheda.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.body)).pages)
    assert "Cooperativa sociale Il Girasole" in text
    assert code not in text
    assert code in client(catalogue_app, "regione").get(GIRASOLE).text


def test_search_finds_a_company_by_number_but_never_shows_a_persons_code(catalogue_app):
    anonymous = client(catalogue_app)
    vat = anonymous.get("/api" + GIRASOLE).json["data"]["tax_code"]
    assert "Il Girasole" in anonymous.get("/cerca", {"q": vat}).text
    code = fiscal_code("VRD", "GPP", months_before(date(1980, 5, 1), 0))
    set_tax_code(catalogue_app, code)
    for url in ("/cerca", "/api/search"):
        assert code not in anonymous.get(url, {"q": "Girasole"}).text
        assert "Il Girasole" not in anonymous.get(url, {"q": code}).text.replace(code, "")
