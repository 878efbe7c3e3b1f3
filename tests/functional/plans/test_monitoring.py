"""«Monitoraggio» of an approved zone plan: domain.md §6's FNPS figures through the page,
refused commitments and payments (nothing stored), stale forms, vouchers counted from the
ledger, the Region's threshold, the CSV of the movements and who may see and record."""
import csv
import io
from decimal import Decimal

from portal.plans import fnps
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.monitoring_fixtures import (
    OTHER_ATS_OFFICER,
    movements_of,
    pay_vouchers,
    set_threshold,
)
from tests.functional.plans.plan_fixtures import client_as

#: domain.md §6: of 850k allocated, 700k committed and 520k paid
COMMITMENTS = (("PSW", "2025", "150.000,00"), ("PSW", "2026", "150.000,00"),
               ("PSW", "2027", "100.000,00"), ("CDM", "2025", "150.000,00"),
               ("CDM", "2026", "150.000,00"))
PAYMENTS = (("PSW", "2025", "150.000,00"), ("PSW", "2026", "150.000,00"),
            ("PSW", "2027", "20.000,00"), ("CDM", "2025", "150.000,00"),
            ("CDM", "2026", "50.000,00"))


def page_of(client, path, status=200):
    return client.get(path + "/@@monitoraggio", status=status)


def fill(page, kind, intervention, source, year, amount, act="Determinazione n. 123/2026"):
    form = page.forms["form-movimento"]
    form["tipo"], form["intervento"], form["fonte"], form["anno"] = kind, intervention, source, year
    form["importo"], form["atto"] = amount, act
    return form


def record(client, path, kind, intervention, source, year, amount, status=303, **extra):
    return fill(page_of(client, path), kind, intervention, source, year, amount,
                **extra).submit(status=status)


def fnps_figure(page, name):
    return Decimal(page.html.find(id=f"fnps-{name}")["data-value"])


def record_worked_example(client, path):
    for intervention, year, amount in COMMITMENTS:
        record(client, path, "IMPEGNO", intervention, "FNPS", year, amount)
    for intervention, year, amount in PAYMENTS:
        record(client, path, "LIQUIDAZIONE", intervention, "FNPS", year, amount)


def test_before_any_approval_there_is_nothing_to_monitor(plan_app):
    client = client_as(plan_app, "rup-ba01")
    page = page_of(client, plan_app.plan_path)
    assert "non c'è ancora nulla da monitorare" in page.text
    assert "form-movimento" not in page.forms
    refused = client.post(plan_app.plan_path + "/@@monitoraggio", {
        "csrf_token": client.get("/api/sessione").json["csrf_token"], "tipo": "IMPEGNO",
        "intervento": "PSW", "fonte": "FNPS", "anno": "2025", "importo": "100,00",
        "atto": "Determinazione n. 1/2026", "_version": "0"}, status=422)
    assert "non ha ancora una versione approvata" in refused.text
    assert movements_of(plan_app, plan_app.plan_path) == ()


def test_the_worked_example_gives_economia_150k_and_residuo_180k(monitored_app):
    path = monitored_app.plan_path
    client = client_as(monitored_app, "rup-ba01")
    record_worked_example(client, path)
    page = page_of(client, path)
    assert [fnps_figure(page, n) for n in ("allocato", "impegnato", "liquidato", "economia",
                                           "residuo")] == [
        Decimal(850_000), Decimal(700_000), Decimal(520_000), Decimal(150_000),
        Decimal(180_000)]
    assert page.html.find(id="fnps-quota").text == "82,4%"
    assert "€ 150.000,00" in page.html.find(id="fnps-economia").text
    rows = {tuple(c.text.split(" — ")[0] for c in tr.find_all(["th", "td"])[:2]):
            [Decimal(td["data-value"]) for td in tr.find_all("td")[1:6]]
            for tr in page.html.find(id="tabella-monitoraggio").tbody.find_all("tr")}
    assert rows[("PSW", "FNPS")] == [Decimal(v) for v in (450_000, 400_000, 320_000,
                                                           50_000, 80_000)]
    assert rows[("CDM", "FNPS")] == [Decimal(v) for v in (400_000, 300_000, 200_000,
                                                           100_000, 100_000)]
    assert len(movements_of(monitored_app, path)) == 10
    assert "Determinazione n. 123/2026" in page.html.find(id="tabella-movimenti").text


