"""Editorial content through the real app: an editor writes, a reviewer publishes, anonymous reads."""
import html
import json
from datetime import timedelta

import pytest
import webtest
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

from content_types.values import format_date, utcnow
from portal.editorial.listing import latest_news, service_pages
from tests.conftest import csrf_token, login

REGION_EDITOR, BA01_EDITOR = "redazione-regione", "redazione-ba01"
CALL_PATH = "/regione/avvisi/buoni-minori-2026/"
APPLY_PATH = "/ambiti/ba-01/domande/buoni-minori-2026/"


def client(app, who=None):
    browser = webtest.TestApp(app)
    return login(browser, who) if who else browser


def add_through_form(browser, container, type_name, fields, status=303):
    form = browser.get(f"{container}/@@aggiungi?tipo={type_name}").forms["form-portale"]
    for name, value in fields.items():
        form[name] = value
    return form.submit("aggiungi", status=status)


def fire(browser, path, transition, comment=""):
    """Fire a transition with the button of the object's page (the generic @@transizione view)."""
    page = browser.get(path)
    forms = [f for f in page.forms.values() if f.fields.get("transition")
             and f["transition"].value == transition]
    assert forms, f"no «{transition}» button on {path}"
    if comment:
        forms[0]["comment"] = comment
    return forms[0].submit(status=303)


def transitions_offered(browser, path):
    page = browser.get(path)
    return sorted(f["transition"].value for f in page.forms.values() if f.fields.get("transition"))


def search(browser, text):
    """The pages (URLs, as links spell them) the search finds for ``browser``."""
    return [item["path"] + "/" for item in browser.get("/api/search", {"q": text}).json["items"]]


def as_request(app, work):
    """Run ``work(request)`` in an anonymous scripting request of ``app``, in a transaction."""
    env = prepare(registry=app.registry)
    request = env["request"]
    try:
        with request.tm:
            request.root = get_connection(request).root()["portal"]
            return work(request)
    finally:
        env["closer"]()


def test_a_news_item_goes_from_the_editor_to_the_public_through_the_reviewer(wsgi_app):
    editor, officer, anonymous = (client(wsgi_app, REGION_EDITOR), client(wsgi_app, "regione"),
                                  client(wsgi_app))
    made = add_through_form(editor, "/regione", "NewsItem", {
        "title": "Nuovo sportello per le famiglie zanzibar",
        "description": "Apre lo sportello.", "body": "Il testo della notizia zanzibar."})
    path = made.headers["Location"].replace("http://localhost", "")
    page = made.follow()
    assert "Privato" in page.text
    # private: the editor and the reviewer see it, nobody else; it is in no one else's search
    anonymous.get(path, status=303)  # to the login page
    client(wsgi_app, "cittadino").get(path, status=403)
    assert search(anonymous, "zanzibar") == []
    assert search(editor, "zanzibar") == [path]
    # the editor may only send it to review; the reviewer sees publish, not submit
    assert transitions_offered(editor, path) == ["submit"]
    assert transitions_offered(officer, path) == ["publish"]
    fire(editor, path, "submit")
    assert transitions_offered(editor, path) == ["retract"]
    assert "In revisione" in editor.get(path).text
    anonymous.get(path, status=303)
    assert sorted(transitions_offered(officer, path)) == ["publish", "reject", "retract"]
    fire(officer, path, "publish")

    public = anonymous.get(path)
    assert "Nuovo sportello per le famiglie zanzibar" in public.text
    assert "Il testo della notizia zanzibar." in public.text
    day = public.html.select_one("#data-notizia").text.strip()
    assert day == format_date(utcnow())  # no date typed: the day it was published
    assert search(anonymous, "zanzibar") == [path]
    news = as_request(wsgi_app, lambda request: latest_news(request, limit=3))
    assert news[0]["url"] == path
    assert news[0]["date"] == day
    assert {"title", "description", "url", "date"} <= set(news[0])
    assert len(news) == 3
    # the editor cannot publish (four eyes), but may take it back
    assert transitions_offered(editor, path) == ["retract"]
    fire(editor, path, "retract")
    anonymous.get(path, status=303)
    assert search(anonymous, "zanzibar") == []
    assert path not in [n["url"] for n in as_request(wsgi_app, lambda r: latest_news(r, limit=10))]


