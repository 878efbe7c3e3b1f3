"""The social registry's pages: the list and search, a new person with every bad input, the
person's page (who may read it, the audit of the read), the front desk, the ISEE, households."""
from datetime import date

import pytest
from bs4 import BeautifulSoup
from pyramid.traversal import find_resource

from portal.demo.ids import fiscal_code
from portal.demo.social import CITIZEN_CODE, ELDER_CODE, SON_CODE
from portal.people import store as people
from tests.conftest import form_token, login
from tests.functional.applications.conftest import run_in_app

BARI = "/ambiti/ba-01/bari"
MODUGNO = "/ambiti/ba-01/modugno"
NEW_CODE = fiscal_code("RSS", "LCU", date(2023, 11, 2))  # domain.md's Luca Rossi, born in Bari
OMOCODIC = "RSSLCU23S02A66NK"  # RSSLCU23S02A662V, the place's last digit written as «N»


def at(path, view):
    return path.rstrip("/") + "/@@" + view


def page(response):
    return BeautifulSoup(response.text, "html.parser")


def error_of(response, name):
    found = page(response).find(id=f"{name}-errore")
    return found.get_text(" ", strip=True) if found else None


def post(testapp, url, **values):
    token = form_token(testapp.get(url).text)
    return testapp.post(url, {"csrf_token": token, **values}, expect_errors=True)


def person_data(**changes):
    data = {"fiscal_code": NEW_CODE, "first_name": "Luca", "last_name": "Rossi",
            "birth_date": "", "sex": "", "citizenship": "380", "street": "Via Roma 1",
            "istat": "072006", "region": "16", "phone": "", "email": ""}
    data.update(changes)
    return data


def count(app):
    return run_in_app(app, lambda portal: len(people.index(portal).people))


def reads(app, path, who):
    """The audit entries «lettura» of ``who`` on the object at ``path``."""
    def work(portal):
        obj = find_resource(portal, path)
        return [e for e in portal._p_jar.root()["audit"].for_object(obj.uid)
                if e["action"] == "lettura" and e["user"] == who]
    return len(run_in_app(app, work))


# -- the list and the search ---------------------------------------------------------------
def test_the_registry_lists_and_searches_the_people_one_may_see(testapp):
    login(testapp, "social_worker")
    everyone = testapp.get(BARI + "/@@anagrafica").text
    assert "Giovanni Greco" in everyone
    assert "Marco Conte" in everyone
    assert "Nuova persona" in everyone
    by_name = page(testapp.get(BARI + "/@@anagrafica", {"q": "Conte"})).find(id="persone")
    assert "Marco Conte" in by_name.text
    assert "Greco" not in by_name.text
    by_code = page(testapp.get(BARI + "/@@anagrafica", {"q": ELDER_CODE.lower()}))
    assert by_code.find(id="persone").get_text().count("GRCGVN") == 1
    assert "Conte" not in by_code.find(id="persone").text
    # the whole ATS is the ATS officer's
    login(testapp, "ats_officer")
    assert "Giovanni Greco" in testapp.get("/ambiti/ba-01/@@anagrafica").text


def test_a_modugno_social_worker_sees_none_of_bari(testapp, social):
    login(testapp, "other_social_worker")
    testapp.get(BARI + "/@@anagrafica", status=403)
    testapp.get("/ambiti/ba-01/@@anagrafica", status=403)  # her role is on Modugno only
    # in her own registry the code of a Bari person finds nothing
    mine = testapp.get(MODUGNO + "/@@anagrafica", {"q": ELDER_CODE})
    assert "Greco" not in mine.text
    assert "nessuna-persona" in mine.text
    for path in (social.elder, at(social.elder, "modifica"), at(social.elder, "contatto"),
                 at(social.elder, "isee"), social.household,
                 at(social.household, "aggiungi-componente")):
        testapp.get(path, status=403)


@pytest.mark.parametrize("query", ["", "pagina=abc", "pagina=-3", "q=" + "x" * 500,
                                   "q=%00%ff", "q=AAAAAAAAAAAAAAAA"])
