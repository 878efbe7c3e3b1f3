"""A database written before the layout-2 move opens, evolves and serves the demo pages."""
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import webtest
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal import evolve, main, moved
from portal.applications.rules.isee import IseeRegistry
from portal.applications.rules.protocol import ProtocolCounters
from portal.db import ROOT_KEY
from portal.demo.applications import SUBMITTED
from portal.documents.devcert import ensure_dev_signer
from portal.mail import MailOutbox
from tests.conftest import login, make_settings
from tests.functional.test_storage import write_ini

FIXTURE = Path(__file__).parents[1] / "fixtures" / "db-84b77b3.tar.gz"


@pytest.fixture
def old_database(tmp_path):
    """The demo database of commit 84b77b3 (db_version 6), unpacked in the test's folder."""
    with tarfile.open(FIXTURE) as archive:
        archive.extractall(tmp_path, filter="data")
    ensure_dev_signer(make_settings(tmp_path))
    return tmp_path


def stored_state(directory):
    """(db_version, oids still naming moved modules, classes of the moved stores)."""
    db = DB(FileStorage(str(directory / "Data.fs"), read_only=True))
    moved.install(db)
    try:
        conn = db.open()
        root = conn.root()
        stale = moved.stale_oids(conn)
        return root[ROOT_KEY].db_version, stale, {type(conn.get(oid)) for oid in stale}
    finally:
        db.close()


def test_the_fixture_is_a_database_of_the_old_layout(old_database):
    version, stale, stores = stored_state(old_database)
    assert version == 6
    assert len(stale) >= 3  # protocol counters, ISEE registry, mail outbox at least
    # read through the class factory, the old records are today's classes
    assert {ProtocolCounters, IseeRegistry, MailOutbox} <= stores, stores


def test_old_database_evolves_then_serves_the_demo_pages(old_database):
    with pytest.raises(SystemExit) as refused:
        main({}, **make_settings(old_database))
    assert "portal-evolve" in str(refused.value)
    ini = write_ini(old_database)
    (old_database / "documents").mkdir(exist_ok=True)
    result = subprocess.run([sys.executable, "-m", "portal.scripts.evolve", str(ini)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "Passo 7 applicato" in result.stdout
    version, stale, _ = stored_state(old_database)
    assert version == evolve.latest_version()
    assert stale == []  # every record now names the modules where the classes live

    app = main({}, **make_settings(old_database))
    try:
        browser = webtest.TestApp(app)
        assert "Regione" in browser.get("/").text
        assert browser.get("/catalogo").status_int == 200
        assert browser.get("/ambiti/ba-01").status_int == 200
        assert browser.get("/cerca?q=bari").status_int == 200
        # step 10: the pages public before the editorial workflow are published, not hidden
        assert "Guida ai Buoni servizio" in browser.get("/documenti/guida-buoni-servizio").text
        assert "Passo 10 applicato" in result.stdout
        login(browser, "citizen")
        assert browser.get("/@@fascicolo").status_int == 200
        officer = webtest.TestApp(app)
        login(officer, "ats_officer")
        queue = officer.get("/ambiti/ba-01/@@istruttoria").text
        # the three demo submissions, protocolled by the old code, are in the queue
        assert len(set(re.findall(r"\d{4}/\d{7}", queue))) == len(SUBMITTED)
    finally:
        app.registry._zodb_databases[""].close()
