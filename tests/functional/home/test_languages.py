"""Language: the visitor's cookie, then Accept-Language (known catalogs only), then Italian."""
import webtest


def test_accept_language_english_gives_english(wsgi_app):
    page = webtest.TestApp(wsgi_app).get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en"' in page.text
    assert ">Log in</span>" in page.text


def test_unknown_accept_language_keeps_italian(wsgi_app):
    page = webtest.TestApp(wsgi_app).get("/", headers={"Accept-Language": "de-DE,fr;q=0.8"})
    assert '<html lang="it"' in page.text


def test_the_switcher_sets_italian_back_and_returns_to_the_page(wsgi_app):
    browser = webtest.TestApp(wsgi_app, extra_environ={"HTTP_ACCEPT_LANGUAGE": "en"})
    page = browser.get("/catalogo/?q=nido")
    assert '<html lang="en"' in page.text
    back = page.click(description="Italiano")
    assert back.status_int == 303
    assert back.headers["Location"] == "http://localhost/catalogo/?q=nido"
    assert "_LOCALE_=it" in back.headers["Set-Cookie"]
    again = back.follow()
    assert '<html lang="it"' in again.text  # the cookie wins over the browser's language
    assert "Set-Cookie" not in again.headers  # a visitor still gets no session


def test_the_switcher_refuses_other_sites(wsgi_app):
    browser = webtest.TestApp(wsgi_app)
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example",
                   "/ok\r\nSet-Cookie: x=1", "evil.example"):
        response = browser.get("/@@lingua", {"lang": "en", "torna": target}, status=303)
        assert response.headers["Location"] == "http://localhost/"


def test_an_unknown_language_sets_nothing(wsgi_app):
    response = webtest.TestApp(wsgi_app).get("/@@lingua", {"lang": "xx", "torna": "/catalogo/"},
                                             status=303)
    assert "Set-Cookie" not in response.headers
    assert response.headers["Location"] == "http://localhost/catalogo/"


def test_a_referer_of_another_site_leads_home(wsgi_app):
    browser = webtest.TestApp(wsgi_app)
    for referer in ("https://evil.example/x", "http://evil.example/catalogo/",
                    "http://localhost.evil.example/", "not a url"):
        response = browser.get("/@@lingua", {"lang": "it"}, headers={"Referer": referer},
                               status=303)
        assert response.headers["Location"] == "http://localhost/"


def test_the_switcher_link_is_the_same_on_every_page(wsgi_app):
    browser = webtest.TestApp(wsgi_app)
    assert 'href="/@@lingua?lang=en"' in browser.get("/").text
    assert 'href="/@@lingua?lang=en"' in browser.get("/catalogo/?q=nido").text