def test_a_commitment_beyond_the_allocation_is_refused_and_nothing_is_stored(monitored_app):
    path = monitored_app.plan_path
    client = client_as(monitored_app, "rup-ba01")
    refused = record(client, path, "IMPEGNO", "PSW", "FNPS", "2025", "150.000,01", status=422)
    assert ("L'impegno supera l'allocazione: restano da impegnare € 150.000,00 sui "
            "€ 150.000,00 assegnati.") in refused.html.find(id="errore-modulo").text
    assert refused.forms["form-movimento"]["importo"].value == "150.000,01"  # input kept
    assert movements_of(monitored_app, path) == ()
    record(client, path, "IMPEGNO", "PSW", "FNPS", "2025", "100.000,00")
    refused = record(client, path, "IMPEGNO", "PSW", "FNPS", "2025", "50.000,01", status=422)
    assert "restano da impegnare € 50.000,00" in refused.text
    assert len(movements_of(monitored_app, path)) == 1


def test_a_payment_beyond_the_commitments_is_refused_and_nothing_is_stored(monitored_app):
    path = monitored_app.plan_path
    client = client_as(monitored_app, "rup-ba01")
    refused = record(client, path, "LIQUIDAZIONE", "CDM", "FNPS", "2026", "0,01", status=422)
    assert "La liquidazione supera le somme impegnate: restano da liquidare € 0,00." in (
        refused.html.find(id="errore-modulo").text)
    record(client, path, "IMPEGNO", "CDM", "FNPS", "2026", "1.000,00")
    refused = record(client, path, "LIQUIDAZIONE", "CDM", "FNPS", "2026", "1.000,01",
                     status=422)
    assert "restano da liquidare € 1.000,00" in refused.text
    assert [m["kind"] for m in movements_of(monitored_app, path)] == ["IMPEGNO"]
    record(client, path, "LIQUIDAZIONE", "CDM", "FNPS", "2026", "1.000,00")
    assert [m["kind"] for m in movements_of(monitored_app, path)] == ["IMPEGNO", "LIQUIDAZIONE"]


def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(monitored_app):
    path = monitored_app.plan_path
    client = client_as(monitored_app, "rup-ba01")
    for fields, message in (
            (("IMPEGNO", "PSW", "FNPS", "2025", "abc"), "non è un importo"),
            (("IMPEGNO", "PSW", "FNPS", "2025", "-5"), "non può essere negativo"),
            (("IMPEGNO", "PSW", "FNPS", "2025", "0"), "maggiore di zero"),
            (("IMPEGNO", "PSW", "FNA", "2025", "10,00"), "non assegna risorse di questa fonte"),
    ):
        refused = record(client, path, *fields, status=422)
        assert message in refused.html.find(id="errore-modulo").text
    refused = record(client, path, "IMPEGNO", "PSW", "FNPS", "2025", "10,00", act=" ",
                     status=422)
    assert "Indicare l'atto" in refused.text
    token = client.get("/api/sessione").json["csrf_token"]
    for body in ({"tipo": "ALTRO"}, {"anno": "1999"}, {"anno": "x"}, {"importo": ""},
                 {"intervento": "ZZZ"}, {"importo": "1" * 400}):
        sent = {"csrf_token": token, "tipo": "IMPEGNO", "intervento": "PSW", "fonte": "FNPS",
                "anno": "2025", "importo": "10,00", "atto": "Det. 1", "_version": "0", **body}
        client.post(path + "/@@monitoraggio", sent, status=422)
    assert movements_of(monitored_app, path) == ()


