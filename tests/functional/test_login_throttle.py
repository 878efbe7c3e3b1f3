"""Login throttling through the real app: growing delays, no enumeration, no lockout abuse."""
import re

import webtest

from portal.demo import demo_password
from portal.security.throttle import THROTTLE_KEY
from tests.functional.test_sessions import who

WAIT = re.compile(r"Riprovare tra (\d+|un) second")


def client(wsgi_app, address):
    return webtest.TestApp(wsgi_app, extra_environ={"REMOTE_ADDR": address})


def attempt(app, username, password):
    """``(status, message shown)`` of one try through the login form."""
    form = app.get("/@@accedi").forms["form-portale"]
    form["login"] = username
    form["password"] = password
    response = form.submit("accedi", expect_errors=True)
    assert "Account bloccato" not in response.text
    alert = response.html.select_one(".alert-danger") if response.status_int != 303 else None
    return response.status_int, alert.get_text(strip=True) if alert else None


def wait_of(message):
    match = WAIT.search(message or "")
    if not match:
        return 0
    return 1 if match.group(1) == "un" else int(match.group(1))


def test_known_and_unknown_logins_get_the_same_answers(wsgi_app, clock):
    known = client(wsgi_app, "192.0.2.1")
    unknown = client(wsgi_app, "192.0.2.2")
    for step in range(9):
        answers = (attempt(known, "cittadino", "sbagliata-1234"),
                   attempt(unknown, "nessuno-cosi", "sbagliata-1234"))
        assert answers[0] == answers[1], (step, answers)
        clock.advance(seconds=1)
    assert answers[0][0] == 400
    assert wait_of(answers[0][1]) > 0


def test_the_right_password_is_refused_inside_the_wait_like_any_other(wsgi_app, clock):
    app = client(wsgi_app, "192.0.2.3")
    answers = [attempt(app, "cittadino", "sbagliata-1234") for _ in range(5)]
    assert [wait_of(m) for _, m in answers] == [0, 0, 0, 0, 2]
    clock.advance(seconds=1)
    right = attempt(app, "cittadino", demo_password("cittadino"))
    assert right == (400, ("Accesso non riuscito: troppi tentativi con questo nome utente o da "
                          "questo indirizzo. Riprovare tra un secondo."))
    assert who(app) is None
    clock.advance(seconds=1)
    assert attempt(app, "cittadino", demo_password("cittadino")) == (303, None)


def test_an_attacker_elsewhere_slows_the_user_down_but_never_locks_them_out(wsgi_app, clock):
    attacker = client(wsgi_app, "203.0.113.66")
    waits = [0]
    for _ in range(30):  # the attacker waits out every delay and keeps guessing
        clock.advance(seconds=max(waits[-1], 1))
        status, message = attempt(attacker, "cittadino", "indovina-1234")
        assert status == 400
        assert "Riprovare tra" not in message.split(".")[0]
        waits.append(wait_of(message))
    assert waits == sorted(waits)
    assert waits[-1] > waits[7] > 0
    assert max(waits) <= 900  # ... up to the cap, never a lockout
    user = client(wsgi_app, "198.51.100.20")
    status, message = attempt(user, "cittadino", demo_password("cittadino"))
    assert status == 400
    assert 0 < wait_of(message) <= 900
    clock.advance(seconds=wait_of(message))
    status, message = attempt(user, "cittadino", demo_password("cittadino"))
    assert status == 303
    assert who(user) == "cittadino"
    # success reset the account: a typo now costs no wait (the attacker's address still waits)
    assert wait_of(attempt(user, "cittadino", "refuso-1234")[1]) == 0
    assert wait_of(attempt(attacker, "girasole", "indovina-1234")[1]) > 0


def test_many_logins_from_one_address_are_slowed_down(wsgi_app, clock):
    stuffer = client(wsgi_app, "203.0.113.99")
    free = int(wsgi_app.registry.settings.get("portal.login_free_attempts_address", 20))
    for n in range(free - 1):
        assert wait_of(attempt(stuffer, f"utente-{n}", "password-1234")[1]) == 0
    assert wait_of(attempt(stuffer, "utente-ultimo", "password-1234")[1]) > 0
    assert wait_of(attempt(stuffer, "altro-utente", "password-1234")[1]) > 0
    assert wait_of(attempt(client(wsgi_app, "198.51.100.21"), "altro-utente", "x" * 12)[1]) == 0


def test_a_forged_forwarded_for_does_not_give_a_fresh_address(wsgi_app, clock):
    stuffer = client(wsgi_app, "203.0.113.98")
    free = int(wsgi_app.registry.settings.get("portal.login_free_attempts_address", 20))
    for n in range(free):
        stuffer.extra_environ["HTTP_X_FORWARDED_FOR"] = f"10.0.{n}.1"
        _status, message = attempt(stuffer, f"utente-{n}", "password-1234")
    assert wait_of(message) > 0


def test_refused_attempts_store_nothing_but_the_audit_entry(wsgi_app, clock):
    app = client(wsgi_app, "192.0.2.9")
    for _ in range(6):
        attempt(app, "cittadino", "sbagliata-1234")
    db = wsgi_app.registry._zodb_databases[""]
    conn = db.open()
    try:
        counts = sorted(r.count for r in conn.root()[THROTTLE_KEY].records.values())
    finally:
        conn.close()
    assert wait_of(attempt(app, "cittadino", "sbagliata-1234")[1]) > 0
    conn = db.open()
    try:
        assert sorted(r.count for r in conn.root()[THROTTLE_KEY].records.values()) == counts
    finally:
        conn.close()
