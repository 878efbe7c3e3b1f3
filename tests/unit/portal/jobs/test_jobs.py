"""The job queue over a real FileStorage: after commit only, retries with backoff, claims, lanes."""
from datetime import UTC, datetime, timedelta

import pytest
import transaction
from aiosmtpd.controller import Controller
from persistent.mapping import PersistentMapping
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from ZODB.POSException import ConflictError

from portal import jobs
from portal.db import JOBS_KEY
from portal.jobs.runner import IMMEDIATE_PER_TRANSACTION
from portal.jobs.store import BACKOFF, LEASE, MAX_ATTEMPTS, RETENTION, backoff
from portal.mail import queue
from tests.smtp import Inbox, free_port
from tests.unit.portal.jobs.conftest import Writer, make_db, make_registry


def states(db):
    with db.transaction() as conn:
        return {job.key: (job.state, job.attempts) for job in conn.root()[JOBS_KEY].jobs()}


def later(**delta):
    return datetime.now(UTC) + timedelta(**delta)


def test_a_committed_job_runs_once_right_after_commit(db, registry, work):
    writer = Writer(db)
    seen_before_commit = []
    txn = writer.tm.begin()
    jobs.enqueue(writer.conn, registry, "prova", {"k": "a", "write": 1}, key="a", txn=txn)
    seen_before_commit.append(list(work.tries))
    writer.tm.commit()
    assert seen_before_commit == [[]]
    assert work.done == ["a"]
    assert states(db) == {"a": (jobs.DONE, 1)}
    with db.transaction() as conn:
        assert conn.root()["written"] == (1,)  # committed with the job's end
    assert jobs.run_due(db, registry, now=later(days=1)) == (0, 0)
    assert work.tries == ["a"]
    writer.close()


def test_an_aborted_transaction_leaves_no_job_and_runs_nothing(db, registry, work):
    writer = Writer(db)
    writer.enqueue(registry, "a", commit=False)
    assert states(db) == {}
    assert work.tries == []
    assert jobs.run_due(db, registry, now=later(days=1), force=True) == (0, 0)
    assert work.tries == []
    writer.close()


def test_failures_back_off_then_the_job_is_marked_failed_and_riprova_runs_it(db, registry, work):
    work.failures["a"] = MAX_ATTEMPTS
    writer = Writer(db)
    writer.enqueue(registry, "a")
    assert states(db) == {"a": (jobs.PENDING, 1)}
    start = datetime.now(UTC)
    # not yet due: the first retry waits BACKOFF, the next ones twice as long each
    assert jobs.run_due(db, registry, now=start + BACKOFF / 2) == (0, 1)
    assert work.tries == ["a"]
    clock = start
    for attempt in range(2, MAX_ATTEMPTS + 1):
        clock += backoff(attempt - 1) + timedelta(seconds=1)
        jobs.run_due(db, registry, now=clock)
        assert len(work.tries) == attempt
        assert jobs.run_due(db, registry, now=clock + timedelta(seconds=1)) == (0, 1)
    assert states(db) == {"a": (jobs.FAILED, MAX_ATTEMPTS)}
    with db.transaction() as conn:
        assert "servizio non raggiungibile" in conn.root()[JOBS_KEY].find("a").last_error
    # failed: the passes leave it alone
    assert jobs.run_due(db, registry, now=clock + timedelta(days=30)) == (0, 1)
    assert len(work.tries) == MAX_ATTEMPTS
    # an administrator retries it: it runs right after that commit
    txn = writer.tm.begin()
    jobs.retry(writer.conn, registry, jobs.get_store(writer.conn).find("a"), txn=txn)
    writer.tm.commit()
    assert work.failures["a"] == 0
    assert work.done == ["a"]
    assert states(db) == {"a": (jobs.DONE, 1)}
    writer.close()


def test_backoff_doubles_up_to_its_cap():
    assert [backoff(n) for n in (1, 2, 3)] == [BACKOFF, 2 * BACKOFF, 4 * BACKOFF]
    assert backoff(40) == backoff(41) < timedelta(days=1)


def test_the_process_dying_after_commit_loses_nothing(tmp_path, work):
    """Commit, then the database closes before the job's hook runs; a pass after restart runs it."""
    registry = make_registry(work)
    db = make_db(tmp_path)
    writer = Writer(db)
    txn = writer.tm.begin()
    txn.addAfterCommitHook(lambda committed: db.close())  # runs before the job's hook
    jobs.enqueue(writer.conn, registry, "prova", {"k": "a"}, key="a", txn=txn)
    writer.tm.commit()
    assert work.tries == []
    reopened = make_db_again(tmp_path)
    try:
        # the first attempt was claimed with the commit: passes wait for its lease
        assert jobs.run_due(reopened, registry) == (0, 1)
        assert jobs.run_due(reopened, registry, now=later(seconds=LEASE.total_seconds() + 1)) \
            == (1, 0)
        assert work.done == ["a"]
        assert states(reopened) == {"a": (jobs.DONE, 2)}
    finally:
        reopened.close()


def make_db_again(path):
    import ZODB  # noqa: PLC0415
    from ZODB.FileStorage import FileStorage  # noqa: PLC0415

    return ZODB.DB(FileStorage(str(path / "Data.fs")))


def test_jobs_recorded_without_a_hook_run_in_the_next_pass(db, registry, work):
    writer = Writer(db)
    writer.enqueue(registry, "a", run_now=False)
    assert work.tries == []
    assert jobs.run_due(db, registry) == (1, 0)
    assert work.done == ["a"]
    writer.close()


