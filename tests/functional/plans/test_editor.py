"""The ATS officer's plan pages: the list and «Nuovo piano di zona», the plan and version
pages, and submission (refused with every problem listed, then accepted)."""
from portal.plans import store
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import client_as, fire

VERSION = "/versione-1"


def plan_state(app, path):
    def state(portal):
        node = portal
        for name in path.strip("/").split("/"):
            node = node[name]
        return node.state
    return run_in_app(app, state)


def test_the_officer_creates_a_plan_and_lands_on_its_first_version(plan_app):
    client = client_as(plan_app, "ats_officer")
    page = client.get("/ambiti/ba-01/@@piani")
    assert "2025-2027" in page.text
    form = page.forms["nuovo-piano"]
    form["periodo"] = "2028-2030"
    created = form.submit().follow()
    assert "2028" in created.text
    assert "versione 1" in created.text.lower()
    listing = client.get("/ambiti/ba-01/@@piani")
    assert listing.html.select_one("tr[data-periodo='2028-2030']") is not None


def test_a_bad_or_taken_period_is_refused_next_to_the_field(plan_app):
    client = client_as(plan_app, "ats_officer")
    for period, status, words in (("2025-2027", 409, "Esiste già un piano"),
                                  ("2025-2026", 422, "tre anni consecutivi"),
                                  ("piano", 422, "tre anni consecutivi")):
        form = client.get("/ambiti/ba-01/@@piani").forms["nuovo-piano"]
        form["periodo"] = period
        refused = form.submit(status=status)
        assert words in refused.html.select_one("#errore-periodo").text
    assert run_in_app(plan_app, lambda p: sorted(p["ambiti"]["ba-01"]["piani"])) == ["2025-2027"]


def test_only_the_ats_officers_create_plans_and_other_ats_see_nothing(plan_app):
    region = client_as(plan_app, "region_officer")
    page = region.get("/ambiti/ba-01/@@piani")
    assert "2025-2027" in page.text
    assert "nuovo-piano" not in page.forms
    region.post("/ambiti/ba-01/@@piani", {"periodo": "2028-2030",
                                          "csrf_token": page.forms[0]["csrf_token"].value
                                          if page.forms else ""}, status=(400, 403))
    client_as(plan_app, "provider").get("/ambiti/ba-01/@@piani", status=403)


def test_the_plan_page_lists_versions_and_links(plan_app):
    client = client_as(plan_app, "ats_officer")
    page = client.get(plan_app.plan_path)
    assert page.html.select_one("tr[data-versione='1'][data-stato='draft']") is not None
    assert page.html.find("a", href=plan_app.plan_path + "/archivio/") or \
        page.html.find("a", href=plan_app.plan_path + "/archivio")
    assert "nuova-versione" not in page.forms
    fire(plan_app, plan_app.plan_path + VERSION, "submit", "take_in_charge", "approve")
    approved = client.get(plan_app.plan_path)
    assert "nuova-versione" in approved.forms
    assert approved.forms["nuova-versione"].action.endswith("@@nuova-versione")


def test_an_anonymous_visitor_sees_only_approved_versions(plan_app):
    anonymous = client_as(plan_app, "anonymous")
    page = anonymous.get(plan_app.plan_path)
    assert page.html.select("tr[data-versione]") == []
    assert "archivio" not in page.text
    anonymous.get(plan_app.plan_path + VERSION, status=(303, 403))
    fire(plan_app, plan_app.plan_path + VERSION, "submit", "take_in_charge", "approve")
    assert len(anonymous.get(plan_app.plan_path).html.select("tr[data-versione]")) == 1
    public = anonymous.get(plan_app.plan_path + VERSION)
    assert public.html.select_one("#tabella-fonti") is not None
    assert "invia-regione" not in public.forms


