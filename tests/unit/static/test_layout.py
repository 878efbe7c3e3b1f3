"""The site layout macro: structure, user variants, escaping and CSP-safety."""

import pytest
from pyramid.renderers import render

from tests.unit.static.html_audit import Audit, assert_csp_clean

SAMPLE = "tests.unit.static:templates/sample.pt"


def page(layout, **values):
    return render(SAMPLE, dict(values, layout=layout))


def title_of(html):
    start = html.index("<title>") + len("<title>")
    return html[start : html.index("</title>", start)]


def test_page_is_html5_in_italian(make_layout):
    html = page(make_layout())
    assert html.startswith("<!DOCTYPE html>")
    assert Audit(html).find("html", lang="it")
    assert "Contenuto di prova del portale." in html


def test_no_inline_scripts_handlers_or_styles(make_layout):
    layout = make_layout(
        user={"title": "Maria Bianchi", "login": "maria"},
        manage_url="http://example.com/@@manage",
        messages=[{"kind": "success", "text": "Salvato"}],
    )
    audit = assert_csp_clean(page(layout))
    sources = [attrs["src"] for attrs, _ in audit.scripts]
    assert sources == [
        "http://example.com/static/js/prelude.js",
        "http://example.com/static/vendor/jquery/jquery.min.js",
        "http://example.com/static/vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js",
        "http://example.com/static/vendor/deform/deform.js",
        "http://example.com/static/js/portal.js",
    ]


def test_assets_come_from_static_only(make_layout):
    audit = Audit(page(make_layout()))
    stylesheets = [a["href"] for a in audit.find("link", rel="stylesheet")]
    assert stylesheets == [
        "http://example.com/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css",
        "http://example.com/static/vendor/bootstrap-italia/css/fonts.css",
        "http://example.com/static/css/portal.css",
    ]


def test_skip_links_point_to_existing_targets(make_layout):
    audit = Audit(page(make_layout()))
    html = page(make_layout())
    assert ">Vai al contenuto</a>" in html
    assert ">Vai al menu</a>" in html
    targets = [a["href"] for a in audit.find("a", **{"class": "visually-hidden-focusable"})]
    assert targets == ["#contenuto", "#menu-principale"]
    assert {"contenuto", "menu-principale"} <= audit.ids
    assert audit.find("main", id="contenuto")


def test_landmarks(make_layout):
    audit = Audit(page(make_layout()))
    assert audit.find("header")
    assert audit.find("main")
    assert audit.find("footer")
    assert audit.find("nav", aria_label="Menu principale")
    assert audit.find("nav", aria_label="Percorso di navigazione")


def test_region_and_site_title_in_header(make_layout):
    html = page(make_layout())
    assert '<span class="d-lg-block navbar-brand">Regione Puglia</span>' in html
    assert '<div class="it-brand-title">Portale dei Servizi Sociali</div>' in html


def test_anonymous_sees_login_link_only(make_layout):
    html = page(make_layout())
    audit = Audit(html)
    assert audit.find("a", href="http://example.com/@@login")
    assert "Accedi" in html
    assert not audit.find("form", action="http://example.com/@@logout")
    assert "Cambia password" not in html
    assert "tok-123" not in html


def test_user_sees_name_password_link_and_logout_form(make_layout):
    html = page(make_layout(user={"title": "Maria Bianchi", "login": "maria"}))
    audit = Audit(html)
    assert "Maria Bianchi" in html
    assert not audit.find("a", href="http://example.com/@@login")
    link = audit.find("a", href="http://example.com/@@password")
    assert link
    assert "Cambia password" in html
    forms = audit.find("form", action="http://example.com/@@logout")
    assert forms
    assert forms[0]["method"] == "post"
    assert audit.find("input", type="hidden", name="csrf_token", value="tok-123")
    assert "Esci" in html


def test_user_without_title_shows_login(make_layout):
    html = page(make_layout(user={"title": "", "login": "maria"}))
    assert "<span>maria</span>" in html


def test_manage_link_only_when_allowed(make_layout):
    assert "Gestione" not in page(make_layout())
    audit = Audit(page(make_layout(manage_url="http://example.com/@@manage")))
    assert audit.find("a", href="http://example.com/@@manage")


