"""portal-reindex resuming where it stopped, and portal-indexer when Elasticsearch is down."""
import json
import socket

import transaction
from pyramid.registry import Registry
from ZODB import DB
from ZODB.FileStorage import FileStorage

from catalog.api import get_catalog
from catalog.entry import descendants
from catalog.outbox import get_outbox
from portal.db import ROOT_KEY
from portal.scripts.catalog import REBUILD_STATE
from tests.functional.test_storage import BIN, run, write_ini


def edit(directory, work):
    """Run ``work(portal_root)`` in one transaction of a database opened behind the app's back."""
    db = DB(FileStorage(str(directory / "Data.fs")))
    try:
        with transaction.manager:
            return work(db.open().root()[ROOT_KEY])
    finally:
        db.close()


def found(ini, text="Galatina"):
    return json.loads(run(BIN / "portal-search", ini, text).stdout)["total"]


def test_an_interrupted_reindex_resumes_and_restart_starts_over(tmp_path):
    ini = write_ini(tmp_path)
    assert run(BIN / "portal-init", ini).returncode == 0
    before = found(ini)
    assert before >= 1

    def wipe_as_if_all_were_done(root):
        get_catalog(root, Registry("wipe")).clear()
        total = sum(1 for _ in descendants(root))
        setattr(root, REBUILD_STATE, total)
        return total
    total = edit(tmp_path, wipe_as_if_all_were_done)
    # a resume trusts the mark: everything "already done", nothing indexed again
    resumed = run(BIN / "portal-reindex", ini)
    assert resumed.returncode == 0, resumed.stderr
    assert found(ini) == 0
    assert edit(tmp_path, lambda root: hasattr(root, REBUILD_STATE)) is False
    # a zero mark is no mark: from an empty catalog, in small committed batches
    edit(tmp_path, lambda root: setattr(root, REBUILD_STATE, 0))
    again = run(BIN / "portal-reindex", ini, "--batch", "3")
    assert again.returncode == 0, again.stderr
    assert f"{total}/{total}" in again.stderr
    assert found(ini) == before
    assert edit(tmp_path, lambda root: hasattr(root, REBUILD_STATE)) is False

    def wipe_with_a_mark(root):
        get_catalog(root, Registry("wipe")).clear()
        setattr(root, REBUILD_STATE, total)
    edit(tmp_path, wipe_with_a_mark)
    restarted = run(BIN / "portal-reindex", ini, "--restart")
    assert restarted.returncode == 0, restarted.stderr
    assert found(ini) == before
    # an ordinary run, one batch and never a mark
    plain = run(BIN / "portal-reindex", ini)
    assert plain.returncode == 0, plain.stderr
    assert found(ini) == before
    assert edit(tmp_path, lambda root: hasattr(root, REBUILD_STATE)) is False


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_indexer_keeps_the_queue_when_elasticsearch_is_down(tmp_path):
    ini = write_ini(tmp_path)
    assert run(BIN / "portal-init", ini).returncode == 0
    with ini.open("a") as out:
        out.write(f"catalog.elasticsearch.url = http://127.0.0.1:{closed_port()}\n"
                  "catalog.elasticsearch.timeout = 2\n")
    empty = run(BIN / "portal-indexer", ini, "--once")
    assert empty.returncode == 0, empty.stderr
    assert "outbox not drained" not in empty.stderr  # nothing to send
    assert edit(tmp_path, lambda root: len(get_outbox(root))) == 0

    def queue(root):
        get_outbox(root, create=True).put("uid-di-prova", {"op": "index", "doc": {}})
    edit(tmp_path, queue)
    down = run(BIN / "portal-indexer", ini, "--once")
    assert down.returncode == 0, down.stderr
    assert "outbox not drained:" in down.stderr
    assert "Traceback" not in down.stderr
    assert edit(tmp_path, lambda root: len(get_outbox(root))) == 1
