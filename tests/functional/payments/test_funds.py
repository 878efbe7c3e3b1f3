"""The fund dashboards of an ATS and of the Region: figures live from the ledger, permissions."""
import re
from datetime import UTC, datetime
from decimal import Decimal

from portal.payments.ledger import ledger_of
from tests.functional.applications.conftest import run_in_app
from tests.functional.payments.funds_fixtures import (
    client_as,
    ledger_figures,
)

DISTRICT = "/ambiti/ba-01/@@fondi"
REGION = "/regione/@@fondi"


def table_values(html, table_id):
    """{row header: [Decimal per data-value]} of one table of the page."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.DOTALL)
        cells = re.findall(r'data-value="([^"]+)"', row)
        if header and cells:
            label = re.sub(r"<[^>]+>", "", header.group(1)).strip()
            rows[label] = [Decimal(v) for v in cells]
    return rows


def test_district_dashboard_shows_the_ledger_per_fund(funded_app):
    page = client_as(funded_app, "rup-ba01").get(DISTRICT)
    rows = table_values(page.text, "grafico-fondi-tabella")
    figures = ledger_figures(funded_app, "ba-01")
    assert set(figures) == {"FSE", "FNPS"}
    for code, (budget, committed, paid) in figures.items():
        row = next(v for k, v in rows.items() if k.startswith(code + " "))
        assert row == [budget, committed, paid, budget - committed, committed - paid]
    total = rows["Totale"]
    assert total[0] == sum(b for b, _c, _p in figures.values()) == Decimal("12500.50")
    assert total[2] == Decimal("10700.10")  # 10500 + 300.10 − 100 reversed
    assert "canvas" in page.text
    assert "data-chart-table" in page.text
    assert "charts.js" in page.text
    assert "chartjs/chart.umd.min.js" in page.text
    assert "<script>" not in page.text
    assert ' style="' not in page.text


def test_dashboard_changes_with_the_ledger(funded_app):
    officer = client_as(funded_app, "rup-ba01")
    before = table_values(officer.get(DISTRICT).text, "grafico-fondi-tabella")["Totale"]
    run_in_app(funded_app, lambda p: ledger_of(p["ambiti"]["ba-01"]).pay(
        "uid-b", "0.15", who="t", when=datetime.now(UTC), reference="LIQ-2"))
    after = table_values(officer.get(DISTRICT).text, "grafico-fondi-tabella")["Totale"]
    assert after[2] - before[2] == Decimal("0.15")
    assert after[4] - before[4] == Decimal("-0.15")


def test_region_dashboard_has_every_ats_side_by_side(funded_app):
    page = client_as(funded_app, "regione").get(REGION)
    rows = table_values(page.text, "grafico-ambiti-tabella")
    assert {k.split(" ")[0] for k in rows} == {"BA-01", "TA-01", "LE-03", "Totale"}
    ta = ledger_figures(funded_app, "ta-01")["FGSA"]
    ta_row = next(v for k, v in rows.items() if k.startswith("TA-01"))
    assert ta_row[:3] == list(ta)
    le_row = next(v for k, v in rows.items() if k.startswith("LE-03"))
    assert le_row == [Decimal("0.00")] * 5
    assert rows["Totale regionale"][0] == Decimal("12500.50") + Decimal("7000.00")
    assert 'href="/ambiti/ta-01/@@fondi"' in page.text


def test_region_dashboard_filters_by_fund_and_call(funded_app):
    region = client_as(funded_app, "regione")
    rows = table_values(region.get(REGION, {"fondo": "FGSA"}).text, "grafico-ambiti-tabella")
    assert rows["Totale regionale"][:3] == [Decimal("7000.00"), Decimal("4000.00"),
                                          Decimal("999.99")]
    rows = table_values(region.get(REGION, {"avviso": "buoni-minori-2026"}).text,
                        "grafico-ambiti-tabella")
    assert rows["Totale regionale"][0] == Decimal("19500.50")
    assert 'href="/ambiti/ba-01/@@fondi?avviso=buoni-minori-2026"' in region.get(
        REGION, {"avviso": "buoni-minori-2026"}).text


def test_bad_filters_are_400_with_an_italian_message(funded_app):
    region = client_as(funded_app, "regione")
    page = region.get(REGION, {"avviso": "non-esiste"}, status=400)
    assert "Avviso sconosciuto" in page.text
    page = region.get(REGION, {"fondo": "XYZ"}, status=422)
    assert "Fonte di finanziamento sconosciuta" in page.text


def test_who_sees_the_dashboards(funded_app):
    for who, path, status in (
            ("rup-ba01", DISTRICT, 200), ("regione", DISTRICT, 200),
            ("rup-ba01", "/ambiti/ta-01/@@fondi", 403), ("girasole", DISTRICT, 403),
            ("cittadino", DISTRICT, 403), ("redazione-ba01", DISTRICT, 403),
            ("rup-ba01", REGION, 403), ("regione", REGION, 200),
            ("cittadino", REGION, 403)):
        client_as(funded_app, who).get(path, status=status)


def test_personal_area_links_to_the_dashboards(funded_app):
    area = client_as(funded_app, "rup-ba01").get("/@@area-personale")
    assert 'href="/ambiti/ba-01/@@fondi"' in area.text
    assert "Monitoraggio della spesa per fondo" in area.text
    area = client_as(funded_app, "regione").get("/@@area-personale")
    assert 'href="/regione/@@fondi"' in area.text
