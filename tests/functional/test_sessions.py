"""Server-side sessions through the real app: logout, password change, revocation, lifetimes."""
import webtest

from portal.db import get_database
from portal.demo import demo_password
from portal.security import sessions, throttle
from portal.security.housekeeping import purge_expired
from tests.conftest import form_token, login


def who(client):
    user = client.get("/api/sessione").json["user"]
    return user["login"] if user else None


def copy_of(client, wsgi_app):
    """A second client holding a copy of ``client``'s cookies (a stolen cookie)."""
    thief = webtest.TestApp(wsgi_app)
    for name, value in client.cookies.items():
        thief.set_cookie(name, value)
    return thief


def logout(client):
    client.post("/@@esci", {"csrf_token": form_token(client.get("/").text)}, status=303)


def test_a_copied_cookie_is_refused_after_logout(testapp, wsgi_app):
    login(testapp, "cittadino")
    thief = copy_of(testapp, wsgi_app)
    assert who(thief) == "cittadino"  # the copy works while the session lives
    logout(testapp)
    assert who(testapp) is None
    assert who(thief) is None
    thief.get("/utenti/cittadino/@@gestione", status=303)  # back to the login page


def test_password_change_revokes_the_other_sessions(testapp, wsgi_app):
    phone = webtest.TestApp(wsgi_app)
    login(phone, "cittadino")
    login(testapp, "cittadino")
    before = copy_of(testapp, wsgi_app)
    form = testapp.get("/@@password").forms["form-portale"]
    form["current"] = demo_password("cittadino")
    form["new"] = form["new-confirm"] = "una-nuova-password-lunga"
    form.submit("salva", status=303)
    assert who(testapp) == "cittadino"
    assert who(phone) is None
    assert who(before) is None  # the changer's own old cookie too
    admin = login(webtest.TestApp(wsgi_app), "admin")
    page = admin.get("/utenti/cittadino/@@gestione-sessioni")
    assert len(page.html.select("#sessioni tbody tr")) == 1


def test_admin_ends_a_session_from_the_management_area(testapp, wsgi_app):
    citizen = login(webtest.TestApp(wsgi_app, extra_environ={
        "REMOTE_ADDR": "198.51.100.7",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    }), "cittadino")
    login(testapp, "admin")
    overview = testapp.get("/utenti/cittadino/@@gestione")
    page = overview.click(description="Sessioni attive")
    assert "Sessioni attive: " in page.text
    for label in ("Accesso (ora di Roma)", "Ultima attività (ora di Roma)", "Indirizzo", "Termina"):
        assert label in page.text
    row = page.html.select_one("#sessioni tbody tr").get_text(" ")
    assert "198.51.100.7" in row
    assert "Firefox / Linux" in row
    confirm = page.html.select_one("#sessioni form")["data-confirm"]
    assert confirm.startswith("Terminare questa sessione?")  # portal.js asks first
    form = next(f for f in page.forms.values() if "sessione" in f.fields)
    done = form.submit(status=303).follow()
    assert "Sessione terminata." in done.text
    assert "Nessuna sessione attiva." in done.text
    assert who(citizen) is None
    assert who(testapp) == "admin"


def test_a_stale_end_session_request_is_harmless(testapp, wsgi_app):
    login(testapp, "admin")
    token = form_token(testapp.get("/").text)
    page = testapp.post("/utenti/cittadino/@@gestione-sessioni",
                        {"csrf_token": token, "sessione": "non-esiste"}, status=303).follow()
    assert "La sessione era già terminata." in page.text
    testapp.post("/utenti/cittadino/@@gestione-sessioni", {"sessione": "tutte"}, status=400)


def test_only_administrators_see_the_sessions_of_a_user(testapp):
    login(testapp, "rup-ba01")
    testapp.get("/utenti/cittadino/@@gestione-sessioni", status=403)


def test_idle_sessions_expire_and_activity_keeps_them(testapp, wsgi_app, clock):
    login(testapp, "cittadino")
    idle = int(wsgi_app.registry.settings.get("portal.session_timeout", 1800))
    for _ in range(4):  # activity more often than the idle lifetime keeps the session
        clock.advance(seconds=idle - 120)
        assert who(testapp) == "cittadino"
    clock.advance(seconds=idle + 1)
    assert who(testapp) is None


def test_sessions_end_after_the_absolute_lifetime_even_when_active(testapp, wsgi_app, clock):
    login(testapp, "cittadino")
    settings = wsgi_app.registry.settings
    idle = int(settings.get("portal.session_timeout", 1800))
    max_age = int(settings.get("portal.session_max_age", 12 * 3600))
    elapsed = 0
    while elapsed + idle // 2 < max_age:
        clock.advance(seconds=idle // 2)
        elapsed += idle // 2
        assert who(testapp) == "cittadino", elapsed
    clock.advance(seconds=max_age - elapsed)
    assert who(testapp) is None
    login(testapp, "cittadino")  # a new login starts a new lifetime
    assert who(testapp) == "cittadino"


def test_a_logged_in_get_writes_nothing_but_a_rare_last_seen(testapp, wsgi_app, clock):
    db = wsgi_app.registry._zodb_databases[""]
    login(testapp, "cittadino")
    testapp.get("/")
    before = db.lastTransaction()
    for path in ("/", "/api/sessione", "/cerca", "/"):
        testapp.get(path)
    assert db.lastTransaction() == before
    clock.advance(minutes=2)
    testapp.get("/")  # last seen is refreshed once ...
    refreshed = db.lastTransaction()
    assert refreshed != before
    testapp.get("/")
    testapp.get("/api/sessione")
    assert db.lastTransaction() == refreshed  # ... and not again within the minute


def test_housekeeping_drops_expired_sessions_and_forgotten_failures(testapp, wsgi_app, clock):
    db = get_database(wsgi_app.registry)

    def sizes():
        conn = db.open()
        try:
            root = conn.root()
            return (len(root[sessions.SESSIONS_KEY].records),
                    len(root[throttle.THROTTLE_KEY].records))
        finally:
            conn.close()

    login(testapp, "cittadino")
    page = webtest.TestApp(wsgi_app).get("/@@accedi")
    form = page.forms["form-portale"]
    form["login"], form["password"] = "nessuno-cosi", "sbagliata"
    form.submit("accedi", status=400)
    before = sizes()
    assert before[0] >= 1
    assert before[1] >= 1
    assert purge_expired(db, wsgi_app.registry) == (0, 0)  # all still in use
    clock.advance(days=2)  # past the absolute lifetime and the day failures are kept
    live = login(webtest.TestApp(wsgi_app), "admin")
    assert purge_expired(db, wsgi_app.registry) == (before[0], before[1])
    assert sizes() == (1, 0)  # only the session opened after the jump
    assert who(live) == "admin"
    assert who(testapp) is None
