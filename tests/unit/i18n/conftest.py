import pytest
import webtest

from portal import main
from portal.locale.compile import compile_all
from tests.conftest import make_settings


@pytest.fixture(scope="session")
def compiled_catalogs():
    """The .mo files are git-ignored: build them as the Makefile does."""
    return compile_all()


@pytest.fixture
def i18n_app(app_dir, compiled_catalogs):
    """The real portal over the demo data, with the portal's translation directory."""
    settings = make_settings(app_dir)
    settings["portal.includes"] = "tests.unit.i18n.translations"
    app = main({}, **settings)
    yield webtest.TestApp(app)
    app.registry._zodb_databases[""].close()
