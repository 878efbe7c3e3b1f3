"""The Region's plan settings and its pre-fill of every ATS's transfers, through the pages."""
from decimal import Decimal

from portal.notifications import service as notes
from portal.plans import region, store
from portal.plans.rules import model
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import COFINANCING, client_as, fire, source_rows

DISTRICTS = ("ba-01", "ta-01", "le-03")
SETTINGS = "/regione/@@piani-impostazioni"
TRANSFERS = "/regione/@@piani-trasferimenti"


def _settings(app):
    return run_in_app(app, lambda portal: (portal["regione"].plan_min_cofinancing,
                                           portal["regione"].plan_fnps_threshold))


def _save_settings(client, minimum, threshold, status=303):
    form = client.get(SETTINGS).forms["form-impostazioni"]
    form["cofinanziamento_minimo"] = minimum
    form["soglia_fnps"] = threshold
    return form.submit(status=status)


def test_the_region_saves_its_settings(plan_app):
    client = client_as(plan_app, "regione")
    _save_settings(client, "5,50", "87,5")
    assert _settings(plan_app) == (Decimal("5.50"), Decimal("87.5"))
    page = client.get(SETTINGS)
    assert page.forms["form-impostazioni"]["cofinanziamento_minimo"].value == "5,50"
    _save_settings(client, "", "")  # blank: no constraint
    assert _settings(plan_app) == (None, None)


def test_bad_settings_are_refused_next_to_their_field_and_nothing_is_saved(plan_app):
    client = client_as(plan_app, "regione")
    _save_settings(client, "5", "90")
    for minimum, threshold, field, words in (
            ("-3", "90", "cofinanziamento_minimo", "negativo"),
            ("cinque", "90", "cofinanziamento_minimo", "non è un importo"),
            ("5", "150", "soglia_fnps", "al massimo 100"),
            ("5", "-1", "soglia_fnps", "negativa"),
            ("5", "novanta", "soglia_fnps", "non è una percentuale")):
        page = _save_settings(client, minimum, threshold, status=422)
        feedback = page.html.find(id=f"{field}-errore")
        assert feedback is not None, (minimum, threshold)
        assert words in feedback.text, (minimum, threshold)
        assert page.html.find(id=field)["value"] == (minimum if "minimo" in field else threshold)
        assert _settings(plan_app) == (Decimal("5.00"), Decimal("90.0"))


def test_the_minimum_cofinancing_makes_the_plan_break_its_rule(plan_app):
    def codes(portal):
        version = store.latest(portal["ambiti"]["ba-01"]["piani"]["2025-2027"])
        return [(p.code, p.key) for p in store.problems_of(version)]

    assert run_in_app(plan_app, codes) == []
    # Bari gives 1,580,000 a year for 316,000 inhabitants: exactly €5 each; Modugno too
    _save_settings(client_as(plan_app, "regione"), "5", "")
    assert run_in_app(plan_app, codes) == []
    _save_settings(client_as(plan_app, "regione"), "5,01", "")
    found = run_in_app(plan_app, codes)
    assert sorted(found) == sorted(("below_minimum", (istat, year))
                                   for istat in COFINANCING for year in (2025, 2026, 2027))


def _preview_split(client, totals, period="2025-2027"):
    page = client.get(TRANSFERS, {"periodo": period})
    form = page.forms["form-ripartizione"]
    for (source, year), amount in totals.items():
        form[f"totale.{source}.{year}"] = amount
    return form.submit("anteprima")


def _transfers(app):
    def read(portal):
        found = {}
        for name in DISTRICTS:
            folder = store.folder_of(portal["ambiti"][name])
            plan = folder.get("2025-2027") if folder is not None else None
            version = store.latest(plan) if plan is not None else None
            found[name] = None if version is None else (
                version.number, version.state, dict(version.transfers),
                dict(version.availability))
        return found
    return run_in_app(app, read)


def _inhabitants(app):
    return run_in_app(app, lambda portal: {
        name: region.inhabitants_of(portal["ambiti"][name]) for name in DISTRICTS})


