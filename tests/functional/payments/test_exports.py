"""CSV and XLSX exports of spending and payments: content compared with the ledger."""
import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from portal.payments.rules.exports import PAYMENT_COLUMNS, SPENDING_COLUMNS, names
from tests.functional.payments.funds_fixtures import (
    client_as,
    ledger_figures,
    payments_of,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(response):
    assert response.content_type == "text/csv"
    text = response.body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_rows(response):
    assert response.content_type == XLSX
    sheet = load_workbook(io.BytesIO(response.body)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]], rows[0]


def cents(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def spending_from_ledger(app, district):
    return {f: (b, c, p, b - c, c - p) for f, (b, c, p) in ledger_figures(app, district).items()}


def test_spending_csv_of_an_ats_equals_its_ledger(funded_app):
    rows = csv_rows(client_as(funded_app, "rup-ba01").get("/ambiti/ba-01/@@fondi-spesa.csv"))
    assert list(rows[0]) == list(names(SPENDING_COLUMNS))
    expected = spending_from_ledger(funded_app, "ba-01")
    assert {r["codice_fondo"]: tuple(Decimal(r[k]) for k in (
        "budget_eur", "impegnato_eur", "pagato_eur", "residuo_eur", "da_pagare_eur"))
        for r in rows} == expected
    assert {r["codice_ambito"] for r in rows} == {"BA-01"}
    assert {r["codice_avviso"] for r in rows} == {"buoni-minori-2026"}
    assert rows[0]["budget_eur"] == "10000.00"  # dot decimal, two digits


def test_spending_xlsx_of_the_region_covers_every_ats(funded_app):
    rows, header = xlsx_rows(client_as(funded_app, "regione").get(
        "/regione/@@fondi-spesa.xlsx"))
    assert header == names(SPENDING_COLUMNS)
    found = {}
    for row in rows:
        found.setdefault(row["codice_ambito"], {})[row["codice_fondo"]] = tuple(
            cents(row[k]) for k in ("budget_eur", "impegnato_eur", "pagato_eur",
                                    "residuo_eur", "da_pagare_eur"))
    assert found == {"BA-01": spending_from_ledger(funded_app, "ba-01"),
                     "TA-01": spending_from_ledger(funded_app, "ta-01")}
    assert all(isinstance(r["budget_eur"], int | float) for r in rows)  # numbers, not text


def test_payments_csv_and_xlsx_one_row_per_movement(funded_app):
    officer = client_as(funded_app, "rup-ba01")
    expected = sorted((f, p, a, r) for f, p, a, r in payments_of(funded_app, "ba-01"))
    rows = csv_rows(officer.get("/ambiti/ba-01/@@fondi-pagamenti.csv"))
    assert list(rows[0]) == list(names(PAYMENT_COLUMNS))
    assert sorted((r["codice_fondo"], r["protocollo_domanda"], Decimal(r["importo_eur"]),
                   r["riferimento_atto"]) for r in rows) == expected
    reversal = next(r for r in rows if r["tipo"] == "storno")
    assert reversal["importo_eur"] == "-100.00"
    assert reversal["data"] == "2026-04-03"
    xrows, _header = xlsx_rows(officer.get("/ambiti/ba-01/@@fondi-pagamenti.xlsx"))
    assert sorted((r["codice_fondo"], r["protocollo_domanda"], cents(r["importo_eur"]),
                   r["riferimento_atto"]) for r in xrows) == expected
    assert {r["data"].date().isoformat() for r in xrows} == {"2026-03-10", "2026-04-03"}


def test_an_officer_of_ba01_never_gets_other_ats_rows(funded_app):
    officer = client_as(funded_app, "rup-ba01")
    for path in ("/ambiti/ba-01/@@fondi-spesa.csv", "/ambiti/ba-01/@@fondi-pagamenti.csv"):
        assert {r["codice_ambito"] for r in csv_rows(officer.get(path))} == {"BA-01"}
    for name in ("fondi-spesa.csv", "fondi-spesa.xlsx", "fondi-pagamenti.csv",
                 "fondi-pagamenti.xlsx"):
        officer.get("/ambiti/ta-01/@@" + name, status=403)
        officer.get("/regione/@@" + name, status=403)
    region = client_as(funded_app, "regione")
    assert {r["codice_ambito"] for r in csv_rows(region.get(
        "/regione/@@fondi-pagamenti.csv"))} == {"BA-01", "TA-01"}


def test_exports_follow_the_fund_filter(funded_app):
    region = client_as(funded_app, "regione")
    rows = csv_rows(region.get("/regione/@@fondi-pagamenti.csv", {"fondo": "FNPS"}))
    assert {r["codice_fondo"] for r in rows} == {"FNPS"}
    assert sum(Decimal(r["importo_eur"]) for r in rows) == ledger_figures(
        funded_app, "ba-01")["FNPS"][2]
    region.get("/regione/@@fondi-spesa.csv", {"avviso": "nessuno"}, status=400)