def test_the_reviewer_rejects_with_a_reason_and_the_editor_sees_it(wsgi_app):
    editor, officer = client(wsgi_app, BA01_EDITOR), client(wsgi_app, "ats_officer")
    made = add_through_form(editor, "/ambiti/ba-01", "NewsItem", {
        "title": "Chiusura estiva degli uffici", "body": "Gli uffici chiudono ad agosto."})
    path = made.headers["Location"].replace("http://localhost", "")
    fire(editor, path, "submit")
    assert sorted(transitions_offered(officer, path)) == ["publish", "reject", "retract"]
    fire(officer, path, "reject", comment="Indicare le date precise.")
    page = editor.get(path)
    assert "Privato" in page.text
    assert "Indicare le date precise." in page.text
    # the ATS officer of BA-01 reviews nothing of the Region
    client(wsgi_app, "ats_officer").get("/regione/@@aggiungi?tipo=NewsItem", status=403)


def test_an_editor_adds_only_editorial_types_and_only_where_the_role_is_held(wsgi_app):
    editor = client(wsgi_app, BA01_EDITOR)
    admin = client(wsgi_app, "admin")
    before = admin.get("/api/ambiti/ta-01/@@contenuti").json
    editor.get("/ambiti/ta-01/@@aggiungi?tipo=NewsItem", status=403)
    editor.post("/ambiti/ta-01/@@aggiungi?tipo=NewsItem",
                {"title": "Notizia abusiva", "body": "x", "csrf_token": csrf_token(editor)},
                status=403)
    refused = editor.post("/api/ambiti/ta-01/@@contenuti",
                          json.dumps({"type": "NewsItem", "title": "Notizia abusiva", "body": "x"}),
                          headers={"Content-Type": "application/json",
                                   "X-CSRF-Token": csrf_token(editor)}, expect_errors=True)
    assert refused.status_int == 403
    assert admin.get("/api/ambiti/ta-01/@@contenuti").json == before
    # on BA-01: the editorial types are offered, nothing else
    editor.get("/ambiti/ba-01/@@aggiungi?tipo=Folder", status=403)
    editor.get("/ambiti/ba-01/@@aggiungi?tipo=Municipality", status=403)
    offered = editor.get("/ambiti/ba-01").html.select("details ul a")
    assert sorted(a.text for a in offered) == ["Notizia", "Pagina", "Scheda servizio"]
    for type_name in ("Page", "NewsItem", "ServicePage"):
        editor.get(f"/ambiti/ba-01/@@aggiungi?tipo={type_name}", status=200)


SERVICE = {
    "title": "Buoni servizio a Bari", "description": "Il buono per il nido.",
    "audience": "Famiglie con bambini da 3 a 36 mesi.", "how_to": "Presentare la domanda online.",
    "requirements": "ISEE minorenni.", "deadlines": "Fino alla chiusura dell'avviso.",
    "costs": "Gratuito.", "contacts": "Ufficio di Piano di Bari.",
    "call_code": "buoni-minori-2026",
}


def publish_service_page(wsgi_app, fields):
    editor, officer = client(wsgi_app, BA01_EDITOR), client(wsgi_app, "ats_officer")
    made = add_through_form(editor, "/ambiti/ba-01", "ServicePage", fields)
    path = made.headers["Location"].replace("http://localhost", "")
    fire(editor, path, "submit")
    fire(officer, path, "publish")
    return path


def set_call_window(app, opens, closes):
    def change(request):
        call = request.root["regione"]["avvisi"]["buoni-minori-2026"]
        call.opens_at, call.closes_at = opens, closes
    as_request(app, change)