def test_a_stale_form_gets_the_conflict_message_and_records_nothing(monitored_app):
    path = monitored_app.plan_path
    first, second = client_as(monitored_app, "rup-ba01"), client_as(monitored_app, "rup-ba01")
    mine = fill(page_of(first, path), "IMPEGNO", "PSW", "FNPS", "2025", "10.000,00")
    theirs = fill(page_of(second, path), "IMPEGNO", "CDM", "FNPS", "2025", "20.000,00")
    mine.submit(status=303)
    refused = theirs.submit(status=409)
    assert "Un'altra persona ha registrato un impegno o una liquidazione" in (
        refused.html.find(id="errore-modulo").text)
    assert [m["amount"] for m in movements_of(monitored_app, path)] == [Decimal("10000.00")]


def test_vouchers_of_the_ledger_count_against_the_intervention_naming_their_call(
        monitored_app):
    path = monitored_app.plan_path
    pay_vouchers(monitored_app, "5000.00", "1200.00")
    client = client_as(monitored_app, "rup-ba01")
    page = page_of(client, path)
    row = next(tr for tr in page.html.find(id="tabella-monitoraggio").tbody.find_all("tr")
               if tr.th.text.startswith("BUO"))
    assert [Decimal(td["data-value"]) for td in row.find_all("td")[1:6]] == [
        Decimal("120000.00"), Decimal("5000.00"), Decimal("1200.00"), Decimal("115000.00"),
        Decimal("3800.00")]
    assert "Buoni servizio (automatico)" in row.find(class_="buoni-automatici").text
    automatic = page.html.find(id="tabella-movimenti").find_all(class_="movimento-automatico")
    assert [tr.find_all("td")[6].text for tr in automatic] == [
        "Buoni servizio (automatico)"] * 2
    # the vouchers are the ledger's: FNPS figures do not move
    assert fnps_figure(page, "impegnato") == 0
    exported = list(csv.reader(io.StringIO(client.get(path + "/@@monitoraggio.csv").text
                                           .lstrip("\ufeff"))))
    assert exported[0] == ["data", "tipo", "intervento", "fonte", "anno", "importo", "atto",
                           "operatore"]
    assert [r[1:] for r in exported[1:]] == [
        ["IMPEGNO", "BUO", "FSE", "", "5000.00", "Buoni servizio (automatico)", ""],
        ["LIQUIDAZIONE", "BUO", "FSE", "", "1200.00", "Buoni servizio (automatico)", ""]]


def test_the_threshold_warning_appears_below_the_threshold_and_not_above(monitored_app):
    path = monitored_app.plan_path
    client = client_as(monitored_app, "rup-ba01")
    record_worked_example(client, path)
    set_threshold(monitored_app, "90")
    warning = page_of(client, path).html.find(id="avviso-soglia")
    assert warning is not None
    assert ("la quota impegnata delle risorse FNPS allocate è 82,4%, sotto la soglia del "
            "90% fissata dalla Regione") in warning.text
    region = client_as(monitored_app, "regione").get("/regione/@@piani-fnps")
    assert "sotto la soglia del 90%" in region.html.find(class_="avviso-ambito").text
    set_threshold(monitored_app, "82.4")
    assert page_of(client, path).html.find(id="avviso-soglia") is None
    set_threshold(monitored_app, "80")
    assert page_of(client, path).html.find(id="avviso-soglia") is None
    assert client_as(monitored_app, "regione").get(
        "/regione/@@piani-fnps").html.find(class_="avviso-ambito") is None
    set_threshold(monitored_app, None)
    assert page_of(client, path).html.find(id="avviso-soglia") is None


def test_the_csv_lists_the_recorded_movements(monitored_app):
    path = monitored_app.plan_path
    client = client_as(monitored_app, "rup-ba01")
    record(client, path, "IMPEGNO", "PSW", "FNPS", "2026", "1.234,50", act="=HYPERLINK(1)")
    response = client.get(path + "/@@monitoraggio.csv")
    assert response.content_type == "text/csv"
    assert "movimenti-ba-01-2025-2027.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [r[1:] for r in rows[1:]] == [
        ["IMPEGNO", "PSW", "FNPS", "2026", "1234.50", "'=HYPERLINK(1)", "rup-ba01"]]


