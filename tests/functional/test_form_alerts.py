"""Every form of the portal (``FormView``) shows one error summary, never a second alert."""
import webtest

from tests.conftest import login

# (who, form page, fields emptied, a message of the summary)
FORMS = [
    (None, "/@@accedi", ("login", "password"), "Richiesto"),
    (None, "/catalogo/@@registrazione-ente", ("name",), "Richiesto"),
    ("admin", "/documenti/@@aggiungi?tipo=Page", ("title",), "Titolo: Richiesto"),
    ("regione", "/regione/@@nuovo-avviso", ("title", "code"), "Titolo: Richiesto"),
    ("cittadino", "/@@password", ("current", "new", "repeat"), "Richiesto"),
]


def alerts(page):
    return [a.get_text(" ", strip=True) for a in page.html.select("[role=alert]")]


def test_every_form_shows_one_error_summary(wsgi_app):
    for who, path, emptied, message in FORMS:
        browser = login(webtest.TestApp(wsgi_app), who) if who else webtest.TestApp(wsgi_app)
        browser.get("/")  # the welcome message is an alert of its own: read it first
        form = browser.get(path).forms["form-portale"]
        for name in emptied:
            if name in form.fields:
                form[name] = ""
        page = form.submit(status=400)
        shown = alerts(page)
        assert len(shown) == 1, (path, shown)
        assert message in shown[0], (path, shown)
        assert "Controllare i campi evidenziati" not in page.text, path
        assert page.html.select_one("#form-portale [role=alert] a[href^='#']") is not None, path


def test_a_refusal_without_faulty_fields_still_says_why_once(wsgi_app):
    browser = login(webtest.TestApp(wsgi_app), "admin")
    browser.get("/")
    form = browser.get("/documenti/guida-buoni-servizio/@@modifica").forms["form-portale"]
    form["_version"].force_value("0")  # loaded before someone else's change
    page = form.submit(status=409)
    shown = alerts(page)
    assert len(shown) == 1, shown
    assert "modificato da un'altra persona" in shown[0]
