"""A plan version's outputs: the signed summary (issued once on approval, a signed unregistered
draft before), the CSV and XLSX exports, and who may take them."""
import csv
import io
from decimal import Decimal

import webtest
from openpyxl import load_workbook
from pypdf import PdfReader

from content_types.values import ZERO, euro
from portal import main
from portal.db import DOCUMENTS_KEY
from portal.documents import layouts
from portal.documents.registry import versions
from portal.plans import store
from portal.plans.rules.model import parse_amount
from portal.plans.summary import KIND
from tests.conftest import make_settings
from tests.functional.applications.conftest import run_in_app
from tests.functional.applications.test_journey import pdfsig_ok
from tests.functional.plans import plan_fixtures as fx
from tests.functional.plans.plan_fixtures import client_as, fire

ORDINARY = ("RES", "FNPS", "FNA", "POV", "FGSA", "COM")
OTHER = ("PNRR", "FSE")


def version_path(app):
    return app.plan_path + "/versione-1"


def at(portal, path):
    obj = portal
    for name in path.strip("/").split("/"):
        obj = obj[name]
    return obj


def issued(app):
    """(number of registered documents, the version's summary id, its «piano» documents)."""
    def read(portal):
        version = at(portal, version_path(app))
        documents = portal._p_jar.root()[DOCUMENTS_KEY]
        return (len(documents), version.summary_uid,
                [d.doc_id for d in versions(documents, version.uid, KIND)])
    return run_in_app(app, read)


def stored_pdf(app, doc_id):
    return run_in_app(app, lambda portal: portal._p_jar.root()[DOCUMENTS_KEY][doc_id].read())


def pdf_text(body):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


# -- the fixture's figures, summed here from its own tables -------------------------------
def available_per_year(code):
    if code == "COM":
        return sum((parse_amount(v) for v in fx.COFINANCING.values()), ZERO)
    return parse_amount(fx.AVAILABLE.get(code, ""))


def allocated_per_year(codes):
    return sum((parse_amount(v) for (_i, s), v in fx.ALLOCATIONS.items() if s in codes), ZERO)


def expected_allocations():
    """{(intervention, source, year): Decimal} of the fixture."""
    return {(i, s, int(y)): parse_amount(v) for (i, s), v in fx.ALLOCATIONS.items()
            for y in fx.YEARS}


def test_approval_issues_one_signed_summary_that_verifies_and_holds_the_totals(plan_app,
                                                                               tmp_path):
    path = version_path(plan_app)
    before, summary_uid, kinds = issued(plan_app)
    assert (summary_uid, kinds) == ("", [])
    assert fire(plan_app, path, "submit", "take_in_charge", "approve") == "approved"
    count, summary_uid, kinds = issued(plan_app)
    assert count == before + 1
    assert kinds == [summary_uid]

    anonymous = webtest.TestApp(plan_app)  # an approved plan is public
    pdf = anonymous.get(path + "/@@riepilogo.pdf")
    assert pdf.content_type == "application/pdf"
    assert pdf.body == stored_pdf(plan_app, summary_uid)
    pdfsig_ok(pdf.body, tmp_path, "riepilogo.pdf")
    again = client_as(plan_app, "rup-ba01").get(path + "/@@riepilogo.pdf")
    assert again.body == pdf.body
    assert issued(plan_app) == (count, summary_uid, [summary_uid])

    text = pdf_text(pdf.body)
    years = len(fx.YEARS)
    ordinary_available = sum((available_per_year(c) for c in ORDINARY), ZERO)
    ordinary_allocated = allocated_per_year(ORDINARY)
    other_available = sum((available_per_year(c) for c in OTHER), ZERO)
    other_allocated = allocated_per_year(OTHER)
    assert ordinary_available * years == Decimal("9375000.00")  # the fixture, read by hand
    for figure in (ordinary_available, ordinary_allocated,
                   ordinary_available - ordinary_allocated, other_available, other_allocated):
        assert euro(figure) in text  # a year's total
        assert euro(figure * years) in text  # the period's
    assert euro((other_available - other_allocated) * years) in text
    assert "Altre risorse (fuori dal bilancio ordinario)" in text
    for intervention in fx.INTERVENTIONS:
        assert intervention["code"] in text
    flat = " ".join(text.split())  # table cells wrap
    assert "HOMECARE — Assistenza domiciliare socio-assistenziale" in flat
    assert "2D — Assistenza domiciliare" in flat
    cdm_other = parse_amount(fx.ALLOCATIONS["CDM", "PNRR"]) * years
    cdm_ordinary = (parse_amount(fx.ALLOCATIONS["CDM", "FNPS"])
                    + parse_amount(fx.ALLOCATIONS["CDM", "COM"])) * years
    assert f"{euro(cdm_ordinary)} {euro(cdm_other)}" in flat  # its row: ordinary, other
    for (intervention, source), amount in fx.ALLOCATIONS.items():
        cell = euro(parse_amount(amount))
        assert f"{intervention} {source} {cell} {cell} {cell} {euro(parse_amount(amount) * years)}" in flat
    assert "Approvato" in text
    assert layouts.DRAFT_MARK not in text
    assert "Problemi da correggere" not in text


