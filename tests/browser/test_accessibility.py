"""axe-core finds no WCAG 2.1 A/AA violation on any page type of the demo, for each role."""
import re
import shutil

import pytest
from playwright.sync_api import Error
from pyramid.traversal import find_resource, resource_path

from content_types.values import rome_today
from portal import main
from portal.demo import cycle, demo_password
from portal.demo.applications import people
from portal.demo.social import SON_CODE
from portal.payments import attestations
from portal.register import grant
from tests.browser.conftest import assert_accessible, axe_context, serve_in_thread
from tests.conftest import csrf_token

# imported fixtures (pytest finds them by name in this module; F811 marks their uses)
from tests.functional.applications.conftest import (  # noqa: F401
    CALL,
    applications_database,
    applications_settings,
    client,
    complete_draft,
    fill_people,
    new_draft,
    post,
    run_in_app,
    smtp_server,
    submit,
    version_of,
)
from tests.functional.calls.test_call_pages import (
    GOOD_BANDS,
    new_version_fields,
    post_version,
    replace_bands,
)
from tests.functional.social.conftest import demo_paths

pytestmark = pytest.mark.browser
DISTRICT = "/ambiti/ba-01"
CALL_PAGE = "/regione/avvisi/buoni-minori-2026"
ENTRY = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"
QUEUE = DISTRICT + "/@@istruttoria"
RANKING = DISTRICT + "/@@graduatoria?avviso=buoni-minori-2026"
STEPS = ("persone", "servizio", "priorita")
PLAN = DISTRICT + "/piani/2025-2027"
TA_PLAN = "/ambiti/ta-01/piani/2025-2027"
# a role with one of these suffixes browses with the context's options changed
PHONE = "@telefono"  # a phone's viewport
ENGLISH = "@en"  # a browser asking for English pages
VARIANTS = {PHONE: {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                    "has_touch": True},
            ENGLISH: {"locale": "en-GB"}}
INVALID = "invalid"  # a third item: send the page's form emptied, check the errors shown
FORGED = "csrf-falso"  # a third item: send the page's form with a wrong CSRF token (400 page)
SENT = "inviato"  # a third item: send the page's form filled in; it asks to confirm, on the page
ROLES = ("cittadino", "rup-ba01", "girasole", "regione", "caf", "admin", "redazione-regione",
         "redazione-ba01", "genitore", "comune-bari", "as-bari")
BARI = DISTRICT + "/bari"
ATS_REGISTER = DISTRICT + "/prestazioni"

