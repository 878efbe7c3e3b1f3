"""8 clients write at once (logins, API creates, draft saves, submissions): no 5xx, nothing lost."""
import threading

import webtest
from pyramid.traversal import find_resource

from portal.demo import demo_password
from tests.conftest import csrf_token, login
from tests.functional.applications.conftest import CALL, add_drafts, api, fill_people, new_draft, run_in_app

CLIENTS = 8
ROUNDS = 4


def test_concurrent_writers_get_no_5xx_and_every_acknowledged_write_is_kept(applications_app):
    app = applications_app
    drafts = run_in_app(app, lambda portal: add_drafts(portal, app.registry, CLIENTS * ROUNDS))
    officers = [login(webtest.TestApp(app), "rup-ba01") for _ in range(CLIENTS)]
    citizens = [login(webtest.TestApp(app), "cittadino") for _ in range(CLIENTS)]
    tokens = [csrf_token(c) for c in citizens]
    failures, created, saved, submitted = [], [], [], []
    barrier = threading.Barrier(CLIENTS)

    def check(what, response, expected):
        if response.status_int != expected:
            failures.append((what, response.status_int, response.text[:300]))
            return False
        return True

    def work(n):
        barrier.wait()
        for r in range(ROUNDS):
            try:
                fresh = webtest.TestApp(app)
                page = fresh.get("/@@accedi")
                form = page.forms["form-portale"]
                form["login"], form["password"] = "caf", _password("caf")
                check("login", form.submit("accedi", expect_errors=True), 303)
                title = f"Comune {n}-{r}"
                response = api(officers[n], "POST", "/api/ambiti/ba-01/@@contenuti", {
                    "type": "Municipality", "title": title, "istat_code": f"07{n}{r:03d}",
                    "cadastral_code": "a883", "province": "ba", "inhabitants": 1000 + r,
                }, status="*")
                if check("create", response, 201):
                    created.append(response.headers["Location"].split("/api", 1)[1])
                url = new_draft(citizens[n])
                if check("save", fill_people(citizens[n], url, "RSSMRA80A01H501U",
                                             status="*", applicant_name=f"Anna {n}-{r}"),
                         303):
                    saved.append((url, f"Anna {n}-{r}"))
                target, version = drafts[n * ROUNDS + r]
                response = citizens[n].post(target + "/@@invia", {
                    "csrf_token": tokens[n], "_version": version}, expect_errors=True)
                if check("submit", response, 303):
                    submitted.append(target)
            except Exception as exc:  # noqa: BLE001 - an escaped ConflictError is a 500
                failures.append(("exception", repr(exc)[:300]))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

    def stored(portal):
        return ([find_resource(portal, path).title for path in created],
                [find_resource(portal, url).applicant_name for url, _ in saved],
                [find_resource(portal, url).protocol for url in submitted])
    titles, names, protocols = run_in_app(app, stored)
    assert len(created) == len(saved) == len(submitted) == CLIENTS * ROUNDS
    assert sorted(titles) == sorted(f"Comune {n}-{r}" for n in range(CLIENTS)
                                    for r in range(ROUNDS))
    assert names == [name for _, name in saved]
    assert all(protocols)
    assert len(set(protocols)) == len(protocols)
    assert all(url.startswith(CALL) for url, _ in saved)


def _password(login_name):
    return demo_password(login_name)
