"""Every demo login lands on its personal area and sees its own sections, with counts."""
import re

import pytest
import webtest

import workflows
import workflows.application as wf
import workflows.catalogue_entry as entry_wf
from content_types.security import ATS_OFFICER, set_local_roles
from content_types.users import User
from content_types.values import utcnow
from portal.applications.rules.matching import accept
from portal.applications.services import resolve_path
from portal.demo import demo_password
from tests.functional.applications.conftest import (
    client,
    complete_draft,
    new_draft,
    run_in_app,
    submit,
)

SECTIONS = ("sezione-cittadino", "sezione-delegato", "sezione-ambito", "sezione-ente",
            "sezione-regione", "sezione-admin")
#: login -> the sections of the personal area it must see (and no other)
EXPECTED = {
    "cittadino": {"sezione-cittadino"},
    "caf": {"sezione-cittadino", "sezione-delegato"},
    "rup-ba01": {"sezione-ambito"},
    "girasole": {"sezione-ente"},
    "regione": {"sezione-regione"},
    "admin": {"sezione-admin"},
}


def text_of(html):
    return re.sub(r"\s+", " ", html)


def log_in_from_home(app, who):
    browser = webtest.TestApp(app)
    form = browser.get("/").click(description="Accedi").forms["form-portale"]
    form["login"] = who
    form["password"] = demo_password(who)
    response = form.submit("accedi", status=303)
    return browser, response


def count_of(page, label):
    match = re.search(label + r':\s*<strong class="portal-count">(\d+)</strong>', page)
    assert match, label
    return int(match.group(1))


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_login_lands_on_the_personal_area_with_the_sections_of_the_role(applications_app, who):
    _browser, response = log_in_from_home(applications_app, who)
    assert response.headers["Location"].endswith("/@@area-personale")
    page = response.follow()
    shown = {s for s in SECTIONS if f'id="{s}"' in page.text}
    assert shown == EXPECTED[who]
    assert "Area personale</span>" in page.text  # the header's link
    assert "children_0_36" not in page.text


def test_came_from_still_wins(applications_app):
    browser = webtest.TestApp(applications_app)
    form = browser.get("/@@accedi?came_from=/catalogo").forms["form-portale"]
    form["login"] = "cittadino"
    form["password"] = demo_password("cittadino")
    assert form.submit("accedi", status=303).headers["Location"].endswith("/catalogo")


def test_anonymous_is_sent_to_the_login(applications_app):
    response = webtest.TestApp(applications_app).get("/@@area-personale", status=303)
    assert "@@accedi" in response.headers["Location"]


def test_counts_follow_the_applications(applications_app, codes):
    rup = client(applications_app, "rup-ba01")
    provider = client(applications_app, "girasole")
    citizen = client(applications_app, "cittadino")
    before = rup.get("/@@area-personale").text
    assert count_of(before, "Domande da esaminare") == 3  # the demo's three matched ones
    assert count_of(before, "Integrazioni attese") == 0
    assert count_of(provider.get("/@@area-personale").text, "Abbinamenti da confermare") == 0

    draft = new_draft(citizen)
    area = text_of(citizen.get("/@@area-personale").text)
    assert "Bozza" in area
    assert "Completa e invia la domanda entro il" in area
    assert f'href="{draft}/"' in area

    url = complete_draft(citizen, codes["luca"])
    submit(citizen, url)
    area = text_of(citizen.get("/@@area-personale").text)
    assert "Inviata" in area
    assert "Attendi la conferma della struttura scelta (entro il" in area
    assert count_of(rup.get("/@@area-personale").text, "Domande da esaminare") == 4
    confirm = provider.get("/@@area-personale")
    assert count_of(confirm.text, "Abbinamenti da confermare") == 1
    queue = confirm.click(href=r"@@abbinamenti")
    assert "@@abbinamento" in queue.text

    # the provider confirms, the ATS asks for an integration: both areas follow
    def integration(portal):
        application = resolve_path(portal, url)
        entry = resolve_path(portal, application.catalogue_entry_path)

        def fire(obj, name, comment=""):
            return workflows.fire(obj, None, name, comment, registry=applications_app.registry)
        accept(application, entry, who="girasole", when=utcnow(), fire=fire)
        fire(application, wf.START_REVIEW)
        fire(application, wf.REQUEST_INTEGRATION, "Manca il certificato")
    run_in_app(applications_app, integration)
    officer_area = rup.get("/@@area-personale").text
    assert count_of(officer_area, "Integrazioni attese") == 1
    assert count_of(officer_area, "Domande da esaminare") == 3
    area = citizen.get("/@@area-personale")
    assert "Invia i documenti richiesti" in area.text
    assert area.click(description="Invia i documenti richiesti").request.path.endswith(
        "/@@integrazione")


def test_an_officer_sees_no_counts_of_another_ats(applications_app):
    def officer(portal):
        user = User(title="RUP Taranto", email="rup-ta01@example.it", creator="admin")
        user.set_password(demo_password("rup-ta01"))
        portal["utenti"].add("rup-ta01", user)
        set_local_roles(portal["ambiti"]["ta-01"], "user:rup-ta01", {ATS_OFFICER})
    run_in_app(applications_app, officer)
    taranto = client(applications_app, "rup-ta01").get("/@@area-personale").text
    assert 'id="ambito-TA-01"' in taranto
    assert 'id="ambito-BA-01"' not in taranto
    assert count_of(taranto, "Domande da esaminare") == 0
    bari = client(applications_app, "rup-ba01").get("/@@area-personale").text
    assert 'id="ambito-TA-01"' not in bari
    # the queue the count links to opens (no URL typed)
    queue = client(applications_app, "rup-ba01").get("/@@area-personale").click(
        description="Apri la coda dell'istruttoria")
    assert queue.status_int == 200


def test_region_sees_entries_to_accredit_and_budgets(applications_app):
    def submitted(portal):
        return sum(1 for provider in portal["catalogo"].values()
                   for unit in getattr(provider, "values", list)()
                   for entry in getattr(unit, "values", list)()
                   if getattr(entry, "state", None) == entry_wf.SUBMITTED)
    expected = run_in_app(applications_app, submitted)
    page = client(applications_app, "regione").get("/@@area-personale")
    text = text_of(page.text)
    assert count_of(page.text, "Voci del catalogo da accreditare") == expected
    assert "Buoni servizio minori 2026" in text
    assert "BA-01: € 15.000,00" in text
    assert page.click(description="Gestisci il budget", index=0).status_int == 200


def test_the_delegate_reaches_the_call_of_the_citizen(applications_app):
    page = client(applications_app, "caf").get("/@@area-personale")
    assert "Per conto di cittadino" in text_of(page.text)
    folder = page.click(href=r"/ambiti/ba-01/domande/", index=0)
    assert "Nuova domanda per conto di cittadino" in folder.text
