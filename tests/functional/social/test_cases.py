"""The case file's pages: the team reads and writes, everybody else is refused and logged,
every read is in the audit log with its reader, a case is opened once per person."""
import pytest
import webtest

from content_types.security import SOCIAL_WORKER, set_local_roles
from content_types.users import User
from portal.cases import store as cases
from portal.demo import demo_password
from portal.demo.social import CITIZEN_CODE
from portal.people import store as people
from tests.conftest import login
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.archive_fixtures import make_pdf
from tests.functional.social.cases_fixtures import at, audit_of, latest_audit, post


def reads(entries, reader, what=None):
    return [e for e in entries if e["action"] == "lettura" and e["user"] == reader
            and (what is None or e["details"].get("what") == what)]


def test_the_case_page_shows_the_case_and_its_read_is_logged(testapp, wsgi_app, social):
    login(testapp, "social_worker")
    before = len(reads(audit_of(wsgi_app, social.case), "as-bari"))
    page = testapp.get(social.case)
    for text in ("In carico", "Francesca Gallo", "ss-bari", "Anziani", "Vive solo",
                 "Restare a casa propria", "Primo colloquio", "La figlia, Anna Greco",
                 "Assistenza domiciliare", "A1.04", "Mobilita"):
        assert text in page.text, text
    entries = reads(audit_of(wsgi_app, social.case), "as-bari", "cartella sociale")
    assert len(entries) == before + 1
    assert entries[0]["path"] == social.case.rstrip("/")


def test_the_note_page_and_the_api_reads_are_logged_with_the_reader(testapp, wsgi_app, social):
    login(testapp, "social_worker")
    page = testapp.get(social.note)
    assert "Primo colloquio a domicilio" in page.text
    assert reads(audit_of(wsgi_app, social.note), "as-bari", "nota di cartella")
    before_case = len(reads(audit_of(wsgi_app, social.case), "as-bari"))
    before_note = len(reads(audit_of(wsgi_app, social.note), "as-bari"))
    testapp.get("/api" + social.case.rstrip("/"), status=200)
    testapp.get("/api" + social.note.rstrip("/"), status=200)
    assert len(reads(audit_of(wsgi_app, social.case), "as-bari")) == before_case + 1
    assert len(reads(audit_of(wsgi_app, social.note), "as-bari")) == before_note + 1


def test_the_listing_of_a_case_through_the_api_is_a_logged_read(testapp, wsgi_app, social):
    login(testapp, "social_worker")
    before = len(reads(audit_of(wsgi_app, social.case), "as-bari"))
    listing = testapp.get("/api" + social.case.rstrip("/") + "/@@contenuti").json
    assert listing["total"] == 1
    assert len(reads(audit_of(wsgi_app, social.case), "as-bari")) == before + 1


@pytest.mark.parametrize("who", ["other_social_worker", "ats_officer", "admin",
                                 "municipal_operator"])
def test_outside_the_team_every_read_is_refused_and_logged(testapp, wsgi_app, social, who):
    login(testapp, who)
    login_name = {"other_social_worker": "as-modugno", "ats_officer": "rup-ba01",
                  "admin": "admin", "municipal_operator": "comune-bari"}[who]
    urls = [social.case, social.note, social.case + "/@@valutazione", social.case + "/@@pai",
            social.case + "/@@scarica?documento=x", social.case + "/@@documenti"]
    for url in urls:
        page = testapp.get(url, status=403)
        assert "Primo colloquio" not in page.text
        assert "Vive solo" not in page.text
    api = testapp.get("/api" + social.case.rstrip("/"), status=403)
    assert api.json["error"]["code"] == "forbidden"
    testapp.get("/api" + social.note.rstrip("/"), status=403)
    refused = [e for e in latest_audit(wsgi_app, 100) if e["user"] == login_name
               and e["action"].startswith("NEGATO")]
    paths = {e["path"] for e in refused}
    assert social.case.rstrip("/") in paths
    assert social.note.rstrip("/") in paths
    assert len(refused) >= len(urls) + 2
    assert not reads(audit_of(wsgi_app, social.case), login_name)


def test_a_case_opened_twice_is_refused_naming_the_case_manager(testapp, wsgi_app, social):
    login(testapp, "other_social_worker")  # Modugno's worker cannot even open Bari's people
    testapp.get(social.elder + "/@@apri-cartella", status=403)
    login(testapp, "social_worker")
    history = run_in_app(wsgi_app, lambda portal: len(at(portal, social.case).history))
    page = post(testapp, social.elder + "/@@apri-cartella", {"office": "ss-bari"}, status=409)
    assert "già aperta una cartella sociale" in page.text
    assert "Francesca Gallo" in page.text
    assert "as-bari" in page.text
    assert run_in_app(wsgi_app, lambda portal: len(at(portal, social.case).history)) == history