def test_the_prefill_splits_each_total_by_inhabitants_to_the_cent(plan_app):
    client = client_as(plan_app, "regione")
    totals = {("FNPS", 2025): "1.000.000,01", ("FNPS", 2026): "999.999,99",
              ("FNA", 2027): "12.345,67", ("FGSA", 2025): "0,02"}
    preview = _preview_split(client, totals)
    rows = {tr["data-ambito"]: tr["data-esito"] for tr in preview.html.select("#anteprima tbody tr")}
    assert rows == {"BA-01": region.UPDATE, "LE-03": region.CREATE, "TA-01": region.CREATE}
    assert _transfers(plan_app)["ta-01"] is None  # a preview saves nothing
    preview.forms["form-conferma"].submit("conferma", status=303)
    found = _transfers(plan_app)
    people = _inhabitants(plan_app)
    whole = sum(people.values())
    for (source, year), text in totals.items():
        total = model.parse_amount(text)
        parts = {name: found[name][2][source, year] for name in DISTRICTS}
        assert sum(parts.values()) == total
        for name, part in parts.items():
            assert abs(part - total * people[name] / whole) < Decimal("0.01")
            assert found[name][3][source, year] == part  # the availability follows
    assert found["ba-01"][:2] == (1, "draft")
    assert found["ta-01"][:2] == (1, "draft")
    # the ATS's own figures stay: BA-01's RES and the FNPS years not pre-filled
    assert found["ba-01"][3]["RES", 2025] == model.parse_amount("120.000,00")
    assert found["ba-01"][3]["FNPS", 2027] == model.parse_amount("350.000,00")


def test_the_prefill_skips_a_submitted_plan_and_tells_the_officers(plan_app):
    fire(plan_app, plan_app.plan_path + "/versione-1", "submit")
    before = _transfers(plan_app)["ba-01"]
    client = client_as(plan_app, "regione")
    preview = _preview_split(client, {("POV", 2025): "900.000,00"})
    row = preview.html.select_one('#anteprima tr[data-ambito="BA-01"]')
    assert row["data-esito"] == region.SKIP
    assert "inviato alla Regione" in row.text
    done = preview.forms["form-conferma"].submit("conferma", status=303).follow()
    assert "BA-01 non aggiornato" in done.text
    found = _transfers(plan_app)
    assert found["ba-01"] == before  # never overwritten
    people = _inhabitants(plan_app)
    assert found["ta-01"][2]["POV", 2025] + found["le-03"][2]["POV", 2025] < Decimal(900000)

    def kinds(portal, login):
        inbox = notes.inbox_of(portal._p_jar, login)
        return [n.kind for n in inbox.newest()] if inbox is not None else []

    assert region.NOTE_KIND not in run_in_app(plan_app, lambda p: kinds(p, "rup-ba01"))
    assert people["ba-01"] > 0


def test_the_officer_of_a_prefilled_ats_is_told(plan_app):
    client = client_as(plan_app, "regione")
    _preview_split(client, {("FNPS", 2025): "10.000,00"}).forms["form-conferma"].submit(
        "conferma", status=303)

    def notes_of(portal):
        inbox = notes.inbox_of(portal._p_jar, "rup-ba01")
        return [(n.kind, n.target_path) for n in inbox.newest()]

    assert (region.NOTE_KIND, "/ambiti/ba-01") in run_in_app(plan_app, notes_of)
    inbox = client_as(plan_app, "rup-ba01").get("/@@messaggi")
    assert "Trasferimenti statali e regionali del piano 2025-2027" in inbox.text


def _upload(client, text):
    form = client.get(TRANSFERS, {"periodo": "2025-2027"}).forms["form-csv"]
    form["file"] = ("trasferimenti.csv", text.encode("utf-8"))
    return form.submit("anteprima", expect_errors=True)