# One line per page type: (role[+variant], path[, INVALID, FORGED or the expected HTTP status;
# 200 otherwise]). {luca} (awaiting integration), {sofia} (waiting for the provider), {draft},
# {ranking} and {doc} are the objects made by ``site``; the call has a second version.
PAGES = [
    # anonymous
    ("anonimo", "/"),
    ("anonimo", "/@@accedi"),
    ("anonimo", "/@@accedi", INVALID),
    ("anonimo", "/cerca?q=nido"),
    ("anonimo", "/catalogo"),
    ("anonimo", "/catalogo/girasole"),
    ("anonimo", "/catalogo/girasole/nido-girasole"),
    ("anonimo", ENTRY),
    ("anonimo", "/catalogo/@@registrazione-ente"),
    ("anonimo", "/catalogo/@@registrazione-ente", INVALID),
    ("anonimo", "/regione"),
    ("anonimo", DISTRICT),
    ("anonimo", CALL_PAGE),
    ("anonimo", "{ranking}"),
    ("anonimo", "/documenti"),
    ("anonimo", "/verifica"),
    ("anonimo", "/verifica/{doc}"),
    ("anonimo", "/privacy"),
    ("anonimo", "/accessibilita"),
    ("anonimo", "/note-legali"),
    ("anonimo", "/pagina-che-non-esiste", 404),
    ("anonimo", "/@@avvisi"),
    ("anonimo", CALL_PAGE + "/@@versioni"),
    ("anonimo", CALL_PAGE + "-versione-1"),  # the old version, replaced
    ("anonimo", "/regione/domande-buoni-minori-2026"),  # news
    ("anonimo", "/regione/buoni-servizio-infanzia"),  # service page
    ("anonimo", "/ambiti/ba-01/sportello-buoni-bari"),
    # every logged-in role: the personal area and the inbox
    *((login, "/@@area-personale") for login in ROLES),
    ("cittadino", "/@@messaggi"), ("rup-ba01", "/@@messaggi"),
    ("girasole", "/@@messaggi"), ("regione", "/@@messaggi"),
    ("cittadino", "/@@messaggi/messaggio-non-piu-disponibile"),  # «no longer available»
    # the citizen: a funded application, one awaiting integration, a draft
    ("cittadino", "/"),
    ("cittadino", "/@@fascicolo"),
    ("cittadino", "/documenti/guida-buoni-servizio"),
    ("cittadino", CALL_PAGE),
    ("cittadino", CALL),
    ("cittadino", "{luca}"),
    ("cittadino", "{sofia}"),
    ("cittadino", "{luca}/@@integrazione"),
    ("cittadino", "{draft}"),
    ("cittadino", "/@@avvisi"),
    ("cittadino", CALL_PAGE + "/@@presenta-domanda"),
    ("cittadino", ENTRY),  # «Richiedi il buono per questo servizio»
    ("cittadino", "{sofia}/@@inviata"),
    *(("cittadino", "{draft}/@@compila?passo=" + step) for step in STEPS),
    ("cittadino", "{draft}/@@compila?passo=persone", INVALID),
    ("cittadino", "{draft}/@@compila?passo=servizio", INVALID),
    ("cittadino", "{draft}/@@allegati"),
    ("cittadino", "{draft}/@@riepilogo"),
    ("cittadino", "/@@password"),
    ("cittadino", "/@@gestione", 403),
    ("cittadino", "/@@password", FORGED),
    # the ATS officer
    ("rup-ba01", "/"),
    ("rup-ba01", DISTRICT),
    ("rup-ba01", QUEUE),
    ("rup-ba01", QUEUE + "?stato=awaiting_integration"),
    ("rup-ba01", "{luca}/@@esame"),
    ("rup-ba01", CALL + "/domanda-famiglia-rossi/@@esame"),
    ("rup-ba01", RANKING),
    ("rup-ba01", RANKING, SENT),  # applications still under review: the confirmation
    ("rup-ba01", "{ranking}"),
    ("rup-ba01", DISTRICT + "/domande/@@isee-registro"),
    ("rup-ba01", DISTRICT + "/domande/@@isee-manuale"),
    ("rup-ba01", CALL),
    ("rup-ba01", DISTRICT + "/@@aggiungi?tipo=Municipality"),
    ("rup-ba01", DISTRICT + "/@@aggiungi?tipo=Municipality", INVALID),
    # the provider
    ("girasole", "/"),
    ("girasole", "/catalogo/girasole"),
    ("girasole", "/catalogo/girasole/@@abbinamenti"),
    ("girasole", "{sofia}/@@abbinamento"),
    ("girasole", ENTRY),
    ("girasole", ENTRY + "/@@proponi-modifica"),
    ("girasole", "/catalogo/girasole/@@invita"),
    ("girasole", "/catalogo/girasole/@@modifica"),
    ("girasole", "/catalogo/girasole/@@aggiungi?tipo=ServiceUnit"),
    ("girasole", "/catalogo/girasole/nido-girasole/@@aggiungi?tipo=CatalogueEntry"),
    ("girasole", "/catalogo/girasole/nido-girasole/@@aggiungi?tipo=CatalogueEntry", INVALID),
    # the monthly cycle of the demo's second call (portal.demo.cycle)
    ("genitore", "/@@attestazioni-da-confermare"),
    ("genitore", "{cycle_draft}"),
    ("genitore", "{cycle_draft}/@@conferma"),
    ("genitore", "{cycle_app}"),
    ("girasole", "/catalogo/girasole/@@attestazioni"),
    ("girasole", "{cycle_draft}/@@modifica"),
    ("girasole", "{cycle_signed}"),
    ("rup-ba01", DISTRICT + "/@@attestazioni"),
    ("rup-ba01", "{cycle_sent}/@@valida"),
    ("rup-ba01", DISTRICT + "/@@liquidazioni"),
    ("rup-ba01", "{cycle_act}"),
    ("rup-ba01", "{cycle_act}/@@rettifica"),
    ("rup-ba01", "{cycle_app}/@@chiusura-anticipata"),
    ("rup-ba01", DISTRICT + "/@@fondi"),
    ("regione", "/regione/@@fondi"),
    ("regione", "/regione/avvisi/buoni-minori-2025/@@budget"),
    # the Region
    ("regione", "/"),
    ("regione", "/regione"),
    ("regione", CALL_PAGE),
    ("regione", CALL_PAGE + "/@@budget"),
    ("regione", CALL_PAGE + "/@@pubblica"),
    ("regione", CALL_PAGE + "/@@modifica"),
    ("regione", "/regione/avvisi/@@aggiungi?tipo=Call"),
    ("regione", "/regione/avvisi/@@aggiungi?tipo=Call", INVALID),
    ("regione", "/regione/@@nuovo-avviso"),
    ("regione", "/regione/@@nuovo-avviso", INVALID),
    ("regione", CALL_PAGE + "/@@nuova-versione"),
    ("regione", CALL_PAGE + "/@@nuova-versione", INVALID),
    ("regione", CALL_PAGE + "/@@versioni"),
    ("regione", "/catalogo/@@richieste-registrazione"),
    ("regione", "/catalogo/@@da-accreditare"),
    ("cittadino", CALL + "/@@delega"),
    # the editors of the Region and of an ATS
    ("redazione-regione", "/"),
    ("redazione-regione", "/regione/@@aggiungi?tipo=NewsItem"),
    ("redazione-regione", "/regione/@@aggiungi?tipo=NewsItem", INVALID),
    ("redazione-regione", "/regione/@@aggiungi?tipo=ServicePage"),
    ("redazione-ba01", "/ambiti/ba-01/sportello-buoni-bari"),
    # the CAF (delegated by the citizen)
    ("caf", "/"),
    ("caf", CALL),
    # a phone's viewport: the collapsed header and menus, tables that scroll
    ("anonimo" + PHONE, "/"),
    ("anonimo" + PHONE, ENTRY),
    ("anonimo" + PHONE, CALL_PAGE),
    ("cittadino" + PHONE, "/@@fascicolo"),
    ("cittadino" + PHONE, "{draft}/@@compila?passo=persone", INVALID),
    ("rup-ba01" + PHONE, QUEUE),
    ("rup-ba01" + PHONE, "{ranking}"),
    # English pages (Accept-Language: en): the lang attributes follow the language
    ("anonimo" + ENGLISH, "/"),
    ("anonimo" + ENGLISH, CALL_PAGE),
    ("cittadino" + ENGLISH, "/"),
    ("cittadino" + ENGLISH, "/@@area-personale"),
    ("cittadino" + ENGLISH, "{draft}/@@compila?passo=persone", INVALID),
    # the administrator: management pages
    ("admin", "/"),
    ("admin", "/@@gestione"),
    ("admin", "/@@gestione-ruoli"),
    ("admin", "/@@gestione-storico"),
    ("admin", "/@@gestione-workflow"),
    ("admin", "/@@gestione-lavori"),
    ("admin", "/utenti/cittadino/@@gestione-sessioni"),
    ("admin", "/documenti/@@aggiungi?tipo=Page"),
    ("admin", "/ambiti/@@aggiungi?tipo=District"),
    ("admin", "/documenti/guida-buoni-servizio"),
    ("admin", "/documenti/guida-buoni-servizio/@@modifica"),
    ("admin", "/documenti/guida-buoni-servizio/@@elimina"),
    # zone plans (the editor's pages: tests/browser/test_plan_editor.py): BA-01's approved
    # plan with a draft version 2 made by ``site``, TA-01's sent to the Region
    ("anonimo", DISTRICT + "/piani"),  # the approved plans, public
    ("anonimo", PLAN + "/versione-1"),
    ("regione", "/regione/@@piani"),
    ("regione", TA_PLAN + "/versione-1/@@esame"),
    ("rup-ba01", PLAN + "/@@confronta"),
    ("rup-ba01", PLAN + "/@@confronta?da=1&a=9", 404),
    ("regione", PLAN + "/@@confronta"),  # one version it may see: nothing to compare
    ("rup-ba01", PLAN + "/@@monitoraggio"),
    ("regione", PLAN + "/@@monitoraggio"),
    ("regione", "/regione/@@piani-fnps"),
    ("regione", "/regione/@@piani-cruscotto"),
    ("regione", "/regione/@@piani-impostazioni"),
    ("regione", "/regione/@@piani-trasferimenti"),
    ("rup-ba01", PLAN + "/archivio"),
    ("rup-ba01", PLAN + "/archivio/delibere"),
    ("regione", PLAN + "/archivio/piano-firmato"),
    ("rup-ba01", "{plan_doc}"),
    ("regione" + PHONE, "/regione/@@piani-cruscotto"),
    ("regione" + ENGLISH, "/regione/@@piani-cruscotto"),
    ("regione", "/regione/@@piani-cruscotto?periodo=2025", 422),
    ("regione", "/regione/@@piani?stato=submitted"),
    ("regione", PLAN + "/@@confronta?da=1&a=1", 400),
    ("rup-ba01", PLAN + "/versione-1/@@fonti", 409),  # frozen: make a new version
    ("rup-ba01", PLAN + "/@@monitoraggio", INVALID),
    ("rup-ba01" + PHONE, PLAN + "/@@monitoraggio"),
    ("rup-ba01" + PHONE, PLAN + "/@@confronta"),
    ("regione" + PHONE, "/regione/@@piani-fnps"),
    ("regione" + PHONE, "/regione/@@piani"),
    ("regione" + PHONE, TA_PLAN + "/versione-1/@@esame"),
    ("regione", "/regione/@@piani-trasferimenti", INVALID),
    # the social side (issue 16; portal.demo.social): {elder} in the care of «as-bari» with
    # his {case} and its {note}, his home care {benefit}; the citizen's Person {citizen}, his
    # {household} and the contribution Bari grants him ({citizen_benefit}, made by ``site``)
    ("comune-bari", "/"),
    ("comune-bari", BARI + "/@@anagrafica"),
    ("comune-bari", BARI + "/@@anagrafica?q=Conte"),
    ("rup-ba01", DISTRICT + "/@@anagrafica"),
    ("comune-bari", BARI + "/@@nuova-persona"),
    ("comune-bari", BARI + "/@@nuova-persona", INVALID),
    ("comune-bari", "{citizen}"),
    ("comune-bari", "{citizen}/@@modifica"),
    ("comune-bari", "{citizen}/@@contatto"),
    ("comune-bari", "{citizen}/@@isee"),
    ("comune-bari", "{citizen}/@@isee", INVALID),
    ("comune-bari", "{household}"),
    ("comune-bari", "{household}/@@aggiungi-componente"),
    ("comune-bari", "{household}/@@togli-componente?fiscal_code={son_code}"),
    ("comune-bari", BARI + "/prestazioni"),
    ("comune-bari", "{benefit}"),
    ("comune-bari", "{benefit}/@@sospendi"),
    ("comune-bari", "{elder}/@@nuova-prestazione"),
    ("comune-bari", "{elder}/@@nuova-prestazione", INVALID),
    ("as-bari", "/"),
    ("as-bari", "/@@mie-cartelle"),
    ("as-bari", "{elder}"),
    ("as-bari", "{case}"),
    ("as-bari", "{note}"),
    ("as-bari", "{case}/@@presa-in-carico"),
    ("as-bari", "{case}/@@valutazione"),
    ("as-bari", "{case}/@@pai"),
    ("as-bari", "{case}/@@pai", INVALID),
    ("as-bari", "{case}/@@nota"),
    ("as-bari", "{case}/@@documenti"),
    ("as-bari", "{case}/@@equipe"),
    ("as-bari", "{case}/@@chiudi"),
    ("as-bari", "{citizen}/@@apri-cartella"),
    ("as-bari", "{elder}/@@proposte"),
    ("rup-ba01", ATS_REGISTER),
    ("rup-ba01", ATS_REGISTER + "?stato=active"),
    ("rup-ba01", "{benefit}"),
    ("rup-ba01", ATS_REGISTER + "/@@siuss"),
    ("rup-ba01", ATS_REGISTER + "/@@siuss?anno={year}&anteprima=1"),
    ("rup-ba01", DISTRICT + "/@@mappa-bisogni"),
    ("rup-ba01", DISTRICT + "/@@mappa-bisogni?misura=prestazioni&area=ELD"),
    ("regione", "/regione/@@mappa-bisogni"),
    ("cittadino", "{citizen}"),
    ("cittadino", "{household}"),
    ("cittadino", "{citizen_benefit}"),
    ("cittadino", "{citizen}/@@proposte"),
    # refused forms: nothing changes, the errors are shown on the fields
    ("comune-bari", "{household}/@@aggiungi-componente", INVALID),
    ("comune-bari", "{benefit}/@@sospendi", INVALID),
    ("as-bari", "{case}/@@presa-in-carico", INVALID),
    ("as-bari", "{case}/@@nota", INVALID),
    ("rup-ba01", ATS_REGISTER + "/@@siuss?anno={year}&anteprima=1", INVALID),
    ("as-bari" + PHONE, "{case}"),
    ("rup-ba01" + PHONE, DISTRICT + "/@@mappa-bisogni"),
    ("comune-bari" + PHONE, BARI + "/@@anagrafica"),
    ("as-bari" + ENGLISH, "{case}"),
]


