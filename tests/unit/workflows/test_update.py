"""update_all and the portal-workflow-update script: recompute ACLs, refuse on lost states."""
import io

import pytest
import transaction
import ZODB
from pyramid.authorization import Allow
from ZODB.FileStorage import FileStorage

from content_types.events import ACLChanged
from tests.unit.workflows import miniapp
from tests.unit.workflows.support import Box, Doc
from workflows import StatesMissing, get_workflows, history
from workflows.update import main, progress_bar, update_all, walk


def build_tree(registry):
    """/a/d1 (draft), /a/d2 (submitted), /a/inner/d3 (draft), /legacy (no state yet)."""
    root = Box("Radice")
    a = root.add("a", Box("A"), registry=registry)
    d1 = a.add("d1", Doc("Uno", creator="anna"), registry=registry)
    d2 = a.add("d2", Doc("Due", creator="anna"), registry=registry)
    get_workflows(registry)["wf_test"].fire(d2, None, "submit", registry=registry)
    inner = a.add("inner", Box("Interno"), registry=registry)
    d3 = inner.add("d3", Doc("Tre", creator="anna"), registry=registry)
    legacy = root.add("legacy", Doc("Vecchio"), send_events=False)
    return root, d1, d2, d3, legacy


def acls(root):
    return [(o.__name__, list(o.__acl__), o.state, history(o)) for o in walk(root)]


def test_walk_visits_parents_before_children(config):
    root, *_ = build_tree(config.registry)
    assert [o.__name__ for o in walk(root)] == [None, "a", "d1", "d2", "inner", "d3", "legacy"]


def test_update_recomputes_acls_from_the_current_definition(config, events):
    root, d1, d2, d3, legacy = build_tree(config.registry)
    get_workflows(config.registry)["wf_test"] = miniapp.widened_workflow()
    del events.events[:]
    calls = []
    counts = update_all(root, config.registry, lambda done, total: calls.append((done, total)))
    assert counts == {"objects": 4, "acl_changed": 2, "initialized": 1}
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    for doc in (d1, d3):
        assert (Allow, "role:ats_officer", ("view",)) in doc.__acl__
    assert d2.state == "submitted"
    assert legacy.state == "draft"
    assert history(legacy)[0]["transition"] == "created"
    assert {e.object.__name__ for e in events.of(ACLChanged)} == {"d1", "d3", "legacy"}
    # a second run has nothing to do
    assert update_all(root, config.registry) == {
        "objects": 4, "acl_changed": 0, "initialized": 0}


def test_update_refuses_when_a_state_vanished_and_changes_nothing(config):
    root, *_ = build_tree(config.registry)
    get_workflows(config.registry)["wf_test"] = miniapp.shrunk_workflow()
    before = acls(root)
    calls = []
    with pytest.raises(StatesMissing) as info:
        update_all(root, config.registry, lambda d, t: calls.append(d))
    assert info.value.problems == (("/a/d2", "wf_test", "submitted"),)
    assert "/a/d2" in str(info.value.message)
    assert "«submitted»" in str(info.value.message)
    assert info.value.code == "states_missing"
    assert acls(root) == before
    assert calls == []


def test_progress_bar_draws_to_the_end():
    out = io.StringIO()
    bar = progress_bar(out, width=10)
    bar(0, 4)
    bar(2, 4)
    bar(4, 4)
    assert out.getvalue().endswith("\r[##########] 4/4 100%\n")
    assert "[#####.....] 2/4  50%" in out.getvalue()
    empty = io.StringIO()
    progress_bar(empty)(0, 0)
    assert "0/0 100%" in empty.getvalue()


# -- the console script, against a real FileStorage and .ini -------------------------
@pytest.fixture
def database(config, tmp_path):
    """A FileStorage holding the test tree under root['app'] (closed again)."""
    path = tmp_path / "Data.fs"
    db = ZODB.DB(FileStorage(str(path)))
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    tm.begin()
    conn.root()["app"] = build_tree(config.registry)[0]
    tm.commit()
    conn.close()
    db.close()
    return path


def write_ini(tmp_path, database, variant):
    ini = tmp_path / f"{variant}.ini"
    ini.write_text(
        "[app:main]\n"
        "use = call:tests.unit.workflows.miniapp:main\n"
        f"zodbconn.uri = file://{database}\n"
        f"wf_test.variant = {variant}\n"
    )
    return str(ini)


def run_main(tmp_path, database, variant):
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main([write_ini(tmp_path, database, variant)], stdout=out, stderr=err)
    finally:
        while miniapp.REGISTRIES:
            for db in miniapp.REGISTRIES.pop()._zodb_databases.values():
                db.close()
    return code, out.getvalue(), err.getvalue()


def stored(database):
    db = ZODB.DB(FileStorage(str(database), read_only=True))
    try:
        conn = db.open()
        return [(o.__name__, list(o.__acl__), o.state) for o in walk(conn.root()["app"])]
    finally:
        db.close()


def test_script_updates_and_commits(tmp_path, database):
    code, out, err = run_main(tmp_path, database, "widened")
    assert code == 0, err
    assert "permessi aggiornati: 2" in out
    assert "4/4 100%" in err
    docs = {name: acl for name, acl, _state in stored(database)}
    assert (Allow, "role:ats_officer", ("view",)) in docs["d1"]
    assert (Allow, "role:ats_officer", ("view",)) in docs["legacy"]


def test_script_refuses_lists_objects_and_commits_nothing(tmp_path, database):
    before = stored(database)
    code, _out, err = run_main(tmp_path, database, "shrunk")
    assert code == 1
    assert "nessuna modifica" in err
    assert "/a/d2" in err
    assert "«submitted»" in err
    assert stored(database) == before


def test_script_usage(capsys):
    assert main([]) == 2
    assert "uso: portal-workflow-update" in capsys.readouterr().err
