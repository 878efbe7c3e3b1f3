"""The lapse pass in process: what it skips and says, paging, and conflicts with the web."""
from datetime import timedelta

import pytest
import transaction
from pyramid.traversal import find_resource, resource_path
from ZODB.POSException import ConflictError

from content_types.values import utcnow
from portal.applications import lapse_job
from portal.applications.lapse_job import Run, waiting_paths
from portal.db import ROOT_KEY
from tests.functional.applications.conftest import CALL, client, complete_draft, submit


@pytest.fixture
def sent(applications_app, codes):
    """Two fresh submissions by the demo citizen (their term ends in 15 days)."""
    citizen = client(applications_app, "cittadino")
    urls = []
    for who in ("luca", "sofia"):
        url = complete_draft(citizen, codes[who])
        submit(citizen, url)
        urls.append(url)
    return urls


@pytest.fixture
def db(applications_app):
    """A connection of our own, as ``lapse_clock.run_once`` opens one: (tm, root)."""
    tm = transaction.TransactionManager()
    conn = applications_app.registry._zodb_databases[""].open(transaction_manager=tm)
    tm.begin()
    yield tm, conn.root()[ROOT_KEY]
    tm.abort()
    conn.close()


def later():
    return utcnow() + timedelta(days=30)


def change(tm, root, path, work):
    """Apply ``work(application)`` and commit (test set-up)."""
    tm.begin()
    work(find_resource(root, path))
    tm.commit()


def run(app, tm, root, paths, listing=False, cls=Run, size=lapse_job.BATCH, now=None):
    out, err = [], []
    done = cls(root, app.registry, now or later(), listing, out=out.append, err=err.append)
    done.run(paths, tm, size=size)
    return done, out, err


def test_paths_that_are_not_applications_are_skipped(applications_app, sent, db):
    tm, root = db
    paths = [CALL.rsplit("/domande", 1)[0], "/non/esiste", "", *sent]
    done, out, err = run(applications_app, tm, root, paths, listing=True)
    assert err == []
    assert len(out) == 2
    assert all(line.startswith("  decadrebbe: Ambito BA-01") for line in out)
    assert done.examined == len(paths)
    assert done.summary()[1] == ("Domande che decadrebbero: 2 (elenco: nessuna modifica "
                                 "salvata).")
    tm.begin()
    assert {find_resource(root, path).state for path in sent} == {"submitted"}


def test_before_the_term_ends_nothing_lapses(applications_app, sent, db):
    tm, root = db
    done, out, err = run(applications_app, tm, root, sent, now=utcnow(), size=1)
    assert (out, err) == ([], [])
    assert done.summary()[1:] == ["Nessuna domanda decaduta."]
    tm.begin()
    assert {find_resource(root, path).state for path in sent} == {"submitted"}


def test_a_submission_time_without_zone_is_skipped_with_an_italian_warning(
        applications_app, sent, db):
    tm, root = db

    def naive(application):
        application.submitted_at = application.submitted_at.replace(tzinfo=None)
    change(tm, root, sent[0], naive)
    done, out, err = run(applications_app, tm, root, sent)
    tm.begin()
    protocol = find_resource(root, sent[0]).protocol
    assert err == [(f"Attenzione: domanda {protocol} ({sent[0]}) saltata: La domanda "
                   f"{protocol} ha una data di invio senza fuso orario.")]
    assert find_resource(root, sent[0]).state == "submitted"
    assert find_resource(root, sent[1]).state == "lapsed"
    assert len(out) == 1
    assert sent[1] in out[0]
    summary = done.summary()
    assert "Domande decadute: 1." in summary
    assert summary[-1] == "Domande saltate per errori: 1 (vedere sopra)."


def test_an_application_whose_call_is_gone_is_skipped(applications_app, sent, db):
    tm, root = db

    def orphan(application):
        application.call_uid = "non-esiste"
        application.__parent__.call_path = "/regione/avvisi/non-esiste"
    change(tm, root, sent[0], orphan)
    done, out, err = run(applications_app, tm, root, sent[:1])
    tm.begin()
    protocol = find_resource(root, sent[0]).protocol
    assert err == [(f"Attenzione: avviso non trovato per la domanda {protocol} ({sent[0]}): "
                   "saltata.")]
    assert (out, done.lapsed) == ([], {})
    assert find_resource(root, sent[0]).state == "submitted"


def test_without_an_e_mail_address_it_lapses_and_nobody_is_written_to(
        applications_app, sent, db, inbox):
    tm, root = db

    def no_mail(application):
        application.email = ""
    change(tm, root, sent[0], no_mail)
    tm.begin()
    protocols = [find_resource(root, path).protocol for path in sent]
    tm.abort()
    inbox.messages.clear()  # the receipts of the submissions
    done, out, err = run(applications_app, tm, root, sent)
    tm.begin()
    assert {find_resource(root, path).state for path in sent} == {"lapsed"}
    assert done.lapsed == {"BA-01": 2}
    assert (len(out), err) == (2, [])
    subjects = [m.content.decode() for m in inbox.messages]
    assert len(subjects) == 1
    assert f"Domanda {protocols[1]} decaduta" in subjects[0]
    assert protocols[0] not in subjects[0]


def test_waiting_applications_and_calls_are_read_page_by_page(
        applications_app, sent, db, monkeypatch):
    tm, root = db
    tm.begin()
    everything = waiting_paths(root, applications_app.registry)
    call_path = lapse_job.Calls(root, applications_app.registry).path_of(
        find_resource(root, sent[0]).call_uid)
    monkeypatch.setattr(lapse_job, "PAGE", 1)
    assert waiting_paths(root, applications_app.registry) == everything
    assert set(sent) <= set(everything)
    calls = lapse_job.Calls(root, applications_app.registry)
    assert calls.path_of(find_resource(root, sent[0]).call_uid) == call_path
    # one call a page: every call of the portal is listed (the demo has two)
    assert calls.paths == {call.uid: resource_path(call)
                           for call in root["regione"]["avvisi"].values()}


def interfering(times):
    """A Run whose batches meet a concurrent write to the same application ``times`` times."""
    class Interfered(Run):
        hits = 0

        def fire(self, obj, name, comment=""):
            if Interfered.hits < times:
                Interfered.hits += 1
                other_tm = transaction.TransactionManager()
                other = obj._p_jar.db().open(transaction_manager=other_tm)
                try:
                    other_tm.begin()
                    application = find_resource(other.root()[ROOT_KEY], resource_path(obj))
                    application.notes_for_test = Interfered.hits
                    other_tm.commit()
                finally:
                    other.close()
            return super().fire(obj, name, comment)
    return Interfered


def test_a_conflict_with_the_web_checks_the_batch_again(applications_app, sent, db):
    tm, root = db
    cls = interfering(2)
    done, out, err = run(applications_app, tm, root, sent[:1], cls=cls)
    assert cls.hits == 2
    assert done.lapsed == {"BA-01": 1}
    assert len(out) == 1  # reported once, though tried three times
    assert err == []
    tm.begin()
    application = find_resource(root, sent[0])
    assert application.state == "lapsed"
    assert application.notes_for_test == 2


def test_conflicts_every_time_give_up_with_nothing_lapsed(applications_app, sent, db):
    tm, root = db
    cls = interfering(lapse_job.ATTEMPTS)
    with pytest.raises(ConflictError):
        run(applications_app, tm, root, sent[:1], cls=cls)
    tm.begin()
    assert find_resource(root, sent[0]).state == "submitted"
