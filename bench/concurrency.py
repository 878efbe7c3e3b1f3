"""Concurrency benchmark: mixed writes from many clients through waitress; prints JSON.

    .venv/bin/python bench/concurrency.py [--writes 2000] [--clients 8] [--threads 8]

The real portal (catalogue, applications, demo data, a development signer, a
loopback SMTP server) is served by waitress in a subprocess over a FileStorage
in a temporary directory. ``--clients`` threads, each with its own sessions,
send ``--writes`` writes in rotation: a login through the form, an API create
(a municipality), a draft save (the people step of the client's own draft) and
a workflow transition (``@@invia`` of a ready draft: protocol, receipt, mail).
Every response is counted; afterwards the server is stopped and the database
reopened to check that every acknowledged write is there: each created
object, each client's last saved draft, each submission's protocol (unique).
Targets: 0 responses >= 500, 0 lost writes. Progress to stderr, figures to stdout.
"""
import argparse
import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import log, start_server, stop_server, submission_drafts

OPERATIONS = ("login", "create", "save", "submit")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


class HTTPProxy:
    """A WSGI app forwarding to a real HTTP server, so WebTest's forms and cookies work."""

    def __init__(self, host, port):
        self.conn = http.client.HTTPConnection(host, port, timeout=120)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items()
                   if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        for attempt in range(2):
            try:
                self.conn.request(environ["REQUEST_METHOD"], path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # a keep-alive connection the server closed: reconnect
                if attempt:
                    raise
        start_response(f"{response.status} {response.reason}",
                       [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP])
        return [data]


def serve(directory, port, threads):
    """Subprocess entry: the portal over ``directory`` served by waitress."""
    import logging

    import waitress

    from portal import main as make_app
    from tests.functional.applications.conftest import applications_settings

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    smtp_port = int((Path(directory) / "smtp_port").read_text())
    app = make_app({}, **applications_settings(Path(directory), smtp_port))
    waitress.serve(app, host="127.0.0.1", port=port, threads=threads, _quiet=True)


def prepare(directory, smtp_port, submissions):
    """Demo data, catalogue, applications and ``submissions`` ready drafts; the app closed."""
    from portal import main as make_app
    from portal.documents.devcert import ensure_dev_signer
    from tests.functional.applications.conftest import (
        applications_settings,
    )

    app = make_app({}, **applications_settings(directory, smtp_port))
    ensure_dev_signer(app.registry.settings)

    drafts = submission_drafts(app, submissions)
    app.registry._zodb_databases[""].close()
    return drafts


class Client:
    """One family and one officer, each with their own session, writing in rotation."""

    def __init__(self, number, port, drafts):
        import webtest

        self.number, self.port, self.drafts = number, port, drafts
        self.citizen = webtest.TestApp(HTTPProxy("127.0.0.1", port), lint=False)
        self.officer = webtest.TestApp(HTTPProxy("127.0.0.1", port), lint=False)
        self.statuses = Counter()
        self.errors = []
        self.created, self.submitted = [], []
        self.draft_url = None
        self.last_saved = None
        self.latencies = []

    def record(self, op, response, expected):
        self.statuses[response.status_int] += 1
        if response.status_int >= 500 or response.status_int != expected:
            self.errors.append((op, response.status_int, response.text[:200]))
            return False
        return True

    def login(self, app, who):
        from portal.demo import demo_password

        form = app.get("/@@accedi").forms["form-portale"]
        form["login"], form["password"] = who, demo_password(who)
        return self.record("login", form.submit("accedi", expect_errors=True), 303)

    def setup(self):
        from tests.functional.applications.conftest import new_draft

        self.login(self.citizen, "cittadino")
        self.login(self.officer, "rup-ba01")
        self.citizen_token = self.citizen.get("/api/sessione").json["csrf_token"]
        self.officer_token = self.officer.get("/api/sessione").json["csrf_token"]
        self.draft_url = new_draft(self.citizen)

    def write(self, index, op):
        import webtest

        from tests.functional.applications.conftest import fill_people

        t0 = time.perf_counter()
        if op == "login":
            self.login(webtest.TestApp(HTTPProxy("127.0.0.1", self.port), lint=False), "caf")
        elif op == "create":
            title = f"Comune {self.number}-{index}"
            response = self.officer.post(
                "/api/ambiti/ba-01/@@contenuti", json.dumps({
                    "type": "Municipality", "title": title, "istat_code": "072011",
                    "cadastral_code": "a883", "province": "ba", "inhabitants": index}),
                headers={"Content-Type": "application/json",
                         "X-CSRF-Token": self.officer_token}, expect_errors=True)
            if self.record(op, response, 201):
                self.created.append((response.headers["Location"].split("/api", 1)[1], title))
        elif op == "save":
            name = f"Anna {self.number}-{index}"
            response = fill_people(self.citizen, self.draft_url, "RSSMRA80A01H501U",
                                   status="*", applicant_name=name)
            if self.record(op, response, 303):
                self.last_saved = name
        else:
            url, version = self.drafts.pop()
            response = self.citizen.post(url + "/@@invia", {
                "csrf_token": self.citizen_token, "_version": version}, expect_errors=True)
            if self.record(op, response, 303):
                self.submitted.append(url)
        self.latencies.append((op, time.perf_counter() - t0))

    def run(self, plan, barrier):
        barrier.wait()
        for index, op in plan:
            try:
                self.write(index, op)
            except Exception as exc:  # noqa: BLE001 - counted: nothing may escape
                self.errors.append(("exception", 0, repr(exc)[:200]))


def verify(directory, smtp_port, clients):
    """Reopen the database: is every acknowledged write there?"""
    from pyramid.traversal import find_resource

    from portal import main as make_app
    from tests.functional.applications.conftest import (
        applications_settings,
        run_in_app,
    )

    app = make_app({}, **applications_settings(directory, smtp_port))

    def check(portal):
        lost = []
        for client in clients:
            for path, title in client.created:
                obj = find_resource(portal, path) if _exists(portal, path) else None
                if obj is None or obj.title != title:
                    lost.append(("create", path))
            if client.last_saved is not None:
                draft = find_resource(portal, client.draft_url)
                if draft.applicant_name != client.last_saved:
                    lost.append(("save", client.draft_url))
            for url in client.submitted:
                if not find_resource(portal, url).protocol:
                    lost.append(("submit", url))
        protocols = [find_resource(portal, url).protocol for c in clients for url in c.submitted]
        return lost, len(protocols) - len(set(protocols))
    try:
        return run_in_app(app, check)
    finally:
        app.registry._zodb_databases[""].close()


def _exists(portal, path):
    from pyramid.traversal import find_resource

    try:
        find_resource(portal, path)
    except KeyError:
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve, args.port, args.threads)

    from aiosmtpd.controller import Controller

    from tests.functional.applications.conftest import Inbox, free_port

    directory = Path(tempfile.mkdtemp(prefix="bench-concurrency-"))
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        (directory / "smtp_port").write_text(str(smtp.port))
        # client n writes every n-th index, rotating through the operations from its own start
        plans = [[(i, OPERATIONS[(k + n) % len(OPERATIONS)])
                  for k, i in enumerate(range(n, args.writes, args.clients))]
                 for n in range(args.clients)]
        submissions = sum(op == "submit" for plan in plans for _, op in plan)
        log(f"preparing {submissions} drafts")
        drafts = prepare(directory, smtp.port, submissions)
        proc, base = start_server(__file__, directory, args.threads, probe_path="/@@accedi")
        try:
            port = int(base.rsplit(":", 1)[1])
            clients, pool = [], list(drafts)
            for n, plan in enumerate(plans):
                wanted = sum(op == "submit" for _, op in plan)
                clients.append(Client(n, port, [pool.pop() for _ in range(wanted)]))
            for client in clients:
                client.setup()
            log(f"{args.writes} writes from {args.clients} clients")
            barrier = threading.Barrier(args.clients + 1)
            threads = [threading.Thread(target=c.run, args=(idx, barrier))
                       for c, idx in zip(clients, plans, strict=True)]
            for thread in threads:
                thread.start()
            barrier.wait()
            t0 = time.perf_counter()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - t0
        finally:
            stop_server(proc)
        lost, duplicate_protocols = verify(directory, smtp.port, clients)
    finally:
        smtp.stop()
        shutil.rmtree(directory, ignore_errors=True)
    statuses = sum((c.statuses for c in clients), Counter())
    errors = [e for c in clients for e in c.errors]
    by_op = {}
    for op in OPERATIONS:
        ms = sorted(t * 1000 for c in clients for o, t in c.latencies if o == op)
        if ms:
            by_op[op] = {"count": len(ms), "median_ms": round(ms[len(ms) // 2], 1),
                         "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 1)}
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    acknowledged = (sum(len(c.created) + len(c.submitted) for c in clients)
                    + sum(1 for c in clients if c.last_saved is not None))
    result = {
        "benchmark": "concurrency",
        "writes": args.writes, "clients": args.clients, "waitress_threads": args.threads,
        "elapsed_s": round(elapsed, 2), "writes_per_second": round(args.writes / elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "responses_5xx": server_errors,
        "unexpected": len(errors), "first_unexpected": errors[:5],
        "acknowledged_checked": acknowledged, "lost_writes": len(lost), "lost": lost[:10],
        "duplicate_protocols": duplicate_protocols,
        "mails_received": len(inbox.messages),
        "operations": by_op,
        "target": {"responses_5xx": 0, "lost_writes": 0},
        "met": server_errors == 0 and not lost and not errors and not duplicate_protocols,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
