"""The persistent job queue: one lane per ZODB connection, each job its own object.

A request records a job in its own lane (``slot_of``, the audit log's slots), so two
requests never write the same bucket. A runner only ever writes the ``Job`` objects
(claims, results), never a lane; the lane's writer drops old finished jobs on its next
append. So recording a job never conflicts with running one.
"""
import itertools
import uuid
from datetime import UTC, datetime, timedelta

from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal.audit import SHARDS, slot_of

LANES = SHARDS
PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
#: attempts before a job is marked failed (then only an administrator retries it)
MAX_ATTEMPTS = 8
#: the first retry waits this long, each next one twice as long (capped)
BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=2)
#: a claimed job whose runner did not report back within this time is run again
LEASE = timedelta(minutes=5)
#: finished jobs are kept this long (their key still refuses a duplicate), then dropped
RETENTION = timedelta(days=3)
#: oldest entries of its lane a writer looks at for dropping, per append
COMPACT = 32


def backoff(attempts):
    """How long to wait after the ``attempts``-th failure."""
    return min(MAX_BACKOFF, BACKOFF * 2 ** max(0, attempts - 1))


class Job(Persistent):
    """One piece of work to do after a commit, with what happened to it so far."""

    state = PENDING
    attempts = 0
    last_error = ""
    claim = None
    lease_until = None
    done_at = None

    def __init__(self, kind, key, payload, now):
        self.kind, self.key, self.payload = kind, key, dict(payload)
        self.created = self.next_at = now

    def claim_for(self, now):
        """Take the next attempt; the token proves who holds it."""
        self.state, self.claim = RUNNING, uuid.uuid4().hex
        self.lease_until = now + LEASE
        self.attempts += 1
        return self.claim

    def runnable(self, now, force=False):
        """Pending and due (``force``: pending at all), or claimed by a runner gone silent."""
        if self.state == PENDING:
            return force or self.next_at <= now
        return self.state == RUNNING and self.lease_until <= now

    def succeeded(self, now):
        self.state, self.done_at, self.claim = DONE, now, None

    def failed(self, error, now):
        self.last_error = f"{type(error).__name__}: {error}"[:500]
        self.claim = None
        if self.attempts >= MAX_ATTEMPTS:
            self.state = FAILED
        else:
            self.state, self.next_at = PENDING, now + backoff(self.attempts)

    def retry(self, now):
        """An administrator asks again: a fresh series of attempts, starting now."""
        self.state, self.attempts, self.next_at, self.claim = PENDING, 0, now, None


class Lane(Persistent):
    """One connection's jobs: by key (one job per key) and in the order recorded."""

    last = 0

    def __init__(self):
        self.jobs = OOBTree()
        self.order = LOBTree()  # position -> key

    def add(self, job):
        self.last += 1
        self.jobs[job.key] = job
        self.order[self.last] = job.key

    def compact(self, now):
        """Drop finished jobs older than RETENTION among the oldest COMPACT entries."""
        for position, key in list(itertools.islice(self.order.items(), COMPACT)):
            job = self.jobs.get(key)
            if job is None or (job.state == DONE and job.done_at + RETENTION <= now):
                del self.order[position]
                self.jobs.pop(key, None)


class JobStore(Persistent):
    """Every lane; ``find`` and ``jobs`` look across them."""

    def __init__(self):
        self.lanes = tuple(Lane() for _ in range(LANES))

    def find(self, key):
        for lane in self.lanes:
            job = lane.jobs.get(key)
            if job is not None:
                return job
        return None

    def add(self, kind, payload, key=None, now=None):
        """A new job in this connection's lane, or the job already holding ``key``."""
        now = now or datetime.now(UTC)
        key = key or uuid.uuid4().hex
        existing = self.find(key)
        if existing is not None:
            return existing, False
        lane = self.lanes[slot_of(self._p_jar) if self._p_jar is not None else 0]
        lane.compact(now)
        job = Job(kind, key, payload, now)
        lane.add(job)
        return job, True

    def jobs(self, states=None):
        """Jobs (in ``states`` if given), oldest first."""
        found = (job for lane in self.lanes for job in lane.jobs.values()
                 if states is None or job.state in states)
        return sorted(found, key=lambda job: job.created)

    def __len__(self):
        return sum(len(lane.jobs) for lane in self.lanes)