def test_odd_searches_never_fail(testapp, query):
    login(testapp, "municipal_operator")
    assert testapp.get(BARI + "/@@anagrafica?" + query, expect_errors=True).status_int in (200, 400)


# -- the person's page ------------------------------------------------------------------------
def test_the_citizen_reads_their_own_person_and_nobody_elses(testapp, wsgi_app, social):
    login(testapp, "citizen")
    own = page(testapp.get(social.citizen))
    assert CITIZEN_CODE in own.find(id="dati-persona").text
    assert own.find(id="azioni-persona") is None  # no staff actions
    assert own.find(id="contatti") is None  # front-desk notes are the staff's
    assert reads(wsgi_app, social.citizen, "cittadino") == 0  # one's own data: no audit
    testapp.get(social.elder, status=403)
    testapp.get(at(social.citizen, "modifica"), status=403)


def test_a_read_by_the_staff_is_audited(testapp, wsgi_app, social):
    before = reads(wsgi_app, social.elder, "comune-bari")
    login(testapp, "municipal_operator")
    testapp.get(social.elder)
    testapp.get(social.household)
    assert reads(wsgi_app, social.elder, "comune-bari") == before + 1
    assert reads(wsgi_app, social.household, "comune-bari") >= 1


def test_the_case_file_is_a_link_for_its_team_and_a_bare_fact_for_others(testapp, social):
    login(testapp, "social_worker")  # the case manager
    mine = page(testapp.get(social.elder)).find(id="cartella")
    assert mine.find("a")["href"].rstrip("/") == social.case.rstrip("/")
    login(testapp, "municipal_operator")
    other = page(testapp.get(social.elder)).find(id="cartella")
    assert other.find("a") is None
    assert "In carico a un altro servizio" in other.text
    assert "Cartella sociale di" not in other.text


def test_the_page_lists_benefits_household_and_actions(testapp, social):
    login(testapp, "municipal_operator")
    html = page(testapp.get(social.elder))
    assert "A1.04" in html.find(id="prestazioni").text
    actions = {a["id"] for a in html.find(id="azioni-persona").find_all("a")}
    assert {"azione-modifica", "azione-contatto", "azione-isee",
            "azione-nuova-prestazione"} <= actions
    assert "azione-nuovo-nucleo" not in actions  # he heads a household already
    citizen = page(testapp.get(social.citizen)).find(id="nucleo")
    assert "Luca Conte" in citizen.text
    assert "Figlio o figlia" in citizen.text


# -- a new person ---------------------------------------------------------------------------
def test_a_new_person_is_registered_in_their_municipality(testapp, wsgi_app):
    login(testapp, "municipal_operator")
    response = post(testapp, BARI + "/@@nuova-persona", **person_data(
        birth_date="02/11/2023", sex="M", phone="080 123456", email="rossi@example.it"))
    assert response.status_int == 303, response.text[:2000]
    person = testapp.get(response.location)
    assert NEW_CODE in person.text
    assert "Via Roma 1" in person.text
    path = run_in_app(wsgi_app, lambda portal: people.index(portal).person_path(NEW_CODE))
    assert path.startswith(BARI + "/persone/")


def test_an_omocodic_code_is_accepted(testapp, wsgi_app):
    login(testapp, "municipal_operator")
    response = post(testapp, BARI + "/@@nuova-persona", **person_data(fiscal_code=OMOCODIC))
    assert response.status_int == 303, error_of(response, "fiscal_code")
    birth_place = run_in_app(wsgi_app, lambda p: people.find_person(p, OMOCODIC).birth_place)
    assert birth_place == "A662"


@pytest.mark.parametrize(("code", "reason"), [
    ("RSSLCU23S02A66", "16 caratteri"),
    ("RSSLCU23S02A662X", "carattere di controllo"),
    ("12345678901234567"[:16], "formato"),
    ("", "16 caratteri"),
])
def test_an_invalid_code_is_refused_with_its_reason(testapp, wsgi_app, code, reason):
    before = count(wsgi_app)
    login(testapp, "municipal_operator")
    response = post(testapp, BARI + "/@@nuova-persona", **person_data(fiscal_code=code))
    assert response.status_int == 422
    assert reason in error_of(response, "fiscal_code")
    assert count(wsgi_app) == before


