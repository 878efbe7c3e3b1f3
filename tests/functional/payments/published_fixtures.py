"""Ranking version 1 published through the pages once per run; each test gets its own copy.

Most payment tests start where ``first_version_published`` ends (Luca and the three demo
families admitted, version 1 published): they copy this database instead of replaying the
same dozen pages; ``test_money_after_funding`` and the ledger tests still go through them.
"""
import shutil

import pytest

from portal import main
from portal.demo.applications import people
from tests.functional.applications.conftest import applications_settings
from tests.functional.applications.test_money_after_funding import first_version_published


@pytest.fixture(scope="session")
def published_database(applications_database, smtp_server, tmp_path_factory):
    """Use only to copy from (``published_app`` does): (directory, Luca's URL) after version 1."""
    directory = tmp_path_factory.mktemp("published-db")
    shutil.copytree(applications_database, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    app = main({}, **applications_settings(directory, smtp_server[0].port))
    try:
        luca = first_version_published(app, people())
    finally:
        app.registry._zodb_databases[""].close()
    smtp_server[1].messages.clear()  # the set-up's mails (sent after each commit) are not a test's
    return directory, luca


@pytest.fixture
def published_app(published_database, smtp_server, tmp_path):
    """Use for tests that start after version 1 is published: the app, ``app.luca`` his URL."""
    source, luca = published_database
    target = tmp_path / "db"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    app = main({}, **applications_settings(target, smtp_server[0].port))
    app.luca = luca
    yield app
    app.registry._zodb_databases[""].close()