def test_one_job_per_key(db, registry, work):
    writer = Writer(db)
    writer.enqueue(registry, "a")
    writer.enqueue(registry, "a")
    other = Writer(db)
    other.enqueue(registry, "a")
    assert work.tries == ["a"]
    assert len(states(db)) == 1
    writer.close()
    other.close()


def test_concurrent_writers_and_the_runner_do_not_conflict(db, registry, work):
    """Two requests recording jobs at once, and a runner finishing a job meanwhile."""
    first, second = Writer(db), Writer(db)
    first.enqueue(registry, "old", run_now=False)
    t1, t2 = first.tm.begin(), second.tm.begin()
    jobs.enqueue(first.conn, registry, "prova", {"k": "x"}, key="x", txn=t1, run_now=False)
    jobs.enqueue(second.conn, registry, "prova", {"k": "y"}, key="y", txn=t2, run_now=False)
    assert jobs.run_due(db, registry) == (1, 0)  # "old" runs while both are open
    first.tm.commit()
    second.tm.commit()  # no ConflictError: different lanes, and the runner wrote only "old"
    assert jobs.run_due(db, registry) == (2, 0)
    assert sorted(work.done) == ["old", "x", "y"]
    first.close()
    second.close()


def test_finished_jobs_are_dropped_by_their_lane_after_the_retention(db, registry, work):
    writer = Writer(db)
    writer.enqueue(registry, "a")
    with db.transaction() as conn:
        conn.root()[JOBS_KEY].find("a").done_at -= RETENTION  # finished long ago
    writer.enqueue(registry, "b")
    assert set(states(db)) == {"b"}
    writer.close()


def test_unknown_kind_and_duplicate_registration_are_refused(db, registry):
    writer = Writer(db)
    writer.tm.begin()
    with pytest.raises(LookupError):
        jobs.enqueue(writer.conn, registry, "sconosciuto", {})
    writer.tm.abort()
    writer.close()
    config = Configurator()
    config.include("portal.jobs")
    config.include(one_feature)
    config.include(another_feature)
    with pytest.raises(ConfigurationError):
        config.commit()


def nothing(payload, registry, db):
    return None


def one_feature(config):
    config.add_job_kind("doppio", nothing)


def another_feature(config):
    config.add_job_kind("doppio", nothing)



def test_mail_while_the_smtp_server_is_down_is_retried_with_backoff_and_arrives(db):
    port = free_port()
    registry = make_registry(lambda *a: None, {
        "mail.host": "127.0.0.1", "mail.port": str(port), "mail.sender": "portale@example.it",
        "mail.timeout": "5"})
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    with tm:
        conn.root()["pratica"] = PersistentMapping()
    with tm:
        queue(conn.root()["pratica"], registry, "famiglia@example.it", "Ricevuta", "testo",
              key="ricevuta-1")
    start = datetime.now(UTC)
    with tm:
        (job,) = jobs.get_store(conn).jobs()
        assert (job.state, job.attempts) == (jobs.PENDING, 1)
        assert "Connection refused" in job.last_error
    assert jobs.run_due(db, registry, now=start + BACKOFF / 2) == (0, 1)  # waits its turn
    assert jobs.run_due(db, registry, now=start + BACKOFF * 1.5) == (0, 1)  # still down
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()  # the server comes back
    try:
        assert jobs.run_due(db, registry, now=start + BACKOFF * 2) == (0, 1)  # 2nd backoff
        assert jobs.run_due(db, registry, now=start + BACKOFF * 4) == (1, 0)
    finally:
        controller.stop()
    (message,) = inbox.messages
    assert message.rcpt_tos == ["famiglia@example.it"]
    with tm:
        assert (job.state, job.attempts) == (jobs.DONE, 3)
    conn.close()


def test_a_commit_refused_on_conflict_runs_nothing(db, registry, work):
    """The request that loses a conflict (and is replayed) has recorded nothing."""
    with db.transaction() as conn:
        conn.root()["contatore"] = PersistentMapping(n=0)
    loser, winner = Writer(db), Writer(db)
    txn = loser.tm.begin()
    loser.conn.root()["contatore"]["n"] = 1
    jobs.enqueue(loser.conn, registry, "prova", {"k": "a"}, key="a", txn=txn)
    with winner.tm:
        winner.conn.root()["contatore"]["n"] = 2
    with pytest.raises(ConflictError):
        loser.tm.commit()
    loser.tm.abort()
    assert work.tries == []
    assert states(db) == {}
    loser.close()
    winner.close()


def test_a_bulk_transaction_runs_its_first_jobs_at_once_and_leaves_the_rest_to_a_pass(
        db, registry, work):
    writer = Writer(db)
    count = IMMEDIATE_PER_TRANSACTION + 7
    keys = [f"k{n:03d}" for n in range(count)]
    txn = writer.tm.begin()
    for key in keys:
        jobs.enqueue(writer.conn, registry, "prova", {"k": key}, key=key, txn=txn)
    writer.tm.commit()
    assert work.done == keys[:IMMEDIATE_PER_TRANSACTION]
    found = states(db)
    assert [k for k in keys if found[k] == (jobs.PENDING, 0)] == keys[IMMEDIATE_PER_TRANSACTION:]
    assert jobs.run_due(db, registry) == (7, 0)
    assert sorted(work.done) == keys
    assert len(work.tries) == count
    # the next transaction has its own allowance
    writer.enqueue(registry, "after")
    assert work.done[-1] == "after"
    writer.close()