def test_the_office_is_one_of_the_openers_groups(testapp, wsgi_app, social):
    login(testapp, "social_worker")
    page = testapp.get(social.citizen + "/@@apri-cartella")
    assert 'value="ss-bari"' in page.text
    post(testapp, social.citizen + "/@@apri-cartella", {"office": "ss-modugno"}, status=422)
    assert run_in_app(wsgi_app, lambda portal: cases.case_of(at(portal, social.citizen))) is None


def test_a_case_lives_from_the_front_desk_to_closing_and_reopening(testapp, wsgi_app, social):
    login(testapp, "social_worker")
    opened = post(testapp, social.citizen + "/@@apri-cartella", {"office": "ss-bari"})
    case_url = opened.headers["Location"].replace("http://localhost", "")
    assert case_url.rstrip("/").endswith("/cartella")
    assert "Aperta" in testapp.get(case_url).text
    # taking charge: the manager must be a social worker of the person's municipality
    post(testapp, case_url + "/@@presa-in-carico",
         {"manager": "as-modugno", "area": "FAM", "office": "ss-bari"}, status=422)
    post(testapp, case_url + "/@@presa-in-carico",
         {"manager": "as-bari", "area": "XXX", "office": "ss-bari"}, status=422)
    post(testapp, case_url + "/@@presa-in-carico",
         {"manager": "as-bari", "team": "nessuno-cosi", "area": "FAM"}, status=422)
    post(testapp, case_url + "/@@presa-in-carico",
         {"manager": "as-bari", "team": "comune-bari", "area": "FAM", "office": "ss-bari"})
    page = testapp.get(case_url)
    assert "In carico" in page.text
    assert "Famiglia e minori" in page.text
    # the PAI
    post(testapp, case_url + "/@@pai", {"goals": "", "what.0": "x"}, status=422)
    post(testapp, case_url + "/@@pai", {
        "goals": "Sostegno alla genitorialità", "what.0": "Educativa domiciliare",
        "who.0": "Cooperativa", "responsible": "as-bari", "review": ["2020-01-31", "2099-06-30"]})
    page = testapp.get(case_url)
    assert "Educativa domiciliare" in page.text
    assert "scaduta, non svolta" in page.text
    post(testapp, case_url + "/@@pai-verifica", {"day": "2020-01-31"})
    post(testapp, case_url + "/@@pai-verifica", {"day": "2021-01-01"}, status=422)
    assert "scaduta, non svolta" not in testapp.get(case_url).text
    # a note, newest first
    post(testapp, case_url + "/@@nota", {"text": "   "}, status=422)
    post(testapp, case_url + "/@@nota", {"text": "Prima nota", "day": "2025-01-10"})
    post(testapp, case_url + "/@@nota", {"text": "Seconda nota", "day": "2025-02-10"})
    text = testapp.get(case_url).text
    assert text.index("Seconda nota") < text.index("Prima nota")
    # the team: a member added can read; closing needs a reason and the confirmation
    post(testapp, case_url + "/@@equipe", {"team": "as-bari as-modugno", "office": "ss-bari"})
    other = login(type(testapp)(testapp.app), "other_social_worker")
    assert "Prima nota" in other.get(case_url).text
    post(testapp, case_url + "/@@chiudi", {"reason": "Obiettivi raggiunti"}, status=422)
    post(testapp, case_url + "/@@chiudi", {"reason": "", "confirm": "1"}, status=422)
    post(testapp, case_url + "/@@chiudi", {"reason": "Obiettivi raggiunti", "confirm": "1"})
    assert "Chiusa" in testapp.get(case_url).text
    post(testapp, case_url + "/@@riapri")
    post(testapp, case_url + "/@@riapri", status=409)  # already open again
    status, history = run_in_app(wsgi_app, lambda portal: (
        cases.case_of(people.find_person(portal, CITIZEN_CODE)).status,
        [h["what"] for h in cases.case_of(people.find_person(portal, CITIZEN_CODE)).history]))
    assert status == "open"
    assert history[:2] == ["open", "take_charge"]
    assert history[-2:] == ["close", "open"]


def _assessment(**changes):
    values = {"day": "2026-03-01", "summary": "Vive solo", "needs": "Igiene, spesa",
              "dependent": "1", "sina_needs": ["A1.04"], "sina_invalidity": ["1"],
              **{f"sina.{k}": v for k, v in {
                  "Mobilita": "2", "AttivitaVitaQuotidiana": "2", "DisturbiComportamentali": "1",
                  "NecessitaCureSanitarie": "2", "AreaReddituale": "2", "AreaSupporto": "2",
                  "FonteDerivazioneValutazione": "2", "StrumentoValutazione": "1"}.items()}}
    values.update(changes)
    return values


@pytest.mark.parametrize("field", ["sina.Mobilita", "sina.AreaSupporto",
                                   "sina.StrumentoValutazione"])
