"""The registry and the rest of the portal: the household code of applications, the citizen's
account linked by codice fiscale, the personal area's links for the social services."""
from datetime import date

from bs4 import BeautifulSoup

from content_types.security import CITIZEN
from content_types.users import User
from portal.demo.ids import fiscal_code
from portal.demo.social import CITIZEN_CODE
from portal.people import store as people
from tests.conftest import login
from tests.functional.applications.conftest import (  # noqa: F401 (fixtures by name)
    api,
    applications_app,
    applications_database,
    applications_dir,
    client,
    codes,
    complete_draft,
    fill_people,
    new_draft,
    run_in_app,
    smtp_server,
)

PASSWORD = "una-password-di-prova-2026"


def stored(app, url, *names):
    def work(portal):
        obj = portal
        for part in url.strip("/").split("/"):
            obj = obj[part]
        return tuple(getattr(obj, name) for name in names)
    return run_in_app(app, work)


def add_citizen(app, login_name, code):
    def work(portal):
        user = User(title="Nuova Cittadina", email=f"{login_name}@example.it", fiscal_code=code,
                    roles=(CITIZEN,), creator="admin")
        user.set_password(PASSWORD)
        portal["utenti"].add(login_name, user)
    run_in_app(app, work)


def sign_in(app, login_name):
    testapp = client(app)
    form = testapp.get("/@@accedi").forms["form-portale"]
    form["login"], form["password"] = login_name, PASSWORD
    assert form.submit("accedi").status_int == 303
    return testapp


def household_of(app, code):
    def work(portal):
        person = people.find_person(portal, code)
        household = people.household_of(person) if person is not None else None
        return household and (household.code, [(m["fiscal_code"], m["relationship"])
                                               for m in household.members])
    return run_in_app(app, work)


def test_a_draft_takes_the_household_code_from_the_registry(applications_app, codes):  # noqa: F811 (the fixtures imported above)
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    code, members = household_of(applications_app, CITIZEN_CODE)
    form = citizen.get(url + "/@@compila?passo=persone").forms["form-portale"]
    assert form["household_code"].value == code  # shown from the registry, read-only
    assert form["household_code"].attrs.get("readonly") == "readonly"
    fill_people(citizen, url, codes["sofia"], beneficiary_name="Sofia Conte",
                household_code="FAM-TYPED")
    assert stored(applications_app, url, "household_code") == (code,)
    # the beneficiary is now a person of the registry, a child of the applicant's household
    after_code, after = household_of(applications_app, CITIZEN_CODE)
    assert after_code == code
    assert (codes["sofia"], "child") in after
    assert len(after) == len(members) + 1
    # saving again changes nothing: she is already a member
    fill_people(citizen, url, codes["sofia"], beneficiary_name="Sofia Conte")
    assert household_of(applications_app, CITIZEN_CODE)[1] == after


def test_the_api_cannot_type_another_household_code(applications_app, codes):  # noqa: F811
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    code = household_of(applications_app, CITIZEN_CODE)[0]
    api(citizen, "PATCH", "/api" + url, {"household_code": "FAM-ALTRO"}, status=200)
    assert stored(applications_app, url, "household_code") == (code,)


def test_a_new_applicant_gets_a_household_and_is_linked(applications_app):  # noqa: F811 (the fixtures imported above)
    code = fiscal_code("FRR", "GLI", date(1992, 5, 6), female=True)
    child = fiscal_code("FRR", "MTT", date(2024, 1, 9))
    add_citizen(applications_app, "giulia", code)
    testapp = sign_in(applications_app, "giulia")
    url = new_draft(testapp)
    fill_people(testapp, url, child, applicant_name="Giulia Ferri", applicant_fiscal_code=code,
                email="giulia@example.it", beneficiary_name="Matteo Ferri",
                household_code="FAM-GIULIA")
    household, members = household_of(applications_app, code)
    assert members == [(code, "head"), (child, "child")]
    assert stored(applications_app, url, "household_code") == (household,)
    linked = run_in_app(applications_app, lambda p: people.find_person(p, code).login)
    assert linked == "giulia"


