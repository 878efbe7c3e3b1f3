"""The regional monitoring feed (MIR): records of a period, layout, totals, bad periods."""
import csv
import io
from decimal import Decimal

from portal.payments.rules.exports import MONITORING_COLUMNS, names
from tests.functional.payments.funds_fixtures import (
    client_as,
    payments_of,
)

FEED = "/regione/@@monitoraggio"
YEAR = {"dal": "2026-01-01", "al": "2026-12-31"}


def test_feed_json_has_every_payment_of_the_period_with_totals(funded_app):
    feed = client_as(funded_app, "regione").get(FEED, YEAR).json
    assert feed["tracciato"] == "MIR-BUONI-SERVIZIO-PAGAMENTI"
    assert feed["periodo"] == {"dal": "2026-01-01", "al": "2026-12-31"}
    assert [c["nome"] for c in feed["campi"]] == list(names(MONITORING_COLUMNS))
    expected = sorted((a, f, p, r) for d in ("ba-01", "ta-01")
                      for f, p, a, r in payments_of(funded_app, d))
    records = feed["record"]
    assert sorted((Decimal(r["importo_eur"]), r["codice_fondo"], r["protocollo_domanda"],
                   r["riferimento_atto"]) for r in records) == expected
    assert feed["totali"]["record"] == len(expected)
    assert Decimal(feed["totali"]["importo_eur"]) == sum(a for a, *_rest in expected)
    assert feed["totali"]["per_ambito"] == {"BA-01": "10700.10", "TA-01": "999.99"}
    assert feed["totali"]["per_fondo"]["FGSA"] == "999.99"
    assert len({r["id_record"] for r in records}) == len(records)
    for record in records:
        assert set(record) == set(names(MONITORING_COLUMNS))
    # personal data stays out: no names, no fiscal codes
    assert "Conte" not in str(feed)
    assert "CNTMRC" not in str(feed)


def test_feed_period_is_by_day_in_rome(funded_app):
    region = client_as(funded_app, "regione")
    march = region.get(FEED, {"dal": "2026-03-01", "al": "2026-03-31"}).json
    assert {r["tipo_movimento"] for r in march["record"]} == {"PAGAMENTO"}
    # the reversal was at 23:30 UTC on 2 April: 3 April in Rome
    april3 = region.get(FEED, {"dal": "2026-04-03", "al": "2026-04-03"}).json
    assert [(r["tipo_movimento"], r["importo_eur"], r["data_pagamento"])
            for r in april3["record"]] == [("STORNO", "-100.00", "2026-04-03")]
    assert region.get(FEED, {"dal": "2026-04-02", "al": "2026-04-02"}).json["record"] == []


def test_feed_csv_has_the_same_records(funded_app):
    region = client_as(funded_app, "regione")
    response = region.get(FEED, {**YEAR, "formato": "csv"})
    assert response.content_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.body.decode("utf-8").lstrip("\ufeff"))))
    records = region.get(FEED, YEAR).json["record"]
    assert rows == records


def test_bad_periods_are_400_italian_with_english_codes(funded_app):
    region = client_as(funded_app, "regione")
    for query, words in (({}, "Indicare il giorno «dal»"),
                         ({"dal": "2026-01-01"}, "Indicare il giorno «al»"),
                         ({"dal": "01/01/2026", "al": "2026-12-31"}, "non è una data valida"),
                         ({"dal": "2026-02-30", "al": "2026-12-31"}, "non è una data valida"),
                         ({"dal": "2026-W01-1", "al": "2026-12-31"}, "non è una data valida"),
                         ({"dal": "2026-05-01", "al": "2026-04-01"}, "viene dopo")):
        error = region.get(FEED, query, status=400).json["error"]
        assert error["code"] == "invalid_period"
        assert words in error["message"]
        page = region.get(FEED, {**query, "formato": "csv"}, status=400)
        assert words in page.text
        assert page.content_type == "text/html"
    api = region.get("/api/regione/monitoraggio", {"dal": "x", "al": "y"}, status=400)
    assert api.json["error"]["code"] == "invalid_period"
    paid = sum(len(payments_of(funded_app, d)) for d in ("ba-01", "ta-01"))
    assert region.get("/api/regione/monitoraggio", YEAR).json["totali"]["record"] == paid == 5


def test_only_region_officers_get_the_feed(funded_app):
    for who in ("rup-ba01", "girasole", "cittadino"):
        client_as(funded_app, who).get(FEED, YEAR, status=403)
