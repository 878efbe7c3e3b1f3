"""After-commit jobs through the real app: a failing receipt is retried, shown, retried by hand."""
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import transaction
from pyramid.config import Configurator
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal import evolve, jobs, main
from portal.applications import services
from portal.db import JOBS_KEY, ROOT_KEY, get_database
from portal.documents import get_service
from portal.jobs import worker
from portal.jobs.store import MAX_ATTEMPTS, backoff
from portal.mail import MailOutbox
from tests.functional.applications.conftest import (
    applications_settings,
    client,
    complete_draft,
    csrf_token,
    run_in_app,
    submit,
)
from tests.functional.applications.test_lapse import ROOT, write_ini
from tests.functional.test_storage import BIN


class FlakySigner:
    """The real signer, refusing its first ``failures`` signatures (an HSM not answering)."""

    def __init__(self, signer, failures):
        self.signer, self.failures = signer, failures

    def sign(self, data):
        if self.failures:
            self.failures -= 1
            raise OSError("HSM non raggiungibile")
        return self.signer.sign(data)


def flaky(app, failures):
    service = get_service(app.registry)
    signer = FlakySigner(service.signer, failures)
    service._signer = signer
    return signer


def receipt_of(app, url):
    def read(portal):
        obj = portal
        for part in url.strip("/").split("/"):
            obj = obj[part]
        return obj.receipt_uid
    return run_in_app(app, read)


def rows(page):
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")]
            for row in page.html.select("#lavori tbody tr")]


def test_a_receipt_whose_signing_fails_is_retried_with_backoff(applications_app, codes, inbox):
    flaky(applications_app, failures=1)
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    page = submit(citizen, url).follow()
    assert "La ricevuta firmata è in preparazione" in page.text  # the submission stands
    assert receipt_of(applications_app, url) is None
    assert inbox.messages  # the e-mail is its own job: it left
    admin = client(applications_app, "admin")
    listed = admin.get("/@@gestione").click(description="Lavori in coda")
    ((kind, key, state, attempts, error, *_),) = rows(listed)
    assert (kind, state, attempts) == ("Ricevuta firmata", "In attesa", "1")
    assert "HSM non raggiungibile" in error
    assert key.startswith("ricevuta:")
    db = get_database(applications_app.registry)
    start = datetime.now(UTC)
    assert jobs.run_due(db, applications_app.registry, now=start) == (0, 1)  # not yet due
    assert jobs.run_due(db, applications_app.registry,
                        now=start + backoff(1) + timedelta(seconds=1)) == (1, 0)
    assert receipt_of(applications_app, url)
    assert "Scarica la ricevuta" in citizen.get(url).text
    assert rows(admin.get("/@@gestione-lavori")) == []


def test_a_failed_job_is_shown_and_riprova_runs_it(applications_app, codes):
    signer = flaky(applications_app, failures=MAX_ATTEMPTS)
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    submit(citizen, url)
    db = get_database(applications_app.registry)
    clock = datetime.now(UTC)
    for attempt in range(1, MAX_ATTEMPTS):
        clock += backoff(attempt) + timedelta(seconds=1)
        jobs.run_due(db, applications_app.registry, now=clock)
    assert signer.failures == 0
    assert receipt_of(applications_app, url) is None
    admin = client(applications_app, "admin")
    page = admin.get("/@@gestione-lavori")
    ((_kind, key, state, attempts, error, *_),) = rows(page)
    assert (state, attempts) == ("Fallito", str(MAX_ATTEMPTS))
    assert "OSError: HSM non raggiungibile" in error
    assert "Riprovare questo lavoro?" in page.html.select("#lavori form")[0]["data-confirm"]
    (form,) = [f for f in page.forms.values() if "lavoro" in f.fields]
    assert form["lavoro"].value == key
    # refused requests change nothing: no CSRF token, an unknown job
    admin.post("/@@gestione-lavori", {"lavoro": key}, status=400)
    admin.post("/@@gestione-lavori", {"lavoro": "nessuno", "csrf_token": csrf_token(admin)},
               status=303)
    assert rows(admin.get("/@@gestione-lavori"))[0][2] == "Fallito"
    citizen.post("/@@gestione-lavori", {"lavoro": key, "csrf_token": csrf_token(citizen)},
                 status=403)
    done = form.submit(status=303).follow()
    assert "Lavoro rimesso in coda" in done.text
    assert rows(done) == []
    assert receipt_of(applications_app, url)