def test_the_region_sees_but_cannot_record_other_ats_and_anonymous_cannot_see(monitored_app):
    path = monitored_app.plan_path
    region = client_as(monitored_app, "regione")
    page = page_of(region, path)
    assert "form-movimento" not in page.forms
    assert page.html.find(id="blocco-fnps") is not None
    region.get(path + "/@@monitoraggio.csv", status=200)
    refused = region.post(path + "/@@monitoraggio", {
        "csrf_token": region.get("/api/sessione").json["csrf_token"], "tipo": "IMPEGNO",
        "intervento": "PSW", "fonte": "FNPS", "anno": "2025", "importo": "10,00",
        "atto": "Det. 1", "_version": "0"}, status=403)
    assert refused.status_int == 403
    for who in (OTHER_ATS_OFFICER, "cittadino", "girasole"):
        other = client_as(monitored_app, who)
        page_of(other, path, status=403)
        other.get(path + "/@@monitoraggio.csv", status=403)
    anonymous = client_as(monitored_app, "anonymous")
    assert "@@accedi" in page_of(anonymous, path, status=303).headers["Location"]
    assert "@@accedi" in anonymous.get(path + "/@@monitoraggio.csv",
                                       status=303).headers["Location"]
    assert movements_of(monitored_app, path) == ()


def test_the_region_page_lists_every_ats_with_its_fnps_and_the_total(monitored_app):
    path = monitored_app.plan_path
    record_worked_example(client_as(monitored_app, "rup-ba01"), path)
    page = client_as(monitored_app, "regione").get("/regione/@@piani-fnps")
    table = page.html.find(id="tabella-fnps")
    ba = next(tr for tr in table.tbody.find_all("tr") if tr.th.text.startswith("BA-01"))
    assert [Decimal(td["data-value"]) for td in ba.find_all("td")[1:6]] == [
        Decimal(v) for v in (850_000, 700_000, 520_000, 150_000, 180_000)]
    assert ba.a["href"] == path + "/@@monitoraggio"
    total = [Decimal(td["data-value"]) for td in table.tfoot.find_all("td")[:5]]
    assert total == [Decimal(v) for v in (850_000, 700_000, 520_000, 150_000, 180_000)]
    others = [tr for tr in table.tbody.find_all("tr") if not tr.th.text.startswith("BA-01")]
    assert others
    assert all("nessun piano" in tr.text for tr in others)
    client_as(monitored_app, "regione").get("/regione/@@piani-fnps?periodo=1999-2001",
                                            status=200)
    client_as(monitored_app, "rup-ba01").get("/regione/@@piani-fnps", status=403)

    figures = run_in_app(monitored_app, fnps.fnps_by_district)
    assert (figures.total.economia, figures.total.residuo) == (Decimal(150_000),
                                                                Decimal(180_000))
    assert figures.periods == ("2025-2027",)


def test_commitments_and_vouchers_together_never_exceed_the_allocation(monitored_app):
    """BUO × FSE has 40k a year (120k): with 5k of vouchers, 115k are left to commit."""
    path = monitored_app.plan_path
    pay_vouchers(monitored_app, "5000.00", "1200.00")
    client = client_as(monitored_app, "rup-ba01")
    record(client, path, "IMPEGNO", "BUO", "FSE", "2025", "40.000,00")
    record(client, path, "IMPEGNO", "BUO", "FSE", "2026", "40.000,00")
    refused = record(client, path, "IMPEGNO", "BUO", "FSE", "2027", "35.000,01", status=422)
    assert "contando i buoni servizio già impegnati: restano da impegnare € 35.000,00" in (
        refused.html.find(id="errore-modulo").text)
    assert len(movements_of(monitored_app, path)) == 2
    record(client, path, "IMPEGNO", "BUO", "FSE", "2027", "35.000,00")
    page = page_of(client, path)
    row = next(tr for tr in page.html.find(id="tabella-monitoraggio").tbody.find_all("tr")
               if tr.th.text.startswith("BUO"))
    assert Decimal(row.find_all("td")[4]["data-value"]) == 0  # economia