@pytest.mark.parametrize(("changes", "field", "text"), [
    ({"istat": "72006"}, "istat", "6 cifre"),
    ({"istat": "099999"}, "istat", "non servito"),
    ({"istat": "072027"}, "istat", "non è tra quelli"),  # Modugno, from Bari's page
    ({"region": "1"}, "region", "2 cifre"),
    ({"street": ""}, "street", "obbligatorio"),
    ({"birth_date": "03/11/2023"}, "birth_date", "non corrisponde"),
    ({"birth_date": "31/02/2023"}, "birth_date", "Data non valida"),
    ({"sex": "F"}, "sex", "non corrisponde"),
    ({"sex": "X"}, "sex", "M o F"),
    ({"first_name": ""}, "first_name", "obbligatorio"),
    ({"last_name": "R" * 40}, "last_name", "36"),
    ({"citizenship": "IT"}, "citizenship", "3 cifre"),
    ({"email": "non-una-email"}, "email", "non valido"),
    ({"phone": "chiamami"}, "phone", "non valido"),
])
def test_bad_person_data_is_refused_on_its_field(testapp, wsgi_app, changes, field, text):
    before = count(wsgi_app)
    login(testapp, "municipal_operator")
    response = post(testapp, BARI + "/@@nuova-persona", **person_data(**changes))
    assert response.status_int == 422, response.status
    assert text in (error_of(response, field) or ""), page(response).find(id="errore-modulo")
    assert count(wsgi_app) == before


def test_every_wrong_field_is_named_at_once(testapp):
    login(testapp, "municipal_operator")
    response = post(testapp, BARI + "/@@nuova-persona", **person_data(
        fiscal_code="X", first_name="", istat="1", email="@"))
    assert all(error_of(response, f) for f in ("fiscal_code", "first_name", "istat", "email"))


def test_a_duplicate_links_to_the_person_only_for_who_may_see_them(testapp, wsgi_app):
    login(testapp, "municipal_operator")
    response = post(testapp, BARI + "/@@nuova-persona", **person_data(fiscal_code=ELDER_CODE))
    assert response.status_int == 409
    assert "già registrato" in error_of(response, "fiscal_code")
    link = page(response).find(id="persona-esistente").find("a")["href"]
    assert "Giovanni Greco" in testapp.get(link).text
    login(testapp, "other_social_worker")  # Modugno: Greco is not hers to see
    response = post(testapp, MODUGNO + "/@@nuova-persona",
                    **person_data(fiscal_code=ELDER_CODE, istat="072027"))
    assert response.status_int == 409
    assert page(response).find(id="persona-esistente") is None
    assert "Greco" not in response.text


def test_a_refused_request_without_the_token_changes_nothing(testapp, wsgi_app):
    before = count(wsgi_app)
    login(testapp, "municipal_operator")
    testapp.post(BARI + "/@@nuova-persona", person_data(), status=400)
    assert count(wsgi_app) == before


# -- edit, front desk, ISEE -----------------------------------------------------------------
def test_the_edit_keeps_the_code_and_the_municipality(testapp, wsgi_app, social):
    login(testapp, "municipal_operator")
    url = at(social.elder, "modifica")
    values = {"first_name": "Giovanni", "last_name": "Greco", "street": "Via Sparano 141",
              "istat": "072006", "region": "16", "phone": "080 7654321", "email": ""}
    moved = post(testapp, url, **{**values, "istat": "072027"})
    assert moved.status_int == 422
    assert "non si cambia qui" in error_of(moved, "istat")
    response = post(testapp, url, **values, fiscal_code=CITIZEN_CODE)
    assert response.status_int == 303
    def saved(portal):
        elder = people.find_person(portal, ELDER_CODE)
        return elder.fiscal_code, elder.addresses[0]["street"], elder.phone
    person = run_in_app(wsgi_app, saved)
    assert person == (ELDER_CODE, "Via Sparano 141", "080 7654321")


