"""Fixtures for the catalogue: the real app with ``portal.providers`` and its demo data."""
import json

import pytest
import webtest
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

from portal import main
from portal.demo.providers import add_catalogue_demo
from tests.conftest import csrf_token, login, make_settings


def catalogue_settings(directory):
    """The settings of a catalogue test app (``portal.main`` includes the catalogue itself)."""
    return make_settings(directory)


def add_demo(app):
    """Run the (idempotent) catalogue demo inside a transaction of ``app``."""
    env = prepare(registry=app.registry)
    try:
        request = env["request"]
        with request.tm:
            add_catalogue_demo(get_connection(request).root()["portal"], app.registry)
    finally:
        env["closer"]()


@pytest.fixture
def catalogue_app(app_dir):
    """Use for provider catalogue tests through WebTest: the catalogue views and demo entries."""
    app = main({}, **catalogue_settings(app_dir))
    add_demo(app)
    yield app
    app.registry._zodb_databases[""].close()


def client(app, who=None):
    """A WebTest client, logged in as ``who`` (role key or login) unless None."""
    test_client = webtest.TestApp(app)
    return login(test_client, who) if who else test_client


def api(test_client, method, path, body=None, status=None):
    token = csrf_token(test_client)
    return test_client.request(
        path, method=method, body=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": token},
        status=status)  # webtest checks status only without expect_errors