def _login_of(role):
    return role.split("@")[0]


def _id(page):
    return ":".join(map(str, page))


def _officer_action(officer, url, action, **extra):
    page = officer.get(url + "/@@esame")
    post(officer, url + "/@@esame", {"azione": action, "_version": version_of(page), **extra})


def _prepare(app, codes):
    """A published ranking, then the citizen's applications in several states (through the app)."""
    citizen = client(app, "cittadino")
    provider = client(app, "girasole")
    officer = client(app, "rup-ba01")
    # the demo's three matched families: reviewed, ranked, published
    for state, action in (("matched", "start_review"), ("under_review", "declare_eligible")):
        queue = officer.get(QUEUE + "?stato=" + state)
        officer.post(QUEUE, [("azione", action), ("csrf_token", csrf_token(officer))]
                     + [("uid", u) for u in re.findall(r'name="uid" value="([^"]+)"',
                                                        queue.text)], status=303)
    ranking = post(officer, RANKING).headers["Location"].replace("http://localhost", "")
    post(officer, ranking + "/@@pubblica", {"atto": "Determinazione n. 12/2026"})
    # Luca: matched, under review, an integration requested
    luca = complete_draft(citizen, codes["luca"])
    submit(citizen, luca)
    page = provider.get(luca + "/@@abbinamento")
    post(provider, luca + "/@@abbinamento", {"decisione": "accetta", "_version": version_of(page)})
    _officer_action(officer, luca, "start_review")
    _officer_action(officer, luca, "request_integration", comment="Allegare il documento.")
    # Sofia: submitted, waiting for the provider; a third one stays a half-filled draft
    sofia = complete_draft(citizen, codes["sofia"])
    submit(citizen, sofia)
    draft = new_draft(citizen)
    fill_people(citizen, draft, codes["luca"])
    doc = re.search(r"/verifica/([\w-]+)", officer.get(ranking).text).group(1)
    # the Region corrects the call: a second version, the first kept beside it
    region = client(app, "regione")
    page = region.get(CALL_PAGE + "/@@nuova-versione")
    _form, items = new_version_fields(page, reason="Fasce ISEE riviste", isee_max="30000.00")
    post_version(region, replace_bands(items, GOOD_BANDS), 303)
    # the ATS opens a revision of its approved plan: two versions to compare
    post(officer, PLAN + "/@@nuova-versione")
    return {"luca": luca, "sofia": sofia, "draft": draft, "ranking": ranking.rstrip("/"),
            "doc": doc, **run_in_app(app, _cycle), **run_in_app(app, _plan_document),
            **run_in_app(app, lambda portal: _social(portal, app.registry))}


