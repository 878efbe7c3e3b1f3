"""The four section pages: each saves; bad input is refused next to its cell with nothing
saved; a frozen or submitted plan answers with why; two people on one section never lose
an update."""
from decimal import Decimal

import pytest

from portal.plans import store
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import client_as, fire

VERSION = "/versione-1"
SECTIONS = ("fonti", "cofinanziamento", "interventi", "allocazioni")
FORMS = {"fonti": "form-fonti", "cofinanziamento": "form-cofinanziamento",
         "interventi": "form-interventi", "allocazioni": "griglia-allocazioni"}


def stored(app, read):
    def work(portal):
        return read(store.latest(portal["ambiti"]["ba-01"]["piani"]["2025-2027"]))
    return run_in_app(app, work)


def snapshot(version):
    return (version.sources, dict(version.availability), dict(version.cofinancing),
            version.interventions, dict(version.allocations), dict(version.section_versions))


@pytest.fixture
def officer(plan_app):
    return client_as(plan_app, "ats_officer")


def url(app, section):
    return f"{app.plan_path}{VERSION}/@@{section}"


def test_sources_save_and_the_municipal_and_regional_amounts_are_read_only(plan_app, officer):
    def prefill(version):
        store.set_transfers(version, {("FNPS", 2025): Decimal("400000.00")}, who="regione")
    stored(plan_app, prefill)
    page = officer.get(url(plan_app, "fonti"))
    com = page.html.select_one("#righe-fonti tr[data-riga='5']")
    assert "1.765.000,00" in com.text  # Bari 1,580,000 + Modugno 185,000
    assert "somma dei comuni" in com.text
    fnps = page.html.select_one("#righe-fonti tr[data-riga='1']")
    assert "400.000,00" in fnps.text
    assert "trasferimento della Regione" in fnps.text
    form = page.forms["form-fonti"]
    assert "1.2025" not in form.fields  # the Region's transfer is not an input
    form["0.2025"] = "130.000,00"
    form["8.codice"] = "FPR"
    form["8.titolo"] = "Fondo regionale per la famiglia"
    form["8.tipo"] = "regionale"
    form["8.2026"] = "10.000"
    assert form.submit().status_int == 303
    availability = stored(plan_app, lambda v: dict(v.availability))
    assert availability["RES", 2025] == Decimal("130000.00")
    assert availability["FPR", 2026] == Decimal("10000.00")
    assert availability["FNPS", 2025] == Decimal("400000.00")
    assert "FPR" in [s["code"] for s in stored(plan_app, lambda v: v.sources)]


def test_a_removed_source_goes_with_its_allocations(plan_app, officer):
    form = officer.get(url(plan_app, "fonti")).forms["form-fonti"]
    form["6.rimuovi"] = True  # PNRR
    form.submit(status=303)
    assert not [k for k in stored(plan_app, lambda v: v.allocations) if k[1] == "PNRR"]


@pytest.mark.parametrize(("typed", "message"), [
    ("-5.000,00", "non può essere negativo"),
    ("cinquemila", "non è un importo"),
    ("12,345", "al massimo due decimali"),
])
def test_a_bad_amount_is_refused_next_to_its_cell_and_nothing_is_saved(plan_app, officer, typed,
                                                                       message):
    before = stored(plan_app, snapshot)
    form = officer.get(url(plan_app, "fonti")).forms["form-fonti"]
    form["2.2026"] = typed
    form["0.titolo"] = "Residui rinominati"
    refused = form.submit(status=422)
    cell = refused.html.select_one("#righe-fonti tr[data-riga='2']")
    assert message in cell.text
    assert refused.forms["form-fonti"]["2.2026"].value == typed  # what was typed stays
    assert refused.forms["form-fonti"]["0.titolo"].value == "Residui rinominati"
    assert "nessuna modifica è stata salvata" in refused.html.select_one("#errore-sezione").text
    assert stored(plan_app, snapshot) == before


