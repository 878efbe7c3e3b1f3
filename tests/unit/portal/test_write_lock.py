"""The write lock: unsafe requests take it before their transaction, free it at completion."""
import threading
import types

import transaction
import ZODB
from webob import Request
from ZODB.MappingStorage import MappingStorage

from portal.request_checks import retry_attempts
from portal.write_lock import OPTIMISTIC_ATTEMPTS, lock_for, write_lock_tween_factory, writing


def make(handler):
    db = ZODB.DB(MappingStorage())
    registry = types.SimpleNamespace(settings={}, _zodb_databases={"": db})
    return write_lock_tween_factory(handler, registry), lock_for(db), db


def free_for_another_thread(lock):
    free = []

    def probe():
        free.append(lock.acquire(timeout=0.05))
        if free[0]:
            lock.release()
    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return free[0]


def request(method="POST", path="/ambiti/ba-01/@@modifica"):
    return types.SimpleNamespace(method=method, path_info=path,
                                 tm=transaction.TransactionManager())


def test_the_next_writer_waits_until_after_commit_work_is_done():
    seen = []

    def other_writer_may_start():
        return free_for_another_thread(lock)

    def handler(req):
        txn = req.tm.begin()
        with writing(db):  # after-commit transactions of the same thread: re-entrant
            seen.append(("nested", True))
        txn.addAfterCommitHook(lambda ok: seen.append(("after commit", other_writer_may_start())))
        req.tm.commit()
        return "risposta"

    tween, lock, db = make(handler)
    assert tween(request()) == "risposta"
    assert seen == [("nested", True), ("after commit", False)]
    assert free_for_another_thread(lock)
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
    assert free_for_another_thread(lock)
    db.close()


def test_safe_requests_and_logins_do_not_wait():
    tween, _lock, db = make(lambda req: "fatto")
    with writing(db):  # another writer holds it
        done = []
        for req in (request("GET"), request("POST", "/@@accedi")):
            thread = threading.Thread(target=lambda r=req: done.append(tween(r)))
            thread.start()
            thread.join(5)
        assert done == ["fatto", "fatto"]  # they ran while the lock was held
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

    tween, _lock, db = make(handler)
    threads = [threading.Thread(target=tween, args=(request(),)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most[0] == 1
    db.close()


def test_writes_without_the_lock_get_more_replays_than_the_others():


    registry = types.SimpleNamespace(settings={"retry.attempts": "3"})

    def request(path, method="POST"):
        req = Request.blank(path, method=method)
        req.registry = registry
        return req

    assert retry_attempts(request("/@@accedi")) == OPTIMISTIC_ATTEMPTS > 3
    assert retry_attempts(request("/@@esci")) == OPTIMISTIC_ATTEMPTS
    assert retry_attempts(request("/ambiti/ba-01/domande/x/@@invia")) is None  # the default
    assert retry_attempts(request("/@@accedi", "GET")) is None
    odd = request("/")
    odd.environ["PATH_INFO"] = "/api/\xff"  # not UTF-8: refused later by a tween, not here
    assert retry_attempts(odd) is None
