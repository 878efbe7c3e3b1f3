import pytest
import webtest

from portal import main
from portal.locale.compile import compile_all
from tests.conftest import make_settings


@pytest.fixture(scope="session")
def compiled_catalogs():
    """Use before anything renders translations: builds the git-ignored .mo files as the Makefile does."""
    return compile_all()


@pytest.fixture
def i18n_app(app_dir, compiled_catalogs):
    """Use for translation tests through the app: the demo portal with the test translation directory."""
    settings = make_settings(app_dir)
    settings["portal.includes"] = "tests.unit.i18n.translations"
    app = main({}, **settings)
    yield webtest.TestApp(app)
    app.registry._zodb_databases[""].close()