def test_a_dependent_persons_assessment_needs_the_required_sina_fields(
        testapp, wsgi_app, social, field):
    login(testapp, "social_worker")
    before = run_in_app(wsgi_app, lambda portal: dict(at(portal, social.case).assessment))
    page = post(testapp, social.case + "/@@valutazione", _assessment(**{field: ""}), status=422)
    assert f'id="errore-{field.replace(".", "-")}"' in page.text
    assert "Campo obbligatorio per la valutazione SINA" in page.text
    assert run_in_app(wsgi_app, lambda portal: dict(at(portal, social.case).assessment)) == before


def test_sina_needs_are_benefit_codes_of_the_table(testapp, wsgi_app, social):
    login(testapp, "social_worker")
    page = post(testapp, social.case + "/@@valutazione",
                _assessment(sina_needs=["Q9.99"]), status=422)
    assert "Q9.99" in page.text
    post(testapp, social.case + "/@@valutazione", _assessment(sina_invalidity=[]), status=422)
    post(testapp, social.case + "/@@valutazione", _assessment(**{"sina.Mobilita": "9"}),
         status=422)
    post(testapp, social.case + "/@@valutazione", _assessment(**{"sina.DisturbiAreaCognitiva": ""}))
    sheet = run_in_app(wsgi_app, lambda portal: dict(at(portal, social.case).assessment))
    assert sheet["sina"]["needs"] == ("A1.04",)
    assert "DisturbiAreaCognitiva" not in sheet["sina"]


def test_an_assessment_of_a_person_not_dependent_has_no_sina(testapp, wsgi_app, social):
    login(testapp, "social_worker")
    post(testapp, social.case + "/@@valutazione",
         {"day": "01/03/2026", "summary": "Autonomo", "needs": ""})
    sheet = run_in_app(wsgi_app, lambda portal: dict(at(portal, social.case).assessment))
    assert sheet["dependent"] is False
    assert "sina" not in sheet
    post(testapp, social.case + "/@@valutazione", {"day": "ieri", "summary": ""}, status=422)


def test_documents_are_pdfs_and_their_download_is_a_logged_read(testapp, wsgi_app, social):
    login(testapp, "social_worker")
    pdf = make_pdf("Relazione sociale riservata")
    post(testapp, social.case + "/@@documenti", {"title": "Relazione"}, status=422)
    post(testapp, social.case + "/@@documenti", {"title": "Non PDF"},
         upload_files=[("file", "a.pdf", b"not a pdf")], status=422)
    post(testapp, social.case + "/@@documenti", {"title": "Relazione"},
         upload_files=[("file", "relazione.pdf", pdf)])
    page = testapp.get(social.case)
    assert "Relazione" in page.text
    link = page.html.select_one("#documenti a")["href"]
    before = len(reads(audit_of(wsgi_app, social.case), "as-bari"))
    response = testapp.get(link)
    assert response.body == pdf
    assert response.content_type == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    entries = reads(audit_of(wsgi_app, social.case), "as-bari")
    assert len(entries) == before + 1
    assert entries[0]["details"]["what"].startswith("documento")
    testapp.get(social.case + "/@@scarica?documento=nessuno", status=404)
    outsider = login(type(testapp)(testapp.app), "other_social_worker")
    outsider.get(link, status=403)


def test_my_cases_are_those_of_my_team_or_office(testapp, social):
    login(testapp, "social_worker")
    page = testapp.get("/@@mie-cartelle")
    assert "Giovanni Greco" in page.text
    assert social.case.rstrip("/") in page.text
    login(testapp, "other_social_worker")
    assert "Giovanni Greco" not in testapp.get("/@@mie-cartelle").text
    login(testapp, "admin")
    assert "Giovanni Greco" not in testapp.get("/@@mie-cartelle").text


def test_the_office_reads_but_does_not_write(wsgi_app, social):
    """A colleague of the office (group ss-bari) outside the team reads the case only."""
    def add(portal):
        user = User(title="Collega", email="collega@example.it", groups=("ss-bari",),
                    creator="admin")
        user.set_password(demo_password("collega-bari"))
        portal["utenti"].add("collega-bari", user, registry=wsgi_app.registry)
        set_local_roles(portal["ambiti"]["ba-01"]["bari"], "user:collega-bari", {SOCIAL_WORKER})
    run_in_app(wsgi_app, add)
    client = login(webtest.TestApp(wsgi_app), "collega-bari")
    assert "Primo colloquio" in client.get(social.case).text
    assert reads(audit_of(wsgi_app, social.case), "collega-bari", "cartella sociale")
    client.get(social.case + "/@@nota", status=403)
    post(client, social.case + "/@@nota", {"text": "intrusione"}, status=403)
    assert "Giovanni Greco" in client.get("/@@mie-cartelle").text
