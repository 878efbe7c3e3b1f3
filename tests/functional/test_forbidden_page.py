"""The 403 page says what the user may do instead, never the permission or view that refused."""
import re

from bs4 import BeautifulSoup

from content_types.security import ALL_PERMISSIONS_NAMES
from tests.conftest import csrf_token, login


def visible(page):
    soup = BeautifulSoup(page.text, "html.parser")
    for tag in soup(("script", "style")):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def no_internal_names(text):
    assert "Unauthorized" not in text
    assert "permission check" not in text
    for name in ALL_PERMISSIONS_NAMES:
        assert not re.search(rf"\b{re.escape(name)}\b", text), name


def test_a_logged_in_user_is_sent_to_the_personal_area(testapp):
    login(testapp, "cittadino")
    page = testapp.get("/@@gestione", status=403)
    text = visible(page)
    no_internal_names(text)
    assert "Non hai i permessi per questa pagina." in text
    assert "area personale" in text
    assert page.html.find("a", string="area personale")["href"] == "/@@area-personale"


def test_an_anonymous_post_offers_the_login_and_a_way_back(testapp):
    token = csrf_token(testapp)
    page = testapp.post("/@@gestione-ruoli", {"csrf_token": token}, status=403)
    text = visible(page)
    no_internal_names(text)
    assert "Questa pagina è riservata agli utenti registrati." in text
    link = page.html.find("a", string="accedi")["href"]
    assert link.startswith("/@@accedi")
    assert "area personale" not in text


def test_an_anonymous_get_goes_to_the_login_with_came_from(testapp):
    response = testapp.get("/@@gestione", status=303)
    assert "@@accedi?came_from=%2F%40%40gestione" in response.headers["Location"]


def test_a_refusal_with_our_own_reason_shows_it(testapp):
    token = csrf_token(testapp)
    page = testapp.post("/@@password", {"csrf_token": token}, status=403)
    text = visible(page)
    assert "Accedere per cambiare la password." in text
    no_internal_names(text)
