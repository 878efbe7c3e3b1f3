"""Rendering: templates, metadata, embedded fonts, page x of y, QR, Italian formats."""
import io
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from content_types.base import Content
from content_types.values import euro, format_date
from portal.documents import layouts


def read(pdf):
    return PdfReader(io.BytesIO(pdf))


def plan_summary_data(draft=False, problems=()):
    """A two-year plan summary: one ordinary source, one of the other resources, one intervention."""
    years = (2025, 2026)

    def figures(available, allocated):
        return {"years": dict.fromkeys(years, (Decimal(available), Decimal(allocated))),
                "period": (Decimal(available) * 2, Decimal(allocated) * 2)}

    return {
        "fields": [("Ambito", "Ambito di Bari"), ("Periodo", "2025–2027"), ("Versione", "1")],
        "draft": draft, "years": years, "problems": list(problems),
        "ordinary_sources": [{"title": "FNPS — Fondo nazionale", **figures("1000.10", "400")}],
        "ordinary_total": figures("1000.10", "400"),
        "other_sources": [{"title": "PNRR — PNRR", **figures("250.50", "0")}],
        "other_total": figures("250.50", "0"),
        "interventions": [{"code": "SAD", "title": "Assistenza domiciliare", "service":
                           "HOMECARE", "area": "ELD", "objective": "2D", "level": "Di Ambito",
                           "ordinary": Decimal(800),
                           "other": Decimal(0)}],
        "allocations": [{"intervention": "SAD", "source": "FNPS",
                         "years": dict.fromkeys(years, Decimal(400)), "period": Decimal(800)}],
    }


def fonts(path):
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("name", sorted(layouts.TEMPLATES))
def test_every_template_renders_with_metadata_and_embedded_fonts(tmp_path, header, name,
                                                                 receipt_data, ranking_data,
                                                                 payment_data):
    data = {"ricevuta": receipt_data, "graduatoria": ranking_data,
            "liquidazione": payment_data,
            "attestazione": {"provider": "Coop. Il Sole", "beneficiary": "M. R.",
                             "month": "marzo 2025", "amount": Decimal("320.00"),
                             "rows": [{"date": date(2025, 3, 3), "description": "Nido",
                                       "hours": 6}]},
            "piano": plan_summary_data()}[name]
    pdf = layouts.TEMPLATES[name](header, data)
    reader = read(pdf)
    meta = reader.metadata
    assert meta.title == header.title
    assert meta.author == "Ambito Territoriale BA-01"
    assert reader.trailer["/Root"]["/Lang"] == "it-IT"
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    listing = fonts(path)
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert rows, listing
    assert all("yes" in r[-5:-3] for r in rows), listing  # emb column
    assert "Helvetica" not in listing
    text = reader.pages[-1].extract_text()
    total = len(reader.pages)
    assert f"Pagina {total} di {total}" in text
    assert "2025/0001234" in reader.pages[0].extract_text()


def test_ranking_spans_many_pages_with_repeated_header(header, ranking_data):
    reader = read(layouts.ranking(header, ranking_data))
    assert len(reader.pages) >= 20
    assert "Pagina 1 di" in reader.pages[0].extract_text()
    assert "Protocollo" in reader.pages[5].extract_text()  # repeated table header
    assert "Richiedente 759" in reader.pages[-1].extract_text()


def test_payment_act_totals_in_decimal(header, payment_data):
    text = read(layouts.payment_act(header, payment_data)).pages[0].extract_text()
    assert "€ 1.234,57" in text  # half-up
    assert "€ 2.034,57" in text  # total: exact sum, rounded once
    assert "€ 800,00" in text


def test_qr_code_and_link_point_to_verification(header, receipt_data):
    reader = read(layouts.application_receipt(header, receipt_data))
    page = reader.pages[0]
    assert [a.get_object()["/A"]["/URI"] for a in page["/Annots"]] == [header.verify_url]
    assert "/XObject" in page["/Resources"]  # the QR form


def test_render_any_content_object(header):
    obj = Content(title="Una pagina", creator="user:mrossi", body="Testo della pagina",
                  amount=Decimal("10.5"), active=True)
    text = read(layouts.render_object(header, obj, ["body", "amount", "active"],
                                      labels={"body": "Testo"})).pages[0].extract_text()
    assert "Una pagina" in text
    assert "Testo della pagina" in text
    assert "€ 10,50" in text
    assert "sì" in text
    assert "Testo" in text
    all_fields = read(layouts.render_object(header, obj)).pages[0].extract_text()
    assert "Creator" in all_fields
    assert "user:mrossi" in all_fields


def test_formats():
    assert euro(Decimal("1234567.005")) == "€ 1.234.567,01"
    assert euro(Decimal("-3.5")) == "-€ 3,50"
    assert euro(0) == "€ 0,00"
    assert format_date(datetime(2025, 1, 31, 23, 30, tzinfo=UTC)) == "01/02/2025"
    assert format_date(date(2025, 3, 1)) == "01/03/2025"
