"""Over random sequences of transitions by random people: anonymous sees an item iff it is published."""
import itertools
import json

import pytest
import webtest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token, login
from workflows.editorial import PUBLISH, PUBLISHED, REJECT, RETRACT, SUBMIT

#: who may try: the item's editor, its reviewers, and people with no say on BA-01
ACTORS = ("redazione-ba01", "rup-ba01", "regione", "redazione-regione", "cittadino", "girasole")
TRANSITIONS = (SUBMIT, PUBLISH, REJECT, RETRACT, "unknown")
STEPS = st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(TRANSITIONS)),
                 min_size=1, max_size=7)


class Clients:
    """One logged-in WebTest client per actor, with its CSRF token read once."""

    def __init__(self, app):
        self.anonymous = webtest.TestApp(app)
        self.admin = login(webtest.TestApp(app), "admin")
        self.by_login = {who: login(webtest.TestApp(app), who) for who in ACTORS}
        self.tokens = {who: csrf_token(c) for who, c in self.by_login.items()}
        self.numbers = itertools.count(1)

    def post(self, who, path, body):
        return self.by_login[who].post(path, json.dumps(body), expect_errors=True, headers={
            "Content-Type": "application/json", "X-CSRF-Token": self.tokens[who]})


#: the smallest valid body of each editorial type
BODIES = {
    "Page": {"body": "Testo."},
    "NewsItem": {"body": "Testo."},
    "ServicePage": {"audience": "Tutti.", "how_to": "Online.", "contacts": "Ufficio."},
}


@pytest.fixture
def clients(wsgi_app):
    """Use once per property: the examples share the app, each writes its own item."""
    return Clients(wsgi_app)


def anonymous_sees(clients, api_path, words):
    page = clients.anonymous.get(api_path, expect_errors=True).status_int == 200
    found = clients.anonymous.get("/api/search", {"q": words}).json["total"] == 1
    assert page == found, "the page and the search disagree"
    return page


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS, kind=st.sampled_from(["NewsItem", "ServicePage", "Page"]))
def test_anonymous_sees_exactly_the_published_items(clients, steps, kind):
    words = f"visibilita{next(clients.numbers)}x"
    body = {"type": kind, "title": f"Prova {words}", **BODIES[kind]}
    made = clients.post("redazione-ba01", "/api/ambiti/ba-01/@@contenuti", body)
    assert made.status_int == 201, made.text
    api_path = made.headers["Location"].replace("http://localhost", "")
    state = clients.admin.get(api_path).json["state"]
    assert state == "private"
    assert not anonymous_sees(clients, api_path, words)
    for who, transition in steps:
        before = state
        response = clients.post(who, api_path + "/@@transizione",
                                {"transition": transition, "comment": "Motivo."})
        assert response.status_int < 500, response.text
        state = clients.admin.get(api_path).json["state"]
        if response.status_int >= 400:
            assert state == before, "a refused transition changed the state"
        # the editor never publishes; people without a say never change anything
        if who not in ("rup-ba01", "regione"):
            assert state != PUBLISHED or before == PUBLISHED
        if who in ("redazione-regione", "cittadino", "girasole"):
            assert state == before
        assert anonymous_sees(clients, api_path, words) == (state == PUBLISHED)
