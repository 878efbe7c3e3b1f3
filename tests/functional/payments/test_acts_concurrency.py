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
        # the PAY movements since the demo's own act (portal.demo.cycle pays months too)
        demo = {line["attestation_uid"] for act in acts.acts_of(district)
                for line in act.lines if line["attestation_uid"] not in uids}
        paying = {act.protocol for act in acts.acts_of(district)
                  if any(line["attestation_uid"] in demo for line in act.lines)}
        return [m.reference for m in ledger_of(district).movements() if m.kind == PAY
                and m.reference not in {f"Atto di liquidazione {p}" for p in paying}], \
            ledger_of(district).consistent()
    references, consistent = stored(app, movements)
    assert len(set(references)) == 1
    assert consistent
    return count


def test_two_officers_posting_at_once_to_a_real_server(applications_app, codes):
    from tests.browser.conftest import serve_in_thread  # noqa: PLC0415 - waitress only here

    uids = with_validated_attestations(applications_app, codes, months=1)
    shown = hidden_uids(preview(client(applications_app, "rup-ba01")))
    # the test's attestations, besides the demo's validated month (portal.demo.cycle)
    assert set(uids) <= set(shown)
    assert len(shown) == len(uids) + 1
    body = "&".join(["azione=emetti", "ente=", "mese=", "conferma=si"]
                    + [f"uid={u}" for u in uids])
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
        assert paid_once(applications_app, uids) == 2  # the demo's act, and one act here


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
    assert paid_once(applications_app, uids) == 2  # the demo's act, and one act here
