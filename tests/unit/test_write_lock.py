"""The write lock: unsafe requests take it before their transaction, free it at completion."""
import threading
import types

import transaction
import ZODB
from ZODB.MappingStorage import MappingStorage

from portal.write_lock import lock_for, write_lock_tween_factory, writing


def make(handler):
    db = ZODB.DB(MappingStorage())
    registry = types.SimpleNamespace(settings={}, _zodb_databases={"": db})
    return write_lock_tween_factory(handler, registry), lock_for(db), db


def request(method="POST", path="/ambiti/ba-01/@@modifica"):
    return types.SimpleNamespace(method=method, path_info=path,
                                 tm=transaction.TransactionManager())


def test_after_commit_work_runs_with_the_lock_free_for_the_next_writer():
    seen = []

    def handler(req):
        seen.append(("in transaction", lock.locked()))
        txn = req.tm.begin()
        txn.addAfterCommitHook(lambda ok: seen.append(("after commit", lock.locked())))
        req.tm.commit()
        return "risposta"

    tween, lock, db = make(handler)
    assert tween(request()) == "risposta"
    assert seen == [("in transaction", True), ("after commit", False)]
    assert not lock.locked()
    db.close()


def test_an_aborted_or_failing_request_frees_the_lock():
    def handler(req):
        req.tm.begin()
        req.tm.abort()
        raise ValueError("boom")

    tween, lock, db = make(handler)
    for _ in range(2):
        try:
            tween(request())
        except ValueError:
            pass
    assert not lock.locked()
    db.close()


def test_safe_requests_and_logins_do_not_wait():
    tween, lock, db = make(lambda req: lock.locked())
    with writing(db):  # another writer holds it
        done = []
        for req in (request("GET"), request("POST", "/@@accedi")):
            thread = threading.Thread(target=lambda r=req: done.append(tween(r)))
            thread.start()
            thread.join(5)
        assert done == [True, True]  # they ran while the lock was held
    db.close()


def test_writers_queue_one_after_the_other():
    inside, most = [0], [0]
    guard = threading.Lock()

    def handler(req):
        req.tm.begin()
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        threading.Event().wait(0.01)
        with guard:
            inside[0] -= 1
        req.tm.commit()

    tween, lock, db = make(handler)
    threads = [threading.Thread(target=tween, args=(request(),)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most[0] == 1
    db.close()