def test_a_front_desk_contact_is_recorded(testapp, wsgi_app, social):
    login(testapp, "municipal_operator")
    url = at(social.elder, "contatto")
    empty = post(testapp, url, who_came="", request="Aiuto", answer="", outcome="")
    assert empty.status_int == 422
    assert error_of(empty, "who_came")
    assert error_of(empty, "answer")
    before = run_in_app(wsgi_app, lambda p: len(people.find_person(p, ELDER_CODE).contacts))
    response = post(testapp, url, who_came="Il signor Greco", request="Il pasto a domicilio",
                    answer="Domanda da presentare al Comune", outcome="informato")
    assert response.status_int == 303
    assert "Il pasto a domicilio" in testapp.get(response.location).text
    after = run_in_app(wsgi_app, lambda p: len(people.find_person(p, ELDER_CODE).contacts))
    assert after == before + 1


def test_the_isee_warns_on_an_odd_protocol_and_refuses_bad_values(testapp, wsgi_app, social):
    login(testapp, "municipal_operator")
    url = at(social.elder, "isee")
    bad = post(testapp, url, protocol="", year="1990", dsu_date="ieri", value="molto",
               kind="nessuno")
    assert bad.status_int == 422
    assert all(error_of(bad, f) for f in ("protocol", "year", "dsu_date", "value", "kind"))
    assert run_in_app(wsgi_app, lambda p: people.find_person(p, ELDER_CODE).isee) is None
    odd = post(testapp, url, protocol="DSU-123", year="2026", dsu_date="10/02/2026",
               value="9.876,50", kind="ordinario")
    assert odd.status_int == 303
    shown = testapp.get(odd.location)
    assert "non ha il formato atteso" in shown.text
    assert "9.876,50" in page(shown).find(id="isee").text
    isee = run_in_app(wsgi_app, lambda p: people.find_person(p, ELDER_CODE).isee)
    assert (isee["protocol"], str(isee["value"]), isee["valid_until"]) == (
        "DSU-123", "9876.50", date(2026, 12, 31))
    good = post(testapp, url, protocol="INPS-ISEE-2026-01234567K-00", year="2026",
                dsu_date="2026-02-10", value="9876.50", kind="ordinario")
    assert "non ha il formato atteso" not in testapp.get(good.location).text


# -- households -----------------------------------------------------------------------------
def register(app, code, istat="072006", who="rup-ba01", **extra):
    def work(portal):
        return people.register_person(portal, {
            "fiscal_code": code, "first_name": extra.get("first", "Anna"),
            "last_name": extra.get("last", "Bianchi"),
            "address": {"kind": "residence", "street": "Via Roma 2", "istat": istat,
                        "region": "16"}}, who).fiscal_code
    return run_in_app(app, work)


def test_a_household_is_created_once_and_grows(testapp, wsgi_app, social):
    code = register(wsgi_app, fiscal_code("BNC", "NNA", date(1990, 3, 4), female=True))
    child = register(wsgi_app, fiscal_code("BNC", "GLI", date(2020, 6, 7)), first="Giulia")
    person = run_in_app(wsgi_app, lambda p: people.index(p).person_path(code))
    login(testapp, "municipal_operator")
    refused = post(testapp, at(social.elder, "nuovo-nucleo"))
    assert refused.status_int == 409
    created = post(testapp, at(person, "nuovo-nucleo"))
    assert created.status_int == 303
    household = created.location.replace("http://localhost", "")
    assert "Intestatario" in testapp.get(household).text
    again = post(testapp, at(person, "nuovo-nucleo"))
    assert again.status_int == 409
    added = post(testapp, at(household, "aggiungi-componente"), fiscal_code=child,
                 relationship="child")
    assert added.status_int == 303
    members = run_in_app(wsgi_app, lambda p: [
        (m["fiscal_code"], m["relationship"]) for m in people.find_household(
            p, people.find_person(p, code).household_code).members])
    assert members == [(code, "head"), (child, "child")]


