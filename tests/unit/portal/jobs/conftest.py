"""Fixtures for the job queue: a real FileStorage and a registry with a test job kind."""
import pytest
import transaction
import ZODB
from pyramid.config import Configurator
from ZODB.FileStorage import FileStorage

from portal import jobs
from portal.db import JOBS_KEY


class ProcessDied(BaseException):
    """Raised by a handler to stand for the process dying mid-attempt (nothing catches it)."""


class Work:
    """The «prova» kind's outside world: what ran, and how many failures each key still has."""

    def __init__(self):
        self.done = []  # keys whose run succeeded, in order
        self.tries = []  # every attempt
        self.failures = {}  # key -> failures left before a success
        self.deaths = {}  # key -> deaths left

    def __call__(self, payload, registry, db):
        key = payload["k"]
        self.tries.append(key)
        if self.deaths.get(key):
            self.deaths[key] -= 1
            raise ProcessDied(key)
        if self.failures.get(key):
            self.failures[key] -= 1
            raise RuntimeError(f"servizio non raggiungibile per {key}")
        self.done.append(key)
        value = payload.get("write")
        if value is None:
            return None

        def record(conn):
            conn.root()["written"] = conn.root().get("written", ()) + (value,)
        return record


def make_db(path):
    db = ZODB.DB(FileStorage(str(path / "Data.fs")))
    with db.transaction() as conn:
        conn.root()[JOBS_KEY] = jobs.JobStore()
    return db


def make_registry(work, settings=None):
    config = Configurator(settings=settings or {})
    config.include("portal.jobs")
    config.include("portal.mail")  # the «mail» kind and its Mailer, as portal.main has them
    config.add_job_kind("prova", work)
    config.commit()
    return config.registry


@pytest.fixture
def work():
    """Use to see what the «prova» kind ran (its handler; pass it to ``registry``)."""
    return Work()


@pytest.fixture
def registry(work):
    """Use for a real Pyramid registry with ``portal.jobs``, mail and the «prova» kind bound to ``work``."""
    return make_registry(work)


@pytest.fixture
def db(tmp_path):
    """Use for a FileStorage database holding an empty job store."""
    database = make_db(tmp_path)
    yield database
    database.close()


class Writer:
    """A request-like writer: its own transaction manager and connection (its own lane)."""

    def __init__(self, db):
        self.tm = transaction.TransactionManager()
        self.conn = db.open(transaction_manager=self.tm)

    def enqueue(self, registry, key, commit=True, run_now=True, **payload):
        txn = self.tm.begin()
        job = jobs.enqueue(self.conn, registry, "prova", {"k": key, **payload}, key=key,
                           txn=txn, run_now=run_now)
        if commit:
            self.tm.commit()
        else:
            self.tm.abort()
        return job

    def close(self):
        self.conn.close()