def test_active_nav_item_has_aria_current(make_layout):
    audit = Audit(page(make_layout()))
    current = audit.find("a", aria_current="page")
    assert [a["href"] for a in current] == ["http://example.com/regione/avvisi"]
    links = [a["href"] for a in audit.find("a", **{"class": "nav-link"})]
    assert links == ["http://example.com/", "http://example.com/catalogo"]


def test_breadcrumbs_last_item_is_current_page(make_layout):
    html = page(make_layout())
    audit = Audit(html)
    assert audit.find("a", href="http://example.com/")
    current = audit.find("li", aria_current="page")
    assert len(current) == 1
    assert '<li class="breadcrumb-item active" aria-current="page">Avvisi</li>' in html


def test_breadcrumbs_omitted_when_empty(make_layout):
    html = page(make_layout(breadcrumbs=[]))
    assert "breadcrumb" not in html


def test_messages_are_alerts(make_layout):
    layout = make_layout(
        messages=[
            {"kind": "success", "text": "Domanda inviata"},
            {"kind": "danger", "text": "Errore <b>grave</b>"},
            {"kind": "bogus", "text": "Tipo sconosciuto"},
        ]
    )
    html = page(layout)
    audit = Audit(html)
    alerts = audit.find("div", role="alert")
    assert [a["class"] for a in alerts] == ["alert alert-success", "alert alert-danger", "alert alert-info"]
    assert "Errore &lt;b&gt;grave&lt;/b&gt;" in html
    assert "<b>grave</b>" not in html


def test_no_messages_no_alerts(make_layout):
    assert not Audit(page(make_layout())).find("div", role="alert")


def test_footer_has_legal_links(make_layout):
    audit = Audit(page(make_layout()))
    hrefs = {a["href"] for a in audit.find("a")}
    assert {
        "http://example.com/privacy",
        "http://example.com/accessibilita",
        "http://example.com/note-legali",
        "mailto:accessibilita@example.org",
    } <= hrefs
    html = page(make_layout())
    for title in ("Privacy", "Dichiarazione di accessibilità", "Note legali", "Feedback accessibilità"):
        assert f">{title}</a>" in html


def test_title_without_page_title(make_layout):
    assert title_of(page(make_layout())) == "Portale dei Servizi Sociali"


def test_title_from_layout_page_title(make_layout):
    html = page(make_layout(page_title="Avvisi"))
    assert title_of(html) == "Avvisi — Portale dei Servizi Sociali"


def test_title_from_view_wins_over_layout(make_layout):
    html = page(make_layout(page_title="Avvisi"), page_title="Buoni servizio 2025")
    assert title_of(html) == "Buoni servizio 2025 — Portale dei Servizi Sociali"


@pytest.mark.parametrize("where", ["view", "layout", "site"])
def test_titles_are_escaped(make_layout, where):
    evil = "<script>alert(1)</script>"
    if where == "view":
        html = page(make_layout(), page_title=evil)
    elif where == "layout":
        html = page(make_layout(page_title=evil))
    else:
        html = page(make_layout(site_title=evil, region_name=evil))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in title_of(html)
    assert evil not in html
    assert_csp_clean(html)


def test_user_supplied_names_are_escaped(make_layout):
    layout = make_layout(
        user={"title": '"><script>x()</script>', "login": "x"},
        nav=[{"title": "<i>nav</i>", "url": "http://example.com/", "active": True}],
        breadcrumbs=[{"title": "<i>crumb</i>", "url": "http://example.com/"}],
    )
    html = page(layout)
    assert "<script>x()" not in html
    assert "<i>" not in html
    assert_csp_clean(html)


def test_title_not_doubled_when_page_title_is_site_title(make_layout):
    html = page(make_layout(page_title="Portale dei Servizi Sociali"))
    assert title_of(html) == "Portale dei Servizi Sociali"


def test_explicit_none_page_title_falls_back_to_site_title(make_layout):
    assert title_of(page(make_layout(page_title="Avvisi"), page_title=None)) == (
        "Portale dei Servizi Sociali"
    )