def test_a_person_in_another_household_is_refused_naming_it_when_visible(testapp, social):
    login(testapp, "municipal_operator")
    url = at(social.household, "aggiungi-componente")
    response = post(testapp, url, fiscal_code=ELDER_CODE, relationship="parent")
    assert response.status_int == 409
    assert "NF-" in page(response).find(id="errore-modulo").text
    assert page(response).find(id="altro-nucleo") is not None
    same = post(testapp, url, fiscal_code=SON_CODE, relationship="child")
    assert same.status_int == 409
    assert "già" in page(same).find(id="errore-modulo").text


def test_the_other_household_is_not_named_to_who_may_not_see_it(testapp, wsgi_app, social):
    """A Bari resident in a Modugno household: Bari's operator sees the person, not it."""
    head = register(wsgi_app, fiscal_code("VRD", "PLA", date(1970, 1, 1)), istat="072027",
                    first="Paola", last="Verdi")
    lodger = register(wsgi_app, fiscal_code("NRI", "MRA", date(1975, 2, 2), female=True),
                      first="Mara", last="Neri")

    def households(portal):
        house = people.create_household(people.find_person(portal, head), "rup-ba01")
        people.add_member(house, people.find_person(portal, lodger), "partner")
        return house.code
    code = run_in_app(wsgi_app, households)
    login(testapp, "municipal_operator")
    response = post(testapp, at(social.household, "aggiungi-componente"), fiscal_code=lodger,
                    relationship="other")
    assert response.status_int == 409
    assert code not in response.text
    assert "altro nucleo familiare" in response.text
    assert page(response).find(id="altro-nucleo") is None


@pytest.mark.parametrize(("code", "relationship", "field"), [
    ("RSSLCU23S02A662X", "child", "fiscal_code"),
    (NEW_CODE, "child", "fiscal_code"),  # valid, not registered
    (ELDER_CODE, "head", "relationship"),
    (ELDER_CODE, "cousin", "relationship"),
])
def test_bad_members_are_refused(testapp, social, code, relationship, field):
    login(testapp, "municipal_operator")
    response = post(testapp, at(social.household, "aggiungi-componente"), fiscal_code=code,
                    relationship=relationship)
    assert response.status_int == 422
    assert error_of(response, field)


def test_a_member_leaves_after_confirming(testapp, wsgi_app, social):
    login(testapp, "municipal_operator")
    url = at(social.household, "togli-componente")
    confirm = testapp.get(url, {"fiscal_code": SON_CODE})
    assert "Togliere Luca Conte" in confirm.text
    head = testapp.get(url, {"fiscal_code": CITIZEN_CODE})
    assert page(head).find(id="form-conferma") is None
    refused = post(testapp, url + "?fiscal_code=" + CITIZEN_CODE, fiscal_code=CITIZEN_CODE)
    assert refused.status_int == 422
    testapp.get(url, {"fiscal_code": "NESSUNO"}, status=422)
    token = form_token(confirm.text)
    assert testapp.post(url, {"csrf_token": token, "fiscal_code": SON_CODE}).status_int == 303
    assert run_in_app(wsgi_app, lambda p: people.index(p).household_of(SON_CODE)) is None


def test_the_ats_registers_in_any_of_its_municipalities(testapp, wsgi_app):
    login(testapp, "ats_officer")
    form = page(testapp.get("/ambiti/ba-01/@@nuova-persona"))
    assert {"072006", "072027"} <= {o["value"] for o in form.find(id="istat").find_all("option")}
    response = post(testapp, "/ambiti/ba-01/@@nuova-persona", **person_data(istat="072027"))
    assert response.status_int == 303
    path = run_in_app(wsgi_app, lambda portal: people.index(portal).person_path(NEW_CODE))
    assert path.startswith(MODUGNO + "/persone/")
