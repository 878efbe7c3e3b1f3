"""The management area's refusals and the local roles of groups, removal and inheritance."""
import html

import pytest

from tests.conftest import csrf_token, login

ROLES_PAGE = "/ambiti/ta-01/@@gestione-ruoli"


def admin(testapp):
    """Logged in as the administrator, the welcome message already shown."""
    login(testapp, "admin")
    testapp.get("/")
    return testapp


def grant(testapp, principal, roles, status=303, path=ROLES_PAGE):
    return testapp.post(path, {"principal": principal, "roles": roles,
                               "csrf_token": csrf_token(testapp)}, status=status)


@pytest.mark.parametrize("start", ["due", "1.5", ""])
def test_a_bad_start_of_the_listing_is_an_italian_400(testapp, start):
    login(testapp, "admin")
    page = testapp.get("/@@gestione", {"inizio": start}, status=400)
    assert "Parametro «inizio» non valido." in html.unescape(page.text)


def test_a_negative_start_lists_from_the_first(testapp):
    admin(testapp)
    assert testapp.get("/@@gestione?inizio=-5").text == testapp.get("/@@gestione").text


@pytest.mark.parametrize(("principal", "roles", "message"), [
    ("rup-ba01", "ats_officer", ("Indicare un utente («user:nome») o un gruppo («group:nome») "
                                "valido.")),
    ("group:", "ats_officer", ("Indicare un utente («user:nome») o un gruppo («group:nome») "
                              "valido.")),
    ("user:nessuno", "ats_officer", "Utente inesistente: nessuno."),
    ("group:uffici", ["ats_officer", "sovrano"], "Ruoli sconosciuti: sovrano."),
])
def test_bad_local_roles_are_refused_and_nothing_changes(testapp, principal, roles, message):
    admin(testapp)
    before = testapp.get(ROLES_PAGE).text
    refused = grant(testapp, principal, roles, status=400)
    assert message in html.unescape(refused.text)
    assert testapp.get(ROLES_PAGE).text == before


def test_a_group_gets_roles_they_are_inherited_below_and_removed(testapp):
    login(testapp, "admin")
    assert "group:ufficio-piani" not in testapp.get(ROLES_PAGE).text
    done = grant(testapp, "group:ufficio-piani", "ats_officer").follow()
    assert "Ruoli locali di ufficio-piani (gruppo) aggiornati." in html.unescape(done.text)
    assert "group:ufficio-piani" in done.text
    # a child of the ambito lists it among the inherited roles, naming where it comes from
    child = testapp.get("/ambiti/ta-01/@@gestione").html
    first = next(a["href"] for a in child.select("a[href$='@@gestione']")
                 if a["href"].startswith("/ambiti/ta-01/")
                 and a["href"] != "/ambiti/ta-01/@@gestione")
    below = testapp.get(first.replace("@@gestione", "@@gestione-ruoli")).html
    inherited = [li.text.split() for li in below.select("li")
                 if li.text.startswith("ufficio-piani (gruppo)")]
    assert inherited
    # the role by its Italian title, never its id (issue 13)
    assert " ".join(inherited[0]).startswith("ufficio-piani (gruppo): Funzionario d'Ambito (RUP)")
    assert "(da «Ambito" in " ".join(inherited[0])
    removed = grant(testapp, "group:ufficio-piani", []).follow()
    assert "Ruoli locali di ufficio-piani (gruppo) rimossi." in html.unescape(removed.text)
    assert "group:ufficio-piani" not in testapp.get(ROLES_PAGE).text
    assert "group:ufficio-piani" not in testapp.get(
        first.replace("@@gestione", "@@gestione-ruoli")).text
