"""The database on disk: locking, first start, evolve steps, the command-line tools."""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal import demo, main
from portal.db import AUDIT_KEY, ROOT_KEY
from portal.demo import social as social_demo
from tests.conftest import make_settings

BIN = Path(sys.executable).parent


def write_ini(directory):
    ini = directory / "test.ini"
    uri = make_settings(directory)["zodbconn.uri"]
    ini.write_text(textwrap.dedent(f"""
        [app:main]
        use = egg:portale-sociale
        zodbconn.uri = {uri}
        portal.session_secret = test-secret-for-the-command-line-tools
        documents.office_name = Regione Puglia — Portale dei servizi sociali (prova)
        documents.pkcs12_file = {directory}/documents/dev.p12
        documents.pkcs12_password_file = {directory}/documents/dev.pass
        documents.trust_roots = {directory}/documents/dev.pem
    """))
    return ini


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_portal_init_creates_the_storage_folders_on_a_clean_tree(tmp_path):
    """A fresh checkout has no var/: portal-init makes it (and the blob folder)."""
    ini = write_ini(tmp_path)
    text = ini.read_text().replace(f"file://{tmp_path}/Data.fs", "file://%(here)s/var/Data.fs")
    ini.write_text(text.replace(f"blobstorage_dir={tmp_path}/blobs", "blobstorage_dir=%(here)s/var/blobs"))
    assert not (tmp_path / "var").exists()
    result = run(BIN / "portal-init", ini, "--senza-demo")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "Data.fs").exists()
    assert (tmp_path / "var" / "blobs").is_dir()
    assert "Traceback" not in result.stderr


def test_a_second_process_gets_a_clear_message_not_a_traceback(wsgi_app, app_dir):
    ini = write_ini(app_dir)
    result = run(BIN / "portal-init", ini)
    assert result.returncode == 1
    assert "Il database è già in uso da un altro processo" in result.stderr
    assert "Traceback" not in result.stderr


def test_portal_init_creates_the_tree_and_prints_the_demo_logins(tmp_path):
    ini = write_ini(tmp_path)
    result = run(BIN / "portal-init", ini)
    assert result.returncode == 0, result.stderr
    assert "admin" in result.stdout
    assert "admin-demo-2026" in result.stdout
    assert "as-bari-demo-2026" in result.stdout  # the social worker's login is printed too
    assert "certificato di firma di SVILUPPO" in result.stdout
    assert (tmp_path / "documents" / "dev.p12").exists()
    again = run(BIN / "portal-init", ini)  # idempotent
    assert again.returncode == 0
    db = DB(FileStorage(str(tmp_path / "Data.fs"), read_only=True))
    try:
        root = db.open().root()
        portal = root[ROOT_KEY]
        assert list(portal["ambiti"].keys()) == ["ba-01", "ta-01", "le-03"]
        # one per role, the two editors too, and the social side's staff
        assert len(portal["utenti"]) == len(demo.USERS) + len(social_demo.STAFF)
        assert AUDIT_KEY in root
    finally:
        db.close()


def test_pending_evolve_steps_stop_the_app_until_portal_evolve_runs(tmp_path):
    ini = write_ini(tmp_path)
    app = main({}, **make_settings(tmp_path))
    app.registry._zodb_databases[""].close()
    # simulate data written by an older release: step 1 not applied yet
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    with transaction.manager:
        root = db.open().root()
        del root[AUDIT_KEY]
        root[ROOT_KEY].db_version = 0
    db.close()
    with pytest.raises(SystemExit) as excinfo:
        main({}, **make_settings(tmp_path))
    assert "portal-evolve" in str(excinfo.value)
    listed = run(BIN / "portal-evolve", ini, "--elenco")
    assert "da eseguire: 1" in listed.stdout
    result = run(BIN / "portal-evolve", ini)
    assert result.returncode == 0, result.stderr
    assert "Passo 1 applicato" in result.stdout
    assert "Nessun passo da eseguire." in run(BIN / "portal-evolve", ini).stdout
    app = main({}, **make_settings(tmp_path))
    app.registry._zodb_databases[""].close()


def test_unknown_config_file_is_a_clear_error(tmp_path):
    result = run(BIN / "portal-init", tmp_path / "nessuno.ini")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_workflow_update_command_runs_on_the_real_portal(tmp_path):
    ini = write_ini(tmp_path)
    assert run(BIN / "portal-init", ini).returncode == 0
    result = run(BIN / "portal-workflow-update", ini)
    assert result.returncode == 0, result.stderr


def test_reindex_and_search_commands(tmp_path):
    ini = write_ini(tmp_path)
    assert run(BIN / "portal-init", ini).returncode == 0
    before = json.loads(run(BIN / "portal-search", ini, "Galatina").stdout)
    assert before["total"] >= 1
    # wipe the embedded catalog behind the app's back, then rebuild it
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    with transaction.manager:
        root = db.open().root()[ROOT_KEY]
        from pyramid.registry import Registry  # noqa: PLC0415

        from catalog.api import get_catalog  # noqa: PLC0415

        get_catalog(root, Registry("wipe")).clear()  # the default (embedded) backend
    db.close()
    assert json.loads(run(BIN / "portal-search", ini, "Galatina").stdout)["total"] == 0
    result = run(BIN / "portal-reindex", ini)
    assert result.returncode == 0, result.stderr
    after = json.loads(run(BIN / "portal-search", ini, "Galatina").stdout)
    assert after["total"] == before["total"]
    assert {i["path"] for i in after["items"]} == {i["path"] for i in before["items"]}
