"""Two requests fire the same transition at once: ZODB conflicts, the retry sees WrongState."""
import threading

import pytest
import transaction
import ZODB
from ZODB.FileStorage import FileStorage

from tests.unit.workflows.support import Box, Doc, make_request
from workflows import WrongState, get_workflow, history


@pytest.fixture
def db(config, tmp_path):
    """A FileStorage with one draft document at root['app']['doc']."""
    database = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    tm = transaction.TransactionManager()
    conn = database.open(transaction_manager=tm)
    tm.begin()
    box = conn.root()["app"] = Box("Radice")
    box.add("doc", Doc("Domanda", creator="anna"), registry=config.registry)
    tm.commit()
    conn.close()
    yield database
    database.close()


def test_conflicting_transitions_apply_once(config, db):
    workflow = get_workflow(config.registry, "wf_test")
    both_fired = threading.Barrier(2, timeout=20)
    outcome = {}

    def request_worker(user):
        tm = transaction.TransactionManager(explicit=True)
        conn = db.open(transaction_manager=tm)
        request = make_request(config.registry, user, ("owner",))
        attempts = []

        def attempt():
            # like pyramid_tm + pyramid_retry: every attempt replays the whole request
            attempts.append(1)
            doc = conn.root()["app"]["doc"]
            workflow.fire(doc, request, "submit", comment=f"da {user}")
            if len(attempts) == 1:
                both_fired.wait()  # both changed the same object before either commits

        try:
            tm.run(attempt, tries=3)
            outcome[user] = ("applied", len(attempts))
        except WrongState as exc:
            outcome[user] = ("wrong_state", len(attempts), str(exc.message))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome[user] = ("error", repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=request_worker, args=(u,)) for u in ("anna", "bice")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(t.is_alive() for t in threads)

    results = sorted(outcome.values())
    assert [r[0] for r in results] == ["applied", "wrong_state"], outcome
    assert results[0][1] == 1  # the winner committed at its first attempt
    assert results[1][1] == 2  # the loser conflicted, retried and found the new state
    assert results[1][2] == 'La pratica è già stata modificata: ora è nello stato "Inviata".'

    conn = db.open()
    try:
        doc = conn.root()["app"]["doc"]
        assert doc.state == "submitted"
        entries = [e for e in history(doc) if e["transition"] == "submit"]
        assert len(entries) == 1
        winner = next(u for u, r in outcome.items() if r[0] == "applied")
        assert entries[0]["who"] == winner
        assert entries[0]["comment"] == f"da {winner}"
        assert [e["transition"] for e in history(doc)] == ["created", "submit"]
    finally:
        conn.close()