def test_a_csv_with_bad_rows_is_refused_naming_every_line(plan_app):
    client = client_as(plan_app, "regione")
    text = ("ambito;fonte;anno;importo\n"
            "TA-01;FNPS;2025;100.000,00\n"
            "XX-99;FNPS;2025;1,00\n"
            "TA-01;PNRR;2025;1,00\n"
            "TA-01;FNA;2031;1,00\n"
            "LE-03;FNA;2025;-5\n"
            "LE-03;FNA;2026;dieci\n"
            "TA-01;FNPS;2025;7,00\n"
            "LE-03;FNA\n")
    page = _upload(client, text)
    assert page.status_int == 422
    lines = {int(li["data-riga"]) for li in page.html.select("#righe-errate li")}
    assert lines == {3, 4, 5, 6, 7, 8, 9}
    assert "Riga 3" in page.text
    assert "XX-99" in page.text
    assert page.html.find(id="anteprima") is None
    assert _transfers(plan_app)["ta-01"] is None


def test_a_good_csv_is_previewed_then_written(plan_app):
    client = client_as(plan_app, "regione")
    page = _upload(client, "TA-01;FNPS;2025;100.000,00\nLE-03;FGSA;2027;2.500\n")
    assert page.status_int == 200
    assert {tr["data-ambito"] for tr in page.html.select("#anteprima tbody tr")} == {
        "TA-01", "LE-03"}
    page.forms["form-conferma"].submit("conferma", status=303)
    found = _transfers(plan_app)
    assert found["ta-01"][2] == {("FNPS", 2025): Decimal("100000.00")}
    assert found["le-03"][2] == {("FGSA", 2027): Decimal("2500.00")}
    assert found["ba-01"][2] == {}  # not in the file: untouched


def test_bad_totals_are_refused_and_nothing_is_written(plan_app):
    client = client_as(plan_app, "regione")
    page = client.get(TRANSFERS).forms["form-ripartizione"]
    page["totale.FNPS.2025"] = "-10"
    page["totale.FNA.2026"] = "mille"
    answer = page.submit("anteprima", expect_errors=True)
    assert answer.status_int == 422
    assert "negativo" in answer.html.find(id="totale.FNPS.2025-errore").text
    assert answer.html.find(id="totale.FNA.2026-errore") is not None
    assert _transfers(plan_app)["ta-01"] is None
    bad_period = client.get(TRANSFERS, {"periodo": "2025-2030"}, expect_errors=True)
    assert bad_period.status_int == 422
    assert bad_period.html.find(id="form-ripartizione") is None


def test_an_ats_officer_cannot_open_the_region_pages(plan_app):
    client = client_as(plan_app, "rup-ba01")
    for path in (SETTINGS, TRANSFERS, "/regione/@@piani-cruscotto"):
        assert client.get(path, expect_errors=True).status_int == 403
    token = client.get("/api/sessione").json["csrf_token"]
    answer = client.post(SETTINGS, {"csrf_token": token, "cofinanziamento_minimo": "1"},
                         expect_errors=True)
    assert answer.status_int == 403
    assert _settings(plan_app) == (None, None)


def test_a_source_the_ats_removed_is_shown_and_not_written(plan_app):
    def drop_fna(portal):
        version = store.latest(portal["ambiti"]["ba-01"]["piani"]["2025-2027"])
        rows = [r for r in source_rows(version) if r["code"] != "FNA"]
        store.save_sources(version, rows, sent_token=None, who="rup-ba01")  # drops its cells

    run_in_app(plan_app, drop_fna)
    preview = _preview_split(client_as(plan_app, "regione"),
                             {("FNA", 2025): "100.000,00", ("FNPS", 2025): "100.000,00"})
    row = preview.html.select_one('#anteprima tr[data-ambito="BA-01"]')
    assert row["data-esito"] == region.UPDATE
    assert "FNA" in row.select_one(".non-scritte").text
    preview.forms["form-conferma"].submit("conferma", status=303)
    found = _transfers(plan_app)
    assert ("FNA", 2025) not in found["ba-01"][2]
    assert ("FNPS", 2025) in found["ba-01"][2]
    assert ("FNA", 2025) in found["ta-01"][2]