def _social(portal, registry):
    """The paths of the demo's social side, after Bari grants the citizen a contribution."""
    found = demo_paths(portal)
    citizen = find_resource(portal, found.citizen)
    start = rome_today().replace(day=1)
    benefit = grant.grant(portal["ambiti"]["ba-01"], citizen, {
        "siuss_code": "A2.02", "source": "contribution", "start": start, "amount": "600.00",
        "public_share": "600.00", "means_test": "4",
        "protocol": f"{start.year}/CONTR-0001", "granted_by": "Comune di Bari",
    }, "comune-bari", registry, municipality="072006")
    return {**vars(found), "citizen_benefit": resource_path(benefit), "son_code": SON_CODE,
            "year": start.year}


def _plan_document(portal):
    """The path of the deliberation in the demo's BA-01 plan archive."""
    folder = portal["ambiti"]["ba-01"]["piani"]["2025-2027"]["archivio"]["delibere"]
    return {"plan_doc": resource_path(next(iter(folder.values())))}


def _cycle(portal):
    """The paths of the demo's monthly cycle: one attestation per state, the act, Ferri's file."""
    district = portal["ambiti"]["ba-01"]
    folder = district["domande"][cycle.CALL_CODE]
    found = {}
    for application in folder.values():
        for attestation in attestations.attestations_of(application):
            found.setdefault(attestation.state, resource_path(attestation))
    act = next(iter(district["liquidazioni"].values()))
    return {"cycle_draft": found["draft"], "cycle_signed": found["signed"],
            "cycle_sent": found["sent"], "cycle_act": resource_path(act),
            "cycle_app": resource_path(folder["domanda-" + cycle.FAMILY_LOGIN])}


