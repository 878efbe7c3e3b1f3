"""After-commit mail through a real SMTP server on loopback (aiosmtpd)."""

import pytest
import transaction
import ZODB
from aiosmtpd.controller import Controller
from persistent.mapping import PersistentMapping
from pyramid.config import Configurator
from ZODB.FileStorage import FileStorage

from portal import jobs
from portal.db import JOBS_KEY
from portal.mail import MailSettings, queue
from tests.smtp import Inbox, free_port


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def db(tmp_path):
    database = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    with database.transaction() as conn:
        conn.root()["outbox"] = PersistentMapping()  # any stored object: its transaction
        conn.root()[JOBS_KEY] = jobs.JobStore()
    yield database
    database.close()


def mailer_for(port):
    """A registry whose mail settings point at ``port`` (the registered Mailer uses them)."""
    config = Configurator(settings={
        "mail.host": "127.0.0.1", "mail.port": str(port), "mail.sender": "portale@example.it",
        "mail.timeout": "5"})
    config.include("portal.jobs")
    config.include("portal.mail")  # the «mail» job and the Mailer utility it sends with
    config.commit()
    return config.registry


def run_request(db, work, commit=True):
    """One request: its own transaction manager and connection, like pyramid_tm."""
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        tm.begin()
        work(conn.root()["outbox"])
        if commit:
            tm.commit()
        else:
            tm.abort()
    finally:
        conn.close()


def outbox_size(db):
    """Messages not sent yet (pending or failed jobs)."""
    with db.transaction() as conn:
        return len(conn.root()[JOBS_KEY].jobs((jobs.PENDING, jobs.RUNNING, jobs.FAILED)))


def flush(db, registry):
    """A jobs pass over every pending message, without waiting for its backoff."""
    return jobs.run_due(db, registry, force=True)


def test_settings_defaults():
    settings = MailSettings.from_settings({})
    assert (settings.host, settings.port, settings.sender) == ("127.0.0.1", 25,
                                                               "noreply@localhost")


def test_sent_only_after_commit(smtp, db):
    controller, inbox = smtp
    mailer = mailer_for(controller.port)
    seen_before_commit = []

    def work(outbox):
        queue(outbox, mailer, "famiglia@example.it", "Domanda 2025/0000001 ricevuta",
              "Gentile famiglia, è tutto a posto. Perché no?")
        seen_before_commit.append(len(inbox.messages))

    run_request(db, work)
    assert seen_before_commit == [0]
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.mail_from == "portale@example.it"
    assert envelope.rcpt_tos == ["famiglia@example.it"]
    assert b"Subject: Domanda 2025/0000001 ricevuta" in envelope.content
    assert outbox_size(db) == 0  # removed once sent


def test_nothing_sent_when_the_transaction_aborts(smtp, db):
    controller, inbox = smtp
    mailer = mailer_for(controller.port)
    run_request(db, lambda outbox: queue(outbox, mailer, "a@example.it", "x", "y"),
                commit=False)
    assert inbox.messages == []
    assert outbox_size(db) == 0


def test_a_failure_after_commit_keeps_the_request_and_the_message(smtp, db):
    controller, inbox = smtp
    dead = mailer_for(free_port())  # nobody listens there
    run_request(db, lambda outbox: queue(outbox, dead, "a@example.it", "Ricevuta", "testo"))
    assert outbox_size(db) == 1
    with db.transaction() as conn:
        (item,) = conn.root()[JOBS_KEY].jobs()
        assert item.attempts == 1
        assert item.last_error
    assert flush(db, dead) == (0, 1)
    assert flush(db, mailer_for(controller.port)) == (1, 0)
    assert len(inbox.messages) == 1
    assert outbox_size(db) == 0


def test_outbox_must_be_stored():
    with pytest.raises(ValueError, match="stored in the database"):
        queue(PersistentMapping(), mailer_for(1), "a@example.it", "x", "y")