def test_a_service_page_leads_to_the_application_of_its_ats_while_the_call_is_open(wsgi_app):
    path = publish_service_page(wsgi_app, SERVICE)
    anonymous = client(wsgi_app)
    page = anonymous.get(path).html
    headings = [h.text.strip() for h in page.select("main h2")]
    assert headings[:1] == ["Indice della pagina"]
    assert headings[1:] == ["A chi è rivolto", "Come fare", "Cosa serve", "Tempi e scadenze",
                            "Costi", "Accedi al servizio", "Contatti"]
    index = [a["href"] for a in page.select("#indice-pagina a")]
    assert index == ["#audience", "#how-to", "#requirements", "#deadlines", "#costs", "#accedi",
                     "#contacts"]
    assert all(page.select_one(target) is not None for target in index)
    button = page.select_one("#accedi-al-servizio")
    assert button is not None
    assert button["href"] == APPLY_PATH
    anonymous.get(button["href"])  # the application page of BA-01 answers
    # the Region's demo page (no ATS) leads to the call
    region_page = anonymous.get("/regione/buoni-servizio-infanzia").html
    assert region_page.select_one("#accedi-al-servizio")["href"] == CALL_PATH
    assert path in [s["url"] for s in as_request(wsgi_app, lambda r: service_pages(r, limit=10))]

    set_call_window(wsgi_app, utcnow() - timedelta(days=60), utcnow() - timedelta(days=1))
    closed = anonymous.get(path)
    assert closed.html.select_one("#accedi-al-servizio") is None
    assert "sono chiuse dal" in html.unescape(closed.text)
    assert closed.html.select_one("#servizio-chiuso") is not None

    set_call_window(wsgi_app, utcnow() + timedelta(days=3), utcnow() + timedelta(days=30))
    later = anonymous.get(path)
    assert later.html.select_one("#accedi-al-servizio") is None
    assert later.html.select_one("#servizio-non-aperto") is not None


def test_a_service_page_naming_no_existing_call_shows_no_button(wsgi_app):
    path = publish_service_page(wsgi_app, {**SERVICE, "title": "Servizio senza avviso",
                                           "call_code": "avviso-inesistente"})
    page = client(wsgi_app).get(path).html
    assert page.select_one("#accedi-al-servizio") is None
    assert page.select_one("#servizio-non-disponibile") is not None
    without = publish_service_page(wsgi_app, {**SERVICE, "title": "Servizio informativo",
                                              "call_code": ""})
    page = client(wsgi_app).get(without).html
    assert page.select_one("#sezione-accedi") is None


@pytest.mark.parametrize(("type_name", "fields", "messages"), [
    ("NewsItem", {"title": "", "body": "Testo"}, ["Titolo: Richiesto"]),  # the one summary
    ("NewsItem", {"title": "Notizia", "body": "x" * 20_001}, ["Al massimo 20000 caratteri."]),
    ("NewsItem", {"title": "Notizia", "body": ""}, ["Il campo «Testo» è obbligatorio."]),
    ("ServicePage", {**SERVICE, "how_to": "y" * 20_001, "contacts": ""},
     ["Al massimo 20000 caratteri.", "Il campo «Contatti» è obbligatorio."]),
    ("ServicePage", {**SERVICE, "call_code": "Avviso 2026!"},
     ["Il codice dell'avviso ha solo lettere minuscole, cifre e trattini."]),
    ("NewsItem", {"title": "t" * 201, "body": "Testo"}, ["Al massimo 200 caratteri."]),
])
def test_bad_input_gets_italian_errors_and_stores_nothing(wsgi_app, type_name, fields, messages):
    editor = client(wsgi_app, REGION_EDITOR)
    before = client(wsgi_app, "admin").get("/api/regione/@@contenuti").json
    response = add_through_form(editor, "/regione", type_name, fields, status=400)
    text = html.unescape(response.text)
    for message in messages:
        assert message in text
    assert "Required" not in text  # no English fallback next to a field
    assert client(wsgi_app, "admin").get("/api/regione/@@contenuti").json == before