def test_the_version_page_shows_the_budget_by_source_and_intervention(plan_app):
    page = client_as(plan_app, "ats_officer").get(plan_app.plan_path + VERSION)
    fnps = page.html.select_one("#tabella-fonti tr[data-fonte='FNPS']").text
    # FNPS: 350,000 a year available, 300,000 allocated, 50,000 left; 1,050,000 over the period
    assert "350.000,00" in fnps
    assert "300.000,00" in fnps
    assert "50.000,00" in fnps
    assert "1.050.000,00" in fnps
    assert page.html.select_one("#fonti-other tr[data-fonte='PNRR']") is not None
    assert page.html.select_one("#fonti-ordinary tr[data-fonte='PNRR']") is None
    # ordinary a year: RES 120,000 + FNPS 350,000 + FNA 260,000 + POV 450,000 + FGSA 180,000
    # + COM 1,765,000 = 3,125,000; PNRR's 90,000 stays apart
    ordinary = page.html.select_one("#totale-ordinary").text
    assert "€ 3.125.000,00" in ordinary
    assert "€ 9.375.000,00" in ordinary
    assert "€ 90.000,00" in page.html.select_one("#totale-other").text
    assert page.html.select_one("#tabella-interventi tr[data-intervento='CDM']") is not None
    assert page.html.select_one("#nessun-problema") is not None
    for name in ("@@riepilogo.pdf", "@@piano.csv", "@@piano.xlsx"):
        assert page.html.find("a", href=plan_app.plan_path + VERSION + "/" + name)
    assert "invia-regione" in page.forms


def test_submission_is_refused_with_every_problem_then_accepted_after_fixing(plan_app):
    client = client_as(plan_app, "ats_officer")
    path = plan_app.plan_path + VERSION
    # over-allocate FNPS in 2026 and leave an intervention without its classification
    form = client.get(path + "/@@allocazioni").forms["griglia-allocazioni"]
    form["PSW.FNPS.2026"] = "300.000,00"
    assert form.submit().status_int == 303
    form = client.get(path + "/@@interventi").forms["form-interventi"]
    form["1.servizio"] = ""
    form["1.obiettivo"] = ""
    assert form.submit().status_int == 303
    page = client.get(path)
    problems = page.html.select_one("#problemi-piano").text
    assert "eccedenza di € 50.000,00" in problems
    assert "manca il servizio del nomenclatore" in problems
    refused = page.forms["invia-regione"].submit(status=422)
    listed = refused.html.select_one("#errore-invio").text
    assert "3 problemi" in listed
    assert "eccedenza" in listed
    assert "servizio del nomenclatore" in listed
    assert "obiettivo di servizio FNPS" in listed
    assert plan_state(plan_app, path) == "draft"
    # fix both, then it goes
    form = client.get(path + "/@@allocazioni").forms["griglia-allocazioni"]
    form["PSW.FNPS.2026"] = "200.000,00"
    form.submit()
    form = client.get(path + "/@@interventi").forms["form-interventi"]
    form["1.servizio"] = "HOMECARE"
    form["1.obiettivo"] = "2D"
    form.submit()
    sent = client.get(path).forms["invia-regione"].submit().follow()
    assert sent.html.select_one("#stato-versione")["data-stato"] == "submitted"
    assert plan_state(plan_app, path) == "submitted"


def test_the_ats_officers_area_links_to_its_plans(plan_app):
    area = client_as(plan_app, "ats_officer").get("/@@area-personale")
    assert area.html.select_one("#piani-BA-01, #piani-ba-01")["href"].endswith("/ambiti/ba-01/@@piani")


def test_store_sees_what_the_pages_saved(plan_app):
    """The pages go through the store: the latest version is the one the list shows."""
    def latest(portal):
        return store.latest(portal["ambiti"]["ba-01"]["piani"]["2025-2027"]).number
    assert run_in_app(plan_app, latest) == 1


def test_the_region_reads_a_submitted_version_and_finds_its_review_page(plan_app):
    path = plan_app.plan_path + VERSION
    region = client_as(plan_app, "region_officer")
    region.get(path, status=403)  # a draft is the ATS's own
    fire(plan_app, path, "submit")
    page = region.get(path)
    assert page.html.find("a", href=path + "/@@esame") is not None
    assert "invia-regione" not in page.forms
    assert page.html.select_one("#sezioni-piano") is None
    officer = client_as(plan_app, "ats_officer").get(path)
    assert officer.html.find("a", href=path + "/@@esame") is None