def test_an_approved_version_without_its_summary_gets_it_issued_once(plan_app, tmp_path):
    path = version_path(plan_app)
    fire(plan_app, path, "submit", "take_in_charge", "approve")

    def forget(portal):  # data approved before the summary existed
        at(portal, path).summary_uid = ""
    run_in_app(plan_app, forget)
    before, _none, kinds = issued(plan_app)
    first = webtest.TestApp(plan_app).get(path + "/@@riepilogo.pdf")
    count, summary_uid, now = issued(plan_app)
    assert count == before + 1
    assert now == [*kinds, summary_uid]
    assert webtest.TestApp(plan_app).get(path + "/@@riepilogo.pdf").body == first.body
    assert issued(plan_app)[0] == count
    pdfsig_ok(first.body, tmp_path, "riepilogo.pdf")


def test_a_draft_summary_is_signed_and_marked_but_never_registered(plan_app, tmp_path):
    path = version_path(plan_app)
    before = issued(plan_app)
    officer = client_as(plan_app, "rup-ba01")
    pdf = officer.get(path + "/@@riepilogo.pdf")
    assert pdf.content_type == "application/pdf"
    assert "no-store" in pdf.headers["Cache-Control"]
    pdfsig_ok(pdf.body, tmp_path, "bozza.pdf")
    text = pdf_text(pdf.body)
    assert layouts.DRAFT_MARK in text
    assert "Nessuno: il piano rispetta tutti i vincoli." in text
    assert "Bozza" in text
    officer.get(path + "/@@riepilogo.pdf")
    assert issued(plan_app) == before  # nothing registered, however often it is taken


def test_a_draft_summary_lists_what_is_left_to_fix(plan_app):
    path = version_path(plan_app)

    def over_allocate(portal):
        rows = fx.allocation_rows({**fx.ALLOCATIONS, ("PSW", "FNPS"): "300.000,00"})
        store.save_allocations(at(portal, path), rows, sent_token=None, who="rup-ba01")
    run_in_app(plan_app, over_allocate)
    text = pdf_text(client_as(plan_app, "rup-ba01").get(path + "/@@riepilogo.pdf").body)
    assert "Problemi da correggere prima dell'invio" in text
    # FNPS: 300k + 100k allocated on 350k each year
    assert text.count("eccedenza di € 50.000,00") == len(fx.YEARS)


def read_csv(body):
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_csv_holds_exactly_the_fixture_allocations(plan_app):
    response = client_as(plan_app, "rup-ba01").get(version_path(plan_app) + "/@@piano.csv")
    assert response.content_type == "text/csv"
    assert 'filename="piano-ba-01-2025-2027-v1.csv"' in response.headers["Content-Disposition"]
    rows = read_csv(response.body)
    found = {(r["codice_intervento"], r["fonte"], int(r["anno"])): r["importo_eur"]
             for r in rows}
    assert len(found) == len(rows)
    assert found == {k: f"{v:.2f}" for k, v in expected_allocations().items()}
    by_code = {i["code"]: i for i in fx.INTERVENTIONS}
    for row in rows:
        given = by_code[row["codice_intervento"]]
        assert (row["intervento"], row["servizio"], row["area"], row["obiettivo_fnps"],
                row["livello"]) == (given["title"], given["service"], given["area"],
                                    given["objective"], given["level"])


