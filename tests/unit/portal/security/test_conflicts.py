"""Concurrent logins, refreshes and failures merge instead of raising ConflictError (real FileStorage)."""
from datetime import UTC, datetime, timedelta

import pytest
import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from portal.security.sessions import SessionStore
from portal.security.throttle import Policy, ThrottleStore, key_for

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = Policy()
LOGIN = "utente-5"


@pytest.fixture
def db(tmp_path):
    """A FileStorage with a session store holding a few users' sessions, and throttle counters."""
    database = DB(FileStorage(str(tmp_path / "Data.fs")))

    def fill(root):
        root["sessions"] = store = SessionStore()
        root["throttle"] = ThrottleStore()
        for n in range(200):  # enough records for several buckets
            store.create(f"utente-{n % 20}", "t", NOW)

    commit(database, fill)
    yield database
    database.close()


def both(db, first, second):
    """Run ``first`` and ``second`` in two connections from the same snapshot, commit both."""
    managers = [transaction.TransactionManager() for _ in range(2)]
    conns = [db.open(transaction_manager=tm) for tm in managers]
    try:
        results = []
        for tm, conn, work in zip(managers, conns, (first, second), strict=True):
            tm.begin()
            results.append(work(conn.root()))
        for tm in managers:
            tm.commit()  # the second commit must resolve, not raise
        return results
    finally:
        for tm, conn in zip(managers, conns, strict=True):
            tm.abort()
            conn.close()


def commit(db, work):
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        with tm:
            return work(conn.root())
    finally:
        conn.close()


def read(db, work):
    conn = db.open()
    try:
        return work(conn.root())
    finally:
        conn.close()


def test_concurrent_logins_of_different_and_same_users_all_commit(db):
    for a, b in (("utente-1", "utente-2"), ("utente-3", "utente-3"), ("nuovo-1", "nuovo-2")):
        sids = both(db, lambda r, a=a: r["sessions"].create(a, "t", NOW),
                    lambda r, b=b: r["sessions"].create(b, "t", NOW))
        assert read(db, lambda r, s=sids, a=a, b=b: [r["sessions"].get(u, x).login
                                                     for u, x in zip((a, b), s, strict=True)]) == [a, b]
    assert read(db, lambda r: len(r["sessions"].for_user("utente-3"))) == 10 + 2


def test_two_requests_refreshing_one_session_keep_the_later_time(db):
    sid = commit(db, lambda r: r["sessions"].create(LOGIN, "t", NOW))

    def refresh(minutes):
        def work(root):
            root["sessions"].get(LOGIN, sid).last_seen = NOW + timedelta(minutes=minutes)
        return work

    both(db, refresh(3), refresh(2))
    assert read(db, lambda r: r["sessions"].get(LOGIN, sid).last_seen) == NOW + timedelta(minutes=3)


def test_a_refresh_racing_a_revocation_does_not_resurrect_the_session(db):
    sid = commit(db, lambda r: r["sessions"].create(LOGIN, "t", NOW))

    def refresh(root):
        root["sessions"].get(LOGIN, sid).last_seen = NOW + timedelta(minutes=2)

    both(db, refresh, lambda r: r["sessions"].revoke(LOGIN, sid))
    assert read(db, lambda r: r["sessions"].get(LOGIN, sid)) is None


def test_a_session_record_changed_beyond_last_seen_still_conflicts(db):
    sid = commit(db, lambda r: r["sessions"].create(LOGIN, "t", NOW))

    def change(token):
        def work(root):
            root["sessions"].get(LOGIN, sid).token = token
        return work

    with pytest.raises(ConflictError):
        both(db, change("a"), change("b"))


def test_concurrent_failures_on_one_login_add_up_and_a_reset_wins_over_an_older_count(db):
    keys = [("login", key_for("login", "admin")), ("address", key_for("address", "192.0.2.1"))]
    commit(db, lambda r: r["throttle"].failed(keys, POLICY, NOW))
    both(db, lambda r: r["throttle"].failed(keys, POLICY, NOW + timedelta(seconds=1)),
         lambda r: r["throttle"].failed(keys, POLICY, NOW + timedelta(seconds=2)))
    counts = read(db, lambda r: [r["throttle"].records[k].count for _, k in keys])
    assert counts == [3, 3]
    both(db, lambda r: r["throttle"].succeeded(keys[0][1]),
         lambda r: r["throttle"].failed(keys, POLICY, NOW + timedelta(seconds=3)))
    assert read(db, lambda r: r["throttle"].records[keys[0][1]].count) == 1
    assert read(db, lambda r: r["throttle"].records[keys[1][1]].last) == NOW + timedelta(seconds=3)


def test_failures_on_new_keys_from_many_attackers_commit_together(db):
    def fail(login):
        return lambda r: r["throttle"].failed([("login", key_for("login", login))], POLICY, NOW)

    for n in range(10):
        both(db, fail(f"a-{n}"), fail(f"b-{n}"))
    assert read(db, lambda r: len(r["throttle"].records)) == 20