def make_old(directory):
    """Turn the database into what step 7 left: an outbox with a message, a receipt not issued."""
    db = DB(FileStorage(str(directory / "Data.fs"), blob_dir=str(directory / "blobs")))
    try:
        with db.transaction() as conn:
            root = conn.root()
            portal = root[ROOT_KEY]
            domande = portal["ambiti"]["ba-01"]["domande"]
            domande.mail_outbox = outbox = MailOutbox()
            outbox._items[1] = {"to": "famiglia@example.it", "subject": "Domanda in coda",
                                "body": "testo", "attempts": 2, "last_error": "timeout",
                                "queued_at": datetime.now(UTC), "message_id": "<vecchio@portale>"}
            (application, *_) = [a for a in services.applications(portal["ambiti"]["ba-01"])
                                 if a.protocol]
            application.receipt_uid = None
            del root[JOBS_KEY]
            portal.db_version = 7
            return application.protocol
    finally:
        db.close()


def evolve_registry():
    """A registry like portal-evolve's: the content types and workflows, no app."""
    config = Configurator(settings={})
    config.include("content_types")
    config.include("workflows")
    config.commit()
    return config.registry


def test_evolve_step_8_moves_the_old_outbox_and_the_missing_receipts_into_jobs(
        applications_dir, smtp_server, inbox):
    protocol = make_old(applications_dir)
    db = DB(FileStorage(str(applications_dir / "Data.fs"), blob_dir=str(applications_dir / "blobs")))
    try:
        tm = transaction.TransactionManager()
        conn = db.open(transaction_manager=tm)
        with tm:
            root = conn.root()
            # the steps after 7, with the services portal-evolve gives them
            assert evolve.run_pending(root, root[ROOT_KEY], evolve_registry(),
                                      commit=lambda note: tm.commit(),
                                      log=lambda text: None) == list(
                range(8, evolve.latest_version() + 1))
        with tm:
            queued = {job.kind: job for job in jobs.get_store(conn).jobs()}
            assert set(queued) == {"mail", "ricevuta"}
            assert queued["mail"].payload["message_id"] == "<vecchio@portale>"
            assert conn.root()[ROOT_KEY]["ambiti"]["ba-01"]["domande"].mail_outbox is None
        conn.close()
    finally:
        db.close()
    app = main({}, **applications_settings(applications_dir, smtp_server[0].port))
    try:
        # portal-serve's jobs thread: its first pass, at start, runs what was left waiting
        running = worker.start(app.registry, seconds=60)
        try:
            assert running.passed.wait(60), "the jobs thread made no pass"
        finally:
            running.stop.set()
        assert jobs.run_due(get_database(app.registry), app.registry) == (0, 0)

        def issued(portal):
            found = [a for a in services.applications(portal["ambiti"]["ba-01"])
                     if a.protocol == protocol]
            return found[0].receipt_uid
        assert run_in_app(app, issued)
        assert [m.rcpt_tos for m in inbox.messages] == [["famiglia@example.it"]]
    finally:
        get_database(app.registry).close()


def command(module, ini, *args):
    """A console script as it will run (``-m``, the worktree's packages first)."""
    result = subprocess.run([sys.executable, "-m", module, str(ini), *args],
                            capture_output=True, text=True, timeout=300, cwd=ROOT, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_portal_jobs_lists_and_runs_what_waits(applications_dir, smtp_server, inbox):
    make_old(applications_dir)
    ini = write_ini(applications_dir, smtp_server[0].port)
    evolved = subprocess.run([str(BIN / "portal-evolve"), str(ini)], capture_output=True,
                             text=True, timeout=300, check=False)
    assert "Passo 8 applicato" in evolved.stdout, evolved.stderr
    listed = command("portal.scripts.jobs", ini)
    assert listed.returncode == 0, listed.stderr
    assert "in attesa: mail mail:outbox:1, tentativi 0" in listed.stdout
    assert "in attesa: ricevuta ricevuta:" in listed.stdout
    assert "Lavori in attesa o falliti: 2." in listed.stdout
    assert inbox.messages == []  # listing runs nothing
    ran = command("portal.scripts.jobs", ini, "--esegui")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Lavori eseguiti: 2." in ran.stdout
    assert "Lavori in attesa o falliti: 0." in ran.stdout
    assert [m.rcpt_tos for m in inbox.messages] == [["famiglia@example.it"]]


@pytest.mark.parametrize(("raw", "seconds"), [(None, 30), ("0", 0), ("5", 5), ("2.5", 2.5)])
def test_jobs_interval_setting(raw, seconds):
    assert worker.interval_seconds({} if raw is None else
                                   {"portal.jobs_interval_seconds": raw}) == seconds


@pytest.mark.parametrize("raw", ["spesso", "-1", ""])
def test_bad_jobs_interval_is_an_italian_error(raw):
    with pytest.raises(ValueError, match=r"portal\.jobs_interval_seconds non valido"):
        worker.interval_seconds({"portal.jobs_interval_seconds": raw})