def test_the_xlsx_holds_the_allocations_sources_and_interventions_as_numbers(plan_app):
    response = client_as(plan_app, "rup-ba01").get(version_path(plan_app) + "/@@piano.xlsx")
    workbook = load_workbook(io.BytesIO(response.body))
    assert workbook.sheetnames == ["Allocazioni", "Fonti", "Interventi"]

    def records(name):
        rows = list(workbook[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    allocations = records("Allocazioni")
    assert all(isinstance(r["importo_eur"], (int, float)) for r in allocations)
    assert {(r["codice_intervento"], r["fonte"], r["anno"]): Decimal(str(r["importo_eur"]))
            for r in allocations} == expected_allocations()
    sources = records("Fonti")
    assert len(sources) == len(fx.AVAILABLE) * len(fx.YEARS) + len(fx.YEARS)  # with COM
    for row in sources:
        code = row["codice_fonte"]
        assert Decimal(str(row["disponibile_eur"])) == available_per_year(code)
        assert Decimal(str(row["assegnato_eur"])) == allocated_per_year((code,))
        assert Decimal(str(row["da_assegnare_eur"])) == (available_per_year(code)
                                                          - allocated_per_year((code,)))
        assert row["bilancio_ordinario"] == ("sì" if code in ORDINARY else "no")
    interventions = {r["codice_intervento"]: r for r in records("Interventi")}
    assert set(interventions) == {i["code"] for i in fx.INTERVENTIONS}
    cdm = interventions["CDM"]
    assert cdm["comuni"] == "072006"
    assert Decimal(str(cdm["altre_risorse_eur"])) == parse_amount(
        fx.ALLOCATIONS["CDM", "PNRR"]) * len(fx.YEARS)
    assert cdm["area_descrizione"] == "Famiglia e minori"


def test_free_text_starting_like_a_formula_is_neutralised_in_both_exports(plan_app):
    path = version_path(plan_app)
    formula = '=HYPERLINK("http://example.org","clic")'

    def retitle(portal):
        rows = [dict(i, title=formula) if i["code"] == "SAD" else dict(i)
                for i in fx.INTERVENTIONS]
        store.save_interventions(at(portal, path), rows, sent_token=None, who="rup-ba01")
    run_in_app(plan_app, retitle)
    officer = client_as(plan_app, "rup-ba01")
    titles = {r["intervento"] for r in read_csv(officer.get(path + "/@@piano.csv").body)
              if r["codice_intervento"] == "SAD"}
    assert titles == {"'" + formula}
    workbook = load_workbook(io.BytesIO(officer.get(path + "/@@piano.xlsx").body))
    cells = {row[1] for row in workbook["Allocazioni"].iter_rows(min_row=2, values_only=True)
             if row[0] == "SAD"}
    assert cells == {"'" + formula}


OUTPUTS = ("@@riepilogo.pdf", "@@piano.csv", "@@piano.xlsx")
#: who takes the outputs of the version in each state (303: sent to log in)
EXPECTED = {
    "draft": {"anonymous": 303, "citizen": 403, "provider": 403, "ats_officer": 200,
              "region_officer": 403, "admin": 200},
    "submitted": {"anonymous": 303, "citizen": 403, "provider": 403, "ats_officer": 200,
                  "region_officer": 200, "admin": 200},
    "approved": {"anonymous": 200, "citizen": 200, "provider": 200, "ats_officer": 200,
                 "region_officer": 200, "admin": 200},
}


def test_the_outputs_follow_the_version_s_state(plan_app):
    path = version_path(plan_app)
    failures = []
    for state, transitions in (("draft", ()), ("submitted", ("submit",)),
                               ("approved", ("take_in_charge", "approve"))):
        if transitions:
            fire(plan_app, path, *transitions)
        for role, status in EXPECTED[state].items():
            client = client_as(plan_app, role)
            for view in OUTPUTS:
                got = client.get(f"{path}/{view}", expect_errors=True).status_int
                if got != status:
                    failures.append(f"{state} {role} {view}: {got} invece di {status}")
    assert not failures, "\n".join(failures)


def test_an_approval_while_the_signer_is_down_stands_and_the_first_download_issues_it(
        app_dir, tmp_path):
    unsigned = main({}, **{**make_settings(app_dir), "documents.signer": ""})
    try:
        path = run_in_app(unsigned, lambda portal: fx.build_plan(portal, unsigned.registry))
        unsigned.plan_path = path
        before = issued(unsigned)
        assert fire(unsigned, path + "/versione-1", "submit", "take_in_charge",
                    "approve") == "approved"
        assert issued(unsigned) == before  # nothing signed, nothing registered
    finally:
        unsigned.registry._zodb_databases[""].close()
    app = main({}, **make_settings(app_dir))
    try:
        app.plan_path = path
        pdf = webtest.TestApp(app).get(path + "/versione-1/@@riepilogo.pdf")
        count, summary_uid, kinds = issued(app)
        assert (count, kinds) == (before[0] + 1, [summary_uid])
        pdfsig_ok(pdf.body, tmp_path, "riepilogo.pdf")
    finally:
        app.registry._zodb_databases[""].close()
