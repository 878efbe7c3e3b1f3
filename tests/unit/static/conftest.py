"""Fixtures for rendering the site layout and its pages without the application."""

import warnings

import pytest

# WebOb 1.8 imports the stdlib ``cgi`` module (deprecated in 3.11); not ours to fix.
# Imported once here under a narrow filter; the lead should move this ignore to pyproject.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "'cgi' is deprecated", DeprecationWarning)
    import webob  # noqa: F401

from pyramid import testing
from pyramid.renderers import get_renderer, render


class FakeLayout:
    """Stands in for the lead's Layout: exactly the attributes layout.pt reads."""

    def __init__(self, **overrides):
        self.site_title = "Portale dei Servizi Sociali"
        self.region_name = "Regione Puglia"
        self.page_title = None
        self.home_url = "http://example.com/"
        self.search_url = "http://example.com/cerca"
        self.nav = [
            {"title": "Home", "url": "http://example.com/", "active": False},
            {"title": "Avvisi", "url": "http://example.com/regione/avvisi", "active": True},
            {"title": "Catalogo", "url": "http://example.com/catalogo", "active": False},
        ]
        self.breadcrumbs = [
            {"title": "Home", "url": "http://example.com/"},
            {"title": "Avvisi", "url": "http://example.com/regione/avvisi"},
        ]
        self.user = None
        self.login_url = "http://example.com/@@login"
        self.logout_url = "http://example.com/@@logout"
        self.password_url = "http://example.com/@@password"
        self.csrf_token = "tok-123"
        self.messages = []
        self.footer_links = [
            {"title": "Privacy", "url": "http://example.com/privacy"},
            {"title": "Dichiarazione di accessibilità", "url": "http://example.com/accessibilita"},
            {"title": "Note legali", "url": "http://example.com/note-legali"},
            {"title": "Feedback accessibilità", "url": "mailto:accessibilita@example.org"},
        ]
        self.manage_url = None
        self.macro = get_renderer("portal:templates/layout.pt").implementation().macros["layout"]
        for name, value in overrides.items():
            setattr(self, name, value)

    def static(self, path):
        """Mimic request.static_url for the static/ directory."""
        return "http://example.com/static/" + path


@pytest.fixture(scope="module")
def pyramid_config():
    """Use for template tests: a Pyramid registry with pyramid_chameleon (no app, no ZODB).

    Module-scoped so each template is compiled once per module, not once per test.
    """
    config = testing.setUp(settings={})
    config.include("pyramid_chameleon")
    yield config
    testing.tearDown()


@pytest.fixture(scope="module")
def make_layout(pyramid_config):
    """Use to render a template without an app: a factory of fake ``layout`` objects (keywords override)."""
    return FakeLayout


@pytest.fixture(scope="module")
def render_page(pyramid_config):
    """Use to render a template under portal/templates with a layout and values (no app, no ZODB)."""

    def _render(name, layout, **values):
        return render(f"portal:templates/{name}", dict(values, layout=layout))

    return _render
