"""Each malformed request found in issue 11 gets a 400 with an Italian message, never a 500."""
import pytest

from portal.demo import demo_password
from tests.conftest import csrf_token, login

BAD_QUERY = "indirizzo contengono caratteri non validi (codifica UTF-8 errata)"
BAD_PATH = "indirizzo richiesto contiene caratteri non validi (codifica UTF-8 errata)"
BAD_FORM = "Il contenuto della richiesta non è leggibile"


def text(response):
    return " ".join(response.text.split())


@pytest.mark.parametrize("url", ["/cerca?q=%ff%fe", "/cerca?%c3=1", "/catalogo?comune=%ff",
                                 "/catalogo?q=caf%e9"])
def test_undecodable_query_string_pages(testapp, url):
    response = testapp.get(url, status=400)
    assert BAD_QUERY in text(response)


def test_undecodable_query_string_api(testapp):
    response = testapp.get("/api/search?q=%ff", status=400)
    error = response.json["error"]
    assert error["code"] == "bad_request"
    assert error["message"].startswith("I parametri dell'indirizzo contengono caratteri non")


@pytest.mark.parametrize("url", ["/%ff%fe", "/catalogo/%ff", "/cerca/%c3%28"])
def test_undecodable_path_pages(testapp, url):
    assert BAD_PATH in text(testapp.get(url, status=400))


def test_undecodable_path_api(testapp):
    error = testapp.get("/api/catalogo/%ff", status=400).json["error"]
    assert error["code"] == "bad_request"
    assert error["message"].startswith("L'indirizzo richiesto contiene caratteri non validi")


@pytest.mark.parametrize("came_from", ["/x\r\nSet-Cookie: evil=1", "/x\nLocation: //evil",
                                       "/catalogo\x00", "/caf\u00e9", "/\u6f22"])
def test_came_from_with_control_or_non_ascii_characters_goes_home(testapp, came_from):
    page = testapp.get("/@@accedi")
    form = page.forms["form-portale"]
    form["came_from"].force_value(came_from)
    form["login"] = "cittadino"

    form["password"] = demo_password("cittadino")
    response = form.submit("accedi", status=303)
    assert response.headers["Location"] == "http://localhost/"
    assert "evil" not in str(response.headers)


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=",
                                          'multipart/form-data; boundary="a b "',
                                          "application/x-www-form-urlencoded; charset=latin-1",
                                          "application/x-www-form-urlencoded; charset=nessuno"])
def test_unreadable_form_body_is_refused_and_changes_nothing(testapp, content_type):
    login(testapp, "admin")
    token = csrf_token(testapp)
    # logging out is the unsafe request: refused, the session stays
    response = testapp.post("/@@esci", b"--x\r\ncsrf_token=" + token.encode(),
                            headers={"Content-Type": content_type, "X-CSRF-Token": token},
                            status=400)
    assert BAD_FORM in text(response)
    assert testapp.get("/api/sessione").json["user"]["login"] == "admin"


@pytest.mark.parametrize("url", ["/cerca?year=" + "1" * 5000, "/catalogo?pagina=" + "9" * 5000,
                                 "/catalogo?eta=" + "0" * 5000])
def test_overlong_numbers_in_the_query_string(testapp, url):
    # int() refuses more than 4,300 digits: these were ValueErrors, hence 500s
    assert "è troppo lungo (al massimo 2048 caratteri)" in text(testapp.get(url, status=400))


def test_overlong_numbers_in_the_api_query_string(testapp):
    error = testapp.get("/api/search?year=" + "1" * 5000, status=400).json["error"]
    assert error["code"] == "bad_request"
    assert "troppo lungo" in error["message"]


def test_json_body_in_an_unknown_charset(testapp):
    login(testapp, "admin")
    response = testapp.post("/api/catalogo/@@contenuti", b'{"type": "Document"}',
                            headers={"Content-Type": "application/json; charset=\u00ff",
                                     "X-CSRF-Token": csrf_token(testapp)}, status=400)
    assert response.json["error"]["message"].startswith(BAD_FORM)