def test_an_applicant_living_outside_the_portal_keeps_the_typed_code(applications_app):  # noqa: F811 (the fixtures imported above)
    code = fiscal_code("LNG", "PRI", date(1988, 8, 8))
    add_citizen(applications_app, "piero", code)
    testapp = sign_in(applications_app, "piero")
    url = new_draft(testapp)
    fill_people(testapp, url, fiscal_code("LNG", "SRA", date(2023, 3, 3), female=True),
                applicant_name="Piero Longo", applicant_fiscal_code=code,
                email="piero@example.it", beneficiary_name="Sara Longo",
                household_code="FAM-LONGO", residence_municipality="000000",
                residence_region="00")
    assert stored(applications_app, url, "household_code") == ("FAM-LONGO",)
    assert household_of(applications_app, code) is None


def test_login_links_the_account_to_the_person_with_the_same_code(wsgi_app):
    code = fiscal_code("SPS", "NNA", date(1970, 4, 4), female=True)
    run_in_app(wsgi_app, lambda portal: people.register_person(portal, {
        "fiscal_code": code, "first_name": "Anna", "last_name": "Esposito",
        "address": {"kind": "residence", "street": "Via Roma 3", "istat": "072006",
                    "region": "16"}}, "comune-bari"))
    assert run_in_app(wsgi_app, lambda p: people.find_person(p, code).login) is None
    add_citizen(wsgi_app, "anna", code)
    testapp = sign_in(wsgi_app, "anna")
    assert run_in_app(wsgi_app, lambda p: people.find_person(p, code).login) == "anna"
    path = run_in_app(wsgi_app, lambda p: people.index(p).person_path(code))
    assert "Anna Esposito" in testapp.get(path).text  # she reads her own record
    # an account with someone else's e-mail but another code is not linked
    other = fiscal_code("SPS", "LRA", date(1972, 2, 2), female=True)
    add_citizen(wsgi_app, "esposito-laura", other)
    sign_in(wsgi_app, "esposito-laura")
    assert run_in_app(wsgi_app, lambda p: people.find_person(p, code).login) == "anna"


def links(testapp):
    area = BeautifulSoup(testapp.get("/@@area-personale").text, "html.parser")
    section = area.find(id="sezione-sociale")
    return {a.get_text(" ", strip=True): a["href"] for a in section.find_all("a")} \
        if section else {}


def test_the_personal_area_links_the_social_services(testapp):
    login(testapp, "municipal_operator")
    found = links(testapp)
    assert found["Anagrafica sociale — Bari"] == "/ambiti/ba-01/bari/@@anagrafica"
    # their municipality's own register (the demo's home care is Bari's), not the ATS's
    assert found["Registro delle prestazioni — Bari"] == "/ambiti/ba-01/bari/prestazioni"
    assert "Trasmissione SIUSS" not in found
    assert "Le mie cartelle" not in found
    assert "Mappa dei bisogni" not in found  # the ATS's officers' and the Region's
    for url in found.values():
        assert testapp.get(url).status_int == 200
    login(testapp, "social_worker")
    found = links(testapp)
    assert found["Le mie cartelle"] == "/@@mie-cartelle"
    assert not [t for t in found if t.startswith("Registro delle prestazioni")]
    for url in found.values():
        assert testapp.get(url).status_int == 200
    login(testapp, "other_social_worker")
    assert set(links(testapp)) == {"Anagrafica sociale — Modugno", "Le mie cartelle"}
    login(testapp, "ats_officer")
    found = links(testapp)
    assert found["Registro delle prestazioni — Ambito territoriale di Bari"] == (
        "/ambiti/ba-01/prestazioni")
    for url in found.values():
        assert testapp.get(url).status_int == 200
    assert found["Trasmissione SIUSS"] == "/ambiti/ba-01/prestazioni/@@siuss"
    assert "/ambiti/ba-01/@@anagrafica" in found.values()  # the whole ATS
    assert found["Mappa dei bisogni"] == "/ambiti/ba-01/@@mappa-bisogni"
    login(testapp, "citizen")
    assert links(testapp) == {}
    login(testapp, "region_officer")
    area = BeautifulSoup(testapp.get("/@@area-personale").text, "html.parser")
    assert area.find(id="link-mappa-regione")["href"] == "/regione/@@mappa-bisogni"