def test_cofinancing_saves_and_shows_the_regional_minimum(plan_app, officer):
    def minimum(version):
        store.region_of(version).plan_min_cofinancing = Decimal("5.00")
    stored(plan_app, minimum)
    page = officer.get(url(plan_app, "cofinanziamento"))
    bari = page.html.select_one("tr[data-istat='072006']")
    assert "1.580.000,00" in bari.select_one(".portal-minimum").text  # €5 × 316,000
    form = page.forms["form-cofinanziamento"]
    form["072027.2027"] = "190.000,00"
    form.submit(status=303)
    assert stored(plan_app, lambda v: v.cofinancing["072027", 2027]) == Decimal("190000.00")
    # below the minimum: saved, but the submission lists it
    form = officer.get(url(plan_app, "cofinanziamento")).forms["form-cofinanziamento"]
    form["072006.2025"] = "1.000,00"
    form.submit(status=303)
    problems = officer.get(f"{plan_app.plan_path}{VERSION}").html.select_one("#problemi-piano")
    assert "inferiore al minimo regionale" in problems.text


def test_a_municipality_of_another_ats_cannot_co_finance_the_plan(plan_app, officer):
    before = stored(plan_app, snapshot)
    form = officer.get(url(plan_app, "cofinanziamento")).forms["form-cofinanziamento"]
    # a third row added to the POST: Taranto (073027) is TA-01's
    body = [*form.submit_fields(), ("comune", "073027"), ("073027.2025", "50.000,00")]
    refused = officer.post(url(plan_app, "cofinanziamento"), body, status=422)
    assert "073027" in refused.html.select_one("#comuni-estranei").text
    assert "non appartiene a questo Ambito" in refused.html.select_one("#comuni-estranei").text
    assert stored(plan_app, snapshot) == before


def test_interventions_save_with_their_municipalities_and_voucher_calls(plan_app, officer):
    form = officer.get(url(plan_app, "interventi")).forms["form-interventi"]
    series = [value for value, _sel, _text in form["3.avvisi"].options]
    form["3.codice"] = "TRA"
    form["3.titolo"] = "Trasporto sociale"
    form["3.servizio"] = "PSW"
    form["3.area"] = "DIS"
    form["3.obiettivo"] = "1A"
    form["3.valenza"] = "COMUNALE"
    form.set("3.comuni", True, index=1)  # Modugno
    if series:
        form["3.avvisi"] = series[:1]
    form.submit(status=303)
    added = stored(plan_app, lambda v: v.interventions[3])
    assert added["code"] == "TRA"
    assert added["municipalities"] == ("072027",)
    assert added["voucher_series"] == tuple(series[:1])
    # the intervention without a code is refused at save, next to its field
    form = officer.get(url(plan_app, "interventi")).forms["form-interventi"]
    form["0.codice"] = ""
    refused = form.submit(status=422)
    assert "Il codice è di lettere maiuscole" in refused.html.select_one(
        "fieldset[data-riga='0']").text


def test_removing_an_intervention_drops_its_allocations(plan_app, officer):
    form = officer.get(url(plan_app, "interventi")).forms["form-interventi"]
    form["2.rimuovi"] = True
    form.submit(status=303)
    assert not [k for k in stored(plan_app, lambda v: v.allocations) if k[0] == "CDM"]


def test_allocations_show_what_is_left_and_over_allocation_is_saved_but_listed(plan_app,
                                                                               officer):
    page = officer.get(url(plan_app, "allocazioni"))
    left = page.html.select_one(".portal-left[data-fonte='FNPS'][data-anno='2025']")
    assert left["data-disponibile"] == "350000.00"
    assert "50.000,00" in left.text
    assert page.html.find("script", src=lambda s: s and s.endswith("js/plan-editor.js"))
    form = page.forms["griglia-allocazioni"]
    assert form["SAD.FNA.2025"].attrs["data-fonte"] == "FNA"
    form["SAD.FNA.2025"] = "300.000,00"  # 260,000 available
    saved = form.submit().follow()
    over = saved.html.select_one(".portal-left[data-fonte='FNA'][data-anno='2025']")
    assert "-" in over.text
    assert "40.000,00" in over.text
    assert "text-danger" in over["class"]
    version = officer.get(f"{plan_app.plan_path}{VERSION}")
    assert "eccedenza di € 40.000,00" in version.html.select_one("#problemi-piano").text


