"""8 families submit at once through the WSGI app: protocol numbers stay unique and gap-free."""
import threading

import webtest

from tests.conftest import csrf_token, login
from tests.functional.applications.conftest import add_drafts, next_protocol, run_in_app

CLIENTS = 8
EACH = 3


def test_protocols_unique_and_gap_free_under_concurrent_submissions(applications_app):
    drafts = run_in_app(applications_app,
                        lambda portal: add_drafts(portal, applications_app.registry,
                                                  CLIENTS * EACH))
    first = int(run_in_app(applications_app,
                           lambda portal: next_protocol(portal, "ba-01")).split("/")[1])
    clients = [login(webtest.TestApp(applications_app), "cittadino") for _ in range(CLIENTS)]
    tokens = [csrf_token(c) for c in clients]
    statuses = []
    barrier = threading.Barrier(CLIENTS)

    def work(number):
        barrier.wait()
        for url, version in drafts[number::CLIENTS]:
            response = clients[number].post(url + "/@@invia", {
                "csrf_token": tokens[number], "_version": version}, expect_errors=True)
            statuses.append(response.status_int)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * len(drafts)

    def protocols(portal):
        folder = portal["ambiti"]["ba-01"]["domande"]["buoni-minori-2026"]
        return sorted(a.protocol for a in folder.values() if a.protocol), \
            [a.receipt_uid for a in folder.values() if a.protocol]
    found, receipts = run_in_app(applications_app, protocols)
    numbers = sorted(int(p.split("/")[1]) for p in found)
    # the 3 demo applications of this call first; the other demo call took the numbers between
    assert numbers == [1, 2, 3, *range(first, first + len(drafts))]
    assert len(set(found)) == len(found)
    assert all(receipts)
