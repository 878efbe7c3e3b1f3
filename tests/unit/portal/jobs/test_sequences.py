"""Random sequences of record/commit/abort/run/fail/die: each committed job succeeds exactly once."""
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import jobs
from portal.jobs.runner import count
from portal.jobs.store import LEASE, MAX_BACKOFF
from tests.unit.portal.jobs.conftest import ProcessDied, Work, Writer, make_db, make_registry

record = st.tuples(st.just("record"), st.integers(0, 1), st.booleans(), st.booleans(),
                   st.integers(0, 3), st.integers(0, 1))
again = st.tuples(st.just("again"), st.integers(0, 1), st.integers(0, 50))
run = st.tuples(st.just("pass"), st.integers(0, 200))
retry = st.tuples(st.just("retry"))
actions = st.lists(st.one_of(record, record, again, run, retry), max_size=25)


def retry_failed(writer, registry):
    txn = writer.tm.begin()
    for job in jobs.get_store(writer.conn).jobs((jobs.FAILED,)):
        jobs.retry(writer.conn, registry, job, txn=txn)
    writer.tm.commit()


def a_pass(db, registry, now):
    try:
        jobs.run_due(db, registry, now=now)
    except ProcessDied:
        pass  # the worker died mid-job: the claim's lease brings the job back


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions)
def test_committed_jobs_run_exactly_once_and_aborted_ones_never(steps):
    work = Work()
    registry = make_registry(work)
    with tempfile.TemporaryDirectory() as directory:
        db = make_db(Path(directory))
        writers = [Writer(db), Writer(db)]
        committed, aborted, clock = [], [], datetime.now(UTC)
        try:
            for step in steps:
                if step[0] == "record":
                    _, who, commit, run_now, failures, deaths = step
                    key = f"k{len(committed) + len(aborted)}"
                    work.failures[key], work.deaths[key] = failures, deaths
                    writers[who].enqueue(registry, key, commit=commit, run_now=run_now)
                    (committed if commit else aborted).append(key)
                elif step[0] == "again" and committed:
                    # the same key recorded again (a replayed request): still one job
                    _, who, pick = step
                    writers[who].enqueue(registry, committed[pick % len(committed)])
                elif step[0] == "pass":
                    clock += timedelta(minutes=step[1])
                    a_pass(db, registry, clock)
                elif step[0] == "retry":
                    retry_failed(writers[0], registry)
            # afterwards, however long it takes: every lease ends, every backoff passes
            for _round in range(40):
                clock += MAX_BACKOFF + LEASE + timedelta(minutes=1)
                retry_failed(writers[0], registry)
                a_pass(db, registry, clock)
                if not count(db, (jobs.PENDING, jobs.RUNNING, jobs.FAILED)):
                    break
            assert Counter(work.done) == Counter(committed)
            assert not set(work.tries) & set(aborted)
            with db.transaction() as conn:
                stored = jobs.get_store(conn).jobs()
                assert sorted(job.key for job in stored) == sorted(committed)
                assert all(job.state == jobs.DONE for job in stored)
        finally:
            for writer in writers:
                writer.close()
            db.close()