def test_a_bad_allocation_is_shown_in_its_cell(plan_app, officer):
    before = stored(plan_app, snapshot)
    form = officer.get(url(plan_app, "allocazioni")).forms["griglia-allocazioni"]
    form["CDM.FNPS.2027"] = "-1"
    refused = form.submit(status=422)
    cell = refused.html.find("input", attrs={"name": "CDM.FNPS.2027"}).parent
    assert "non può essere negativo" in cell.text
    assert stored(plan_app, snapshot) == before


def test_two_people_on_one_section_the_second_gets_the_conflict_and_nothing_is_lost(plan_app):
    first, second = client_as(plan_app, "ats_officer"), client_as(plan_app, "ats_officer")
    for section in SECTIONS:
        mine = first.get(url(plan_app, section)).forms[FORMS[section]]
        theirs = second.get(url(plan_app, section)).forms[FORMS[section]]
        field = {"fonti": "0.titolo", "cofinanziamento": "072006.2026",
                 "interventi": "0.destinatari", "allocazioni": "PSW.FNPS.2025"}[section]
        mine[field], theirs[field] = "1.234,00", "5.678,00"
        mine.submit(status=303)
        after_first = stored(plan_app, snapshot)
        refused = theirs.submit(status=409)
        assert "modificata da un'altra persona" in refused.html.select_one("#errore-sezione").text
        assert refused.forms[FORMS[section]][field].value == "5.678,00"  # what they typed
        assert stored(plan_app, snapshot) == after_first  # the first's data kept
        again = second.get(url(plan_app, section)).forms[FORMS[section]]
        assert again[field].value == "1.234,00"


@pytest.mark.parametrize("section", SECTIONS)
def test_an_approved_plan_answers_every_edit_with_the_frozen_message(plan_app, officer, section):
    token = officer.get(url(plan_app, section)).forms[FORMS[section]]["csrf_token"].value
    fire(plan_app, plan_app.plan_path + VERSION, "submit", "take_in_charge", "approve")
    before = stored(plan_app, snapshot)
    for answer in (officer.get(url(plan_app, section), status=409),
                   officer.post(url(plan_app, section), {"csrf_token": token, "_token": "0"},
                                status=409),
                   officer.post(f"{plan_app.plan_path}{VERSION}/@@invia", {"csrf_token": token},
                                status=409)):
        assert "Il piano approvato non si modifica più" in answer.text
    assert stored(plan_app, snapshot) == before


def test_a_plan_with_the_region_is_not_editable(plan_app, officer):
    token = officer.get(url(plan_app, "fonti")).forms["form-fonti"]["csrf_token"].value
    fire(plan_app, plan_app.plan_path + VERSION, "submit")
    answer = officer.post(url(plan_app, "fonti"), {"csrf_token": token}, status=409)
    assert "all'esame della Regione" in answer.text
    assert "all'esame della Regione" in officer.get(url(plan_app, "interventi"), status=409).text


def test_the_regions_note_is_shown_on_its_section(plan_app, officer):
    fire(plan_app, plan_app.plan_path + VERSION, "submit", "take_in_charge")

    def notes(version):
        store.set_section_notes(version, {"allocazioni": "Rivedere la quota FNPS del 2026."})
    stored(plan_app, notes)
    fire(plan_app, plan_app.plan_path + VERSION, "return", comment="Da rivedere")
    page = officer.get(url(plan_app, "allocazioni"))
    assert "Rivedere la quota FNPS del 2026." in page.html.select_one("#nota-regione").text
    assert officer.get(url(plan_app, "fonti")).html.select_one("#nota-regione") is None
    assert "Rivedere la quota" in officer.get(
        f"{plan_app.plan_path}{VERSION}").html.select_one("#note-regione").text


def test_another_ats_officer_or_a_citizen_cannot_edit(plan_app):
    for who in ("citizen", "provider", "region_officer"):
        client_as(plan_app, who).get(url(plan_app, "fonti"), status=403)
