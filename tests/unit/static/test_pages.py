"""Legal and error pages: they use the layout, say the right things, stay CSP-clean."""

import pytest

from tests.unit.static.html_audit import Audit, assert_csp_clean

LEGAL_LINKS = {
    "http://example.com/privacy",
    "http://example.com/accessibilita",
    "http://example.com/note-legali",
    "mailto:accessibilita@example.org",
}

PAGES = [
    ("legal/privacy.pt", "Informativa sul trattamento dei dati personali"),
    ("legal/accessibilita.pt", "Dichiarazione di accessibilità"),
    ("legal/note-legali.pt", "Note legali"),
    ("errors/not_found.pt", "Pagina non trovata"),
    ("errors/forbidden.pt", "Accesso non consentito"),
    ("errors/bad_request.pt", "Richiesta non valida"),
    ("errors/server_error.pt", "Errore del servizio"),
]


def text(html):
    """Whitespace-normalised page text, for phrase lookups across line breaks."""
    return " ".join(html.split())


@pytest.mark.parametrize(("name", "heading"), PAGES)
def test_page_uses_layout(render_page, make_layout, name, heading):
    html = render_page(name, make_layout())
    assert html.startswith("<!DOCTYPE html>")
    audit = assert_csp_clean(html)
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} — Portale dei Servizi Sociali</title>" in html
    assert {a["href"] for a in audit.find("a")} >= LEGAL_LINKS
    assert "Vai al contenuto" in html


@pytest.mark.parametrize(("name", "heading"), PAGES)
def test_page_renders_for_logged_in_user(render_page, make_layout, name, heading):
    layout = make_layout(user={"title": "Maria Bianchi", "login": "maria"})
    html = render_page(name, layout)
    assert "Maria Bianchi" in html
    assert f"<h1>{heading}</h1>" in html


def test_privacy_is_an_article_13_notice(render_page, make_layout):
    page = text(render_page("legal/privacy.pt", make_layout()))
    assert "Regolamento (UE) 2016/679" in page
    assert "Il titolare del trattamento è la <strong>Regione Puglia</strong>" in page
    assert "Responsabile della protezione dei dati" in page
    assert "categorie particolari di dati</strong> (art. 9 GDPR)" in page
    assert "art. 2-sexies" in page
    assert "Garante per la protezione dei dati personali" in page


def test_privacy_contacts_can_be_given(render_page, make_layout):
    html = render_page(
        "legal/privacy.pt", make_layout(), dpo_email="rpd@regione.example", updated="1 marzo 2026"
    )
    assert "rpd@regione.example" in html
    assert "1 marzo 2026" in html
    assert "[indirizzo e-mail del Responsabile" not in html


def test_accessibility_statement(render_page, make_layout):
    page = text(render_page("legal/accessibilita.pt", make_layout()))
    assert 'href="https://form.agid.gov.it"' in page
    assert "23 settembre" in page
    assert "WCAG) 2.1 al livello <strong>AA</strong>" in page
    assert "Feedback accessibilità" in page
    assert "Difensore civico per il digitale" in page


def test_accessibility_statement_links_declaration_and_mail(render_page, make_layout):
    html = render_page(
        "legal/accessibilita.pt",
        make_layout(),
        declaration_url="https://form.agid.gov.it/view/abc",
        feedback_email="accessibilita@regione.example",
    )
    audit = Audit(html)
    assert audit.find("a", href="https://form.agid.gov.it/view/abc")
    assert audit.find("a", href="mailto:accessibilita@regione.example")


def test_legal_notes(render_page, make_layout):
    page = text(render_page("legal/note-legali.pt", make_layout()))
    assert "CC BY 4.0" in page
    assert "D.P.R. 28 dicembre 2000, n. 445" in page


def test_not_found_links_home_and_search(render_page, make_layout):
    audit = Audit(render_page("errors/not_found.pt", make_layout()))
    assert audit.find("a", href="http://example.com/")
    assert audit.find("a", href="http://example.com/cerca")
    assert audit.find("form", action="http://example.com/cerca", method="get")


def test_not_found_without_search_url(render_page, make_layout):
    html = render_page("errors/not_found.pt", make_layout(search_url=None))
    assert "Cerca nel portale" not in html


def test_forbidden_offers_login_to_anonymous(render_page, make_layout):
    anonymous = render_page("errors/forbidden.pt", make_layout())
    assert Audit(anonymous).find("a", href="http://example.com/@@login")
    user = make_layout(user={"title": "Maria Bianchi", "login": "maria"})
    assert ">accedi</a>" not in render_page("errors/forbidden.pt", user)


def test_bad_request_shows_message_escaped(render_page, make_layout):
    html = render_page(
        "errors/bad_request.pt", make_layout(), message="Token <script>scaduto</script>"
    )
    assert "Token &lt;script&gt;scaduto&lt;/script&gt;" in html
    assert_csp_clean(html)


@pytest.mark.parametrize("name", [name for name, _ in PAGES if name.startswith("errors/")])
def test_error_pages_without_message(render_page, make_layout, name):
    html = render_page(name, make_layout())
    assert not Audit(html).find("div", **{"class": "alert alert-warning"})


def test_server_error_is_plain(render_page, make_layout):
    html = render_page("errors/server_error.pt", make_layout(), message="Riprova più tardi.")
    assert "Riprova più tardi." in html
    assert "Traceback" not in html


@pytest.mark.parametrize(("name", "heading"), [p for p in PAGES if p[0].startswith("errors/")])
def test_error_page_title_from_view_or_default(render_page, make_layout, name, heading):
    # The exception views pass page_title (possibly None) and message (possibly None).
    default = render_page(name, make_layout(), page_title=None, message=None)
    assert f"<h1>{heading}</h1>" in default
    custom = render_page(name, make_layout(), page_title="Operazione non riuscita", message=None)
    assert "<h1>Operazione non riuscita</h1>" in custom
    assert "<title>Operazione non riuscita — Portale dei Servizi Sociali</title>" in custom
