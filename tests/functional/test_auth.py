"""Login, sessions, CSRF and security headers through the real app."""
import json
import re

import webtest

from portal.demo import demo_password
from tests.conftest import form_token, login


def submit_login(testapp, username, password):
    form = testapp.get("/@@accedi").forms["form-portale"]
    form["login"] = username
    form["password"] = password
    return form.submit("accedi", expect_errors=True)


def test_login_redirects_back_and_logout_ends_the_session(testapp):
    page = testapp.get("/utenti", status=303)
    assert "came_from=%2Futenti" in page.headers["Location"]
    login_page = page.follow()
    form = login_page.forms["form-portale"]
    form["login"] = "admin"
    form["password"] = demo_password("admin")
    response = form.submit("accedi", status=303)
    assert response.headers["Location"].endswith("/utenti")
    assert "Utenti e gruppi" in response.follow().text
    home = testapp.get("/")
    testapp.post("/@@esci", {"csrf_token": form_token(home.text)}, status=303)
    testapp.get("/utenti", status=303)


def test_came_from_never_leaves_the_site(testapp):
    form = testapp.get("/@@accedi?came_from=//evil.example/x").forms["form-portale"]
    form["login"] = "admin"
    form["password"] = demo_password("admin")
    response = form.submit("accedi", status=303)
    assert response.headers["Location"] == "http://localhost/"


def test_wrong_password_gives_a_message_that_does_not_reveal_logins(testapp):
    unknown = submit_login(testapp, "nessuno", "qualcosa-di-lungo")
    wrong = submit_login(testapp, "cittadino", "password-sbagliata")
    for response in (unknown, wrong):
        assert response.status_int == 400
        assert "Nome utente o password non corretti." in response.text


def test_five_failures_do_not_lock_the_account(testapp, clock):
    """The old hard lockout («Account bloccato» for 15 minutes) is gone: the wait is seconds."""
    for _ in range(5):
        assert "Account bloccato" not in submit_login(testapp, "cittadino", "sbagliata-1234").text
    clock.advance(seconds=2)
    right = submit_login(testapp, "cittadino", demo_password("cittadino"))
    assert right.status_int == 303
    assert testapp.get("/api/sessione").json["user"]["login"] == "cittadino"


def test_post_without_csrf_token_is_refused_and_changes_nothing(testapp):
    login(testapp, "admin")
    response = testapp.post("/ambiti/ba-01/@@modifica",
                            {"title": "Rubato", "code": "BA-01", "lead_municipality": "X"},
                            status=400)
    assert "token di sicurezza" in response.text
    api = testapp.patch("/api/ambiti/ba-01", json.dumps({"title": "Rubato"}),
                        headers={"Content-Type": "application/json"}, status=400)
    assert api.json["error"]["code"] == "csrf_token_invalid"
    assert testapp.get("/api/ambiti/ba-01").json["title"] == "Ambito territoriale di Bari"


def test_login_form_itself_needs_the_csrf_token(testapp):
    testapp.post("/@@accedi", {"login": "admin", "password": demo_password("admin"),
                               "accedi": "accedi"}, status=400)


def test_password_change_invalidates_other_sessions(testapp, wsgi_app):
    other = webtest.TestApp(wsgi_app)
    login(other, "cittadino")
    login(testapp, "cittadino")
    form = testapp.get("/@@password").forms["form-portale"]
    form["current"] = demo_password("cittadino")
    form["new"] = "una-nuova-password-lunga"
    form["new-confirm"] = "una-nuova-password-lunga"
    form.submit("salva", status=303)
    assert testapp.get("/api/sessione").json["user"]["login"] == "cittadino"
    assert other.get("/api/sessione").json["user"] is None


def test_short_new_password_is_refused_with_field_error(testapp):
    login(testapp, "cittadino")
    form = testapp.get("/@@password").forms["form-portale"]
    form["current"] = demo_password("cittadino")
    form["new"] = "corta"
    form["new-confirm"] = "corta"
    response = form.submit("salva", status=400)
    assert "almeno 10 caratteri" in response.text


def test_security_headers_and_cookie_flags(testapp):
    response = testapp.get("/")
    csp = response.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Set-Cookie" not in response.headers  # anonymous pages create no session
    login(testapp, "admin")
    cookie = testapp.get("/@@accedi").headers.get("Set-Cookie") or ""
    page = testapp.get("/api/sessione")
    cookie = cookie or page.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_no_inline_scripts_in_pages(testapp):
    login(testapp, "admin")
    for path in ("/", "/ambiti/ba-01/@@modifica", "/@@accedi", "/utenti/@@aggiungi?tipo=User"):
        html = testapp.get(path).text
        inline = [m for m in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
                  if "src=" not in m[0] or m[1].strip()]
        assert not inline, (path, inline[:1])
