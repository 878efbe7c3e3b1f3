"""Two officers pay the same attestations at once: exactly one act pays them, nothing twice."""
import threading

import pytest
import transaction
from ZODB.POSException import ConflictError

from portal.documents import get_service
from portal.payments import acts
from portal.payments.ledger import PAY, ledger_of
from portal.payments.rules.errors import NotPayable
from tests.functional.applications.test_streamed_uploads import Browser
from tests.functional.payments.acts_fixtures import (
    stored,
    with_validated_attestations,
)
from tests.functional.payments.test_acts import client, hidden_uids, preview, snapshot

OFFICERS = 2


def paid_once(app, uids):
    states, payments, count, _, _ = snapshot(app, uids)
    assert set(states.values()) == {"paid"}
    assert len({p["act_uid"] for p in payments.values()}) == 1

    def movements(district):
        return [m.reference for m in ledger_of(district).movements() if m.kind == PAY], \
            ledger_of(district).consistent()
    references, consistent = stored(app, movements)
    assert len(set(references)) == 1
    assert consistent
    return count


def test_two_officers_posting_at_once_to_a_real_server(applications_app, codes):
    from tests.browser.conftest import serve_in_thread  # noqa: PLC0415 - waitress only here

    uids = with_validated_attestations(applications_app, codes, months=1)
    shown = hidden_uids(preview(client(applications_app, "rup-ba01") ))
    assert sorted(shown) == sorted(uids)
    body = "&".join(["azione=emetti", "ente=", "mese=", "conferma=si"]
                    + [f"uid={u}" for u in shown])
    answers = []
    with serve_in_thread(applications_app) as base:
        port = int(base.rsplit(":", 1)[1])
        officers = [Browser(port) for _ in range(OFFICERS)]
        tokens = [b.login("rup-ba01") for b in officers]
        barrier = threading.Barrier(OFFICERS)

        def work(n):
            barrier.wait()
            answers.append(officers[n].request(
                "POST", "/ambiti/ba-01/@@liquidazioni", f"{body}&csrf_token={tokens[n]}",
                {"Content-Type": "application/x-www-form-urlencoded"}))
        threads = [threading.Thread(target=work, args=(n,)) for n in range(OFFICERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(status for status, _ in answers) == [303, 409]
        refused = next(page for status, page in answers if status == 409)
        assert "già stata liquidata con l'atto" in refused
        assert paid_once(applications_app, uids) == 1


def test_two_connections_committing_at_once_conflict_and_the_retry_sees_them_paid(
        applications_app, codes):
    """As two processes over one storage would: no write lock between them, only ZODB."""
    uids = with_validated_attestations(applications_app, codes, months=1)
    db = applications_app.registry._zodb_databases[""]
    service = get_service(applications_app.registry)
    managers = [transaction.TransactionManager() for _ in range(OFFICERS)]
    conns = [db.open(transaction_manager=tm) for tm in managers]

    def pay(conn):
        district = conn.root()["portal"]["ambiti"]["ba-01"]
        return acts.issue(district, uids, who="rup-ba01", registry=applications_app.registry,
                          service=service)
    try:
        for tm, conn in zip(managers, conns, strict=True):
            tm.begin()
            pay(conn)  # both from the same snapshot: both see the attestations validated
        managers[0].commit()
        try:
            managers[1].commit()
        except ConflictError:
            managers[1].abort()
        else:
            raise AssertionError("the second act committed over the first")
        managers[1].begin()  # the replay (pyramid_retry) starts from the new snapshot
        with pytest.raises(NotPayable, match="già stata liquidata"):  # the replay pays nothing
            pay(conns[1])
        managers[1].abort()
    finally:
        for tm, conn in zip(managers, conns, strict=True):
            tm.abort()
            conn.close()
    assert paid_once(applications_app, uids) == 1