@pytest.fixture(scope="module")
def site(applications_database, smtp_server, tmp_path_factory):  # noqa: F811
    """The applications demo with the citizen's applications in several states, served."""
    directory = tmp_path_factory.mktemp("a11y-db")
    shutil.copytree(applications_database, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    app = main({}, **applications_settings(directory, smtp_server[0].port))
    objects = _prepare(app, people())
    with serve_in_thread(app) as base:
        yield base, objects


@pytest.fixture(scope="module")
def role_pages(browser, site):
    """One logged-in axe context per role, opened on first use and shared by the module."""
    base, _objects = site
    contexts = {}

    def page_for(role):
        if role not in contexts:
            login, variant = _login_of(role), role[len(_login_of(role)):]
            context = axe_context(browser, **VARIANTS.get(variant, {}))
            if login != "anonimo":
                page = context.new_page()
                page.goto(base + "/@@accedi")
                page.fill("input[name=login]", login)
                page.fill("input[name=password]", demo_password(login))
                page.locator("button[name=accedi]").click()  # its text follows the language
                page.wait_for_load_state()
                assert not page.locator("input[name=password]").count(), role  # logged in
                page.close()
            contexts[role] = context
        return contexts[role].new_page()

    yield page_for
    for context in contexts.values():
        context.close()


def _send_main_form(page, how):
    """Send the page's main form emptied (INVALID), with a forged CSRF token (FORGED) or with
    its empty text fields filled in (SENT)."""
    page.evaluate("""(how) => {
        const form = document.querySelector("main form[method=post], main form[method=POST]");
        form.noValidate = true;
        if (how === "forged") { form.querySelector("[name=csrf_token]").value = "falso"; return; }
        if (how === "sent") {
            for (const field of form.querySelectorAll("input[type=text], input:not([type]), textarea")) {
                if (!field.value) { field.value = "Verifica di accessibilità"; }
            }
            return;
        }
        for (const field of form.querySelectorAll("input:not([type=hidden]), textarea")) {
            if (field.type === "checkbox" || field.type === "radio") { field.checked = false; }
            else if (field.type !== "submit" && field.type !== "file") { field.value = ""; }
        }
        for (const select of form.querySelectorAll("select")) { select.selectedIndex = -1; }
    }""", {FORGED: "forged", SENT: "sent"}.get(how, "empty"))
    with page.expect_navigation() as navigation:
        page.locator("main form[method=post] [type=submit], main form[method=POST] "
                     "[type=submit]").first.click()
    return navigation.value


@pytest.mark.parametrize("entry", PAGES, ids=_id)
def test_no_wcag_21_aa_violations(site, role_pages, entry):
    base, objects = site
    role, path, *extra = entry
    page = role_pages(role)
    try:
        response = page.goto(base + path.format(**objects))
        if INVALID in extra:
            _send_main_form(page, INVALID)
            assert page.locator("main [aria-invalid=true], main .alert-danger").count(), \
                "the emptied form shows no error"
        elif FORGED in extra:
            assert _send_main_form(page, FORGED).status == 400
        elif SENT in extra:
            assert _send_main_form(page, SENT).status == 200
            assert page.url == base + path.format(**objects)  # not done: asked to confirm
        else:
            assert response.status == (extra[0] if extra else 200), page.url
        assert_accessible(page, _id(entry))
    finally:
        page.close()


@pytest.mark.parametrize("login", sorted({_login_of(entry[0]) for entry in PAGES} - {"anonimo"}))
def test_the_page_after_login_with_its_message(site, browser, login):
    base, _objects = site
    context = axe_context(browser)
    try:
        page = context.new_page()
        page.goto(base + "/@@accedi")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", demo_password(login))
        page.locator("button[name=accedi]").click()
        page.wait_for_load_state()
        assert page.locator("[role=alert]").count()  # the welcome message
        assert_accessible(page, f"{login}: dopo l'accesso")
    finally:
        context.close()


def test_assert_accessible_names_each_violation_under_the_real_csp(site, role_pages):
    base, _objects = site
    page = role_pages("anonimo")
    try:
        page.goto(base + "/")
        # the portal's CSP stays in force in the axe contexts: an inline script is refused
        with pytest.raises(Error):
            page.add_script_tag(content="window.inlineRan = true;")
        assert page.evaluate("() => window.inlineRan === undefined")
        page.evaluate("""() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<img src="/x.png">'
                + '<p style="color:#ccc">testo chiaro</p><input type="text" name="senza">');
        }""")
        with pytest.raises(pytest.fail.Exception) as failure:
            assert_accessible(page, "prova")
        report = str(failure.value)
        for rule in ("image-alt", "color-contrast", "label"):
            assert f"- {rule} [" in report, report
        assert report.startswith("prova ("), report
        assert "img: " in report, report  # the target selector of each failing element
    finally:
        page.close()
