"""Running jobs: right after the commit that recorded them, and again in periodic passes.

A job kind is a handler ``handler(payload, registry, db)`` that does the outside work
(send, sign) outside any transaction and may return ``record(connection)``: what to
write about it, committed in the same transaction that marks the job done. The runner
is a function over ``(db, registry)``: ``portal-serve``'s jobs thread, ``portal-jobs``
and a separate worker process all call ``run_due``.
"""
import logging
from datetime import UTC, datetime

from zope.interface import Interface

from portal.db import JOBS_KEY
from portal.jobs.aftercommit import in_new_transaction, read, run_after_commit
from portal.jobs.store import DONE, FAILED, PENDING, RUNNING

log = logging.getLogger(__name__)


class IJobKinds(Interface):
    """The registered utility: job kind -> handler."""


def kinds(registry):
    return registry.getUtility(IJobKinds)


def now_utc():
    return datetime.now(UTC)


def get_store(conn):
    return conn.root()[JOBS_KEY]


#: jobs one transaction runs right after its commit; a bulk's others wait for the next pass
#: (a provider's grid of 500 drafts must not hold its response for 500 e-mails)
IMMEDIATE_PER_TRANSACTION = 25
_IMMEDIATE = object()  # the transaction's data slot: how many of its jobs run right after it


def _immediate_left(txn):
    """Whether ``txn`` may run one more job right after its commit (and count it)."""
    try:
        taken = txn.data(_IMMEDIATE)
    except KeyError:
        taken = [0]
        txn.set_data(_IMMEDIATE, taken)
    taken[0] += 1
    return taken[0] <= IMMEDIATE_PER_TRANSACTION


def enqueue(conn, registry, kind, payload, key=None, txn=None, run_now=True):
    """Record a job in the transaction of ``conn``; after its commit, run it once.

    Nothing runs if the transaction aborts (the job is not even stored). The
    first attempt is claimed in the recording transaction itself, so the
    after-commit run needs no extra commit; if the process dies before it
    reports back, a pass runs the job again once the claim's lease ends.
    Past ``IMMEDIATE_PER_TRANSACTION`` jobs in one transaction, the others are left to
    the periodic passes. Returns the job (an existing one if ``key`` was already recorded).
    """
    if kind not in kinds(registry):
        raise LookupError(f"unknown job kind {kind!r}")
    txn = txn or conn.transaction_manager.get()
    now = now_utc()
    job, new = get_store(conn).add(kind, payload, key=key, now=now)
    if new and run_now and _immediate_left(txn):
        token = job.claim_for(now)
        db = conn.db()
        # the job has an oid once committed: read it in the hook, not now
        run_after_commit(txn, lambda: _execute(db, registry, job._p_oid, token))
    return job


def run_job(db, registry, oid, now=None, force=False):
    """Claim and run one job if it is due (``force``: if pending at all); True if it succeeded."""
    now = now or now_utc()

    def claim(conn):
        job = conn.get(oid)
        return job.claim_for(now) if job.runnable(now, force) else None
    token = in_new_transaction(db, claim)
    if token is None:
        return False
    return _execute(db, registry, oid, token, now)


def _execute(db, registry, oid, token, now=None):
    """Run a claimed job's handler outside any transaction, then record what happened."""
    def payload_of(conn):
        job = conn.get(oid)
        return (job.kind, dict(job.payload)) if job.claim == token else None
    found = read(db, payload_of)
    if found is None:
        return False  # claimed again by someone else meanwhile (our lease ended)
    kind, payload = found
    try:
        record = kinds(registry)[kind](payload, registry, db)
    except Exception as exc:  # noqa: BLE001 - any failure is the job's, kept for the admin
        log.warning("job %s (%s) failed: %s", kind, oid.hex() if oid else oid, exc)
        in_new_transaction(db, lambda conn, error=exc: _failed(conn.get(oid), token, error, now))
        return False

    def finish(conn):
        job = conn.get(oid)
        if job.state == DONE:
            return
        if record is not None:
            record(conn)
        job.succeeded(now or now_utc())
    in_new_transaction(db, finish)
    return True


def _failed(job, token, error, now):
    if job.claim == token:
        job.failed(error, now or now_utc())


def due(db, now=None, force=False):
    """Oids of the jobs a pass would run now, oldest first."""
    now = now or now_utc()

    def oids(conn):
        return [job._p_oid for job in get_store(conn).jobs((PENDING, RUNNING))
                if job.runnable(now, force)]
    return read(db, oids)


def run_due(db, registry, now=None, force=False):
    """One pass: run every due job (``force``: every pending one, without waiting for its
    backoff); returns (succeeded, still waiting or failed)."""
    succeeded = 0
    for oid in due(db, now, force):
        try:
            succeeded += bool(run_job(db, registry, oid, now, force))
        except Exception:  # one job's bookkeeping failing must not stop the pass
            log.exception("job %s not run", oid.hex())
    return succeeded, count(db, (PENDING, RUNNING, FAILED))


def count(db, states):
    return read(db, lambda conn: len(get_store(conn).jobs(states)))


def retry(conn, registry, job, txn=None):
    """An administrator's «Riprova»: attempts start again, the first right after commit."""
    now = now_utc()
    job.retry(now)
    token = job.claim_for(now)
    db = conn.db()
    run_after_commit(txn or conn.transaction_manager.get(),
                     lambda: _execute(db, registry, job._p_oid, token))
