"""Officer's queue benchmark: an ATS with 5,000 applications, the review queue through WSGI; JSON.

    .venv/bin/python bench/queues.py [--applications 5000] [--requests 200] [--seed 2026]

Builds the real portal (demo data, catalogue, the published call) over a
temporary FileStorage with the embedded catalog, adds ``--applications``
applications to ATS BA-01, moved through the real workflow engine to a seeded
mix of states (each one indexed by the catalog subscribers, as in production),
then has the ATS officer, logged in, GET ``@@istruttoria``: with a state filter
(``stato=under_review``), with a search by codice fiscale (a different
beneficiary each time) and with none. Reports median and p95 per page (target
p95 <= 100 ms) with the load average, and the CPU time of each request
(``time.process_time``: the app runs in this process), which other work on a
shared machine inflates much less than the wall clock. Progress to stderr, the figures to stdout.
"""
import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import transaction
from _common import log, percentiles

QUEUE = "/ambiti/ba-01/@@istruttoria"
TARGET_P95_MS = 100
BATCH = 250
#: transitions after ``submit``, each taken with its probability while it is possible
PATHS = (("match", 0.9), ("start_review", 0.75), ("request_integration", 0.25),
         ("integrate", 0.5), ("declare_eligible", 0.6), ("fund", 0.5))


def build(app, count, seed):
    """The demo, then ``count`` applications in BA-01; returns their beneficiaries' codes."""
    import workflows
    import workflows.application as wf
    from content_types.application import Application
    from portal.demo import add_demo_data
    from portal.demo.applications import CALL_CODE, ENTRY_PATH, fiscal_code
    from tests.functional.applications.conftest import run_in_app

    registry = app.registry
    run_in_app(app, lambda portal: add_demo_data(portal, registry))
    rng = random.Random(seed)
    codes = []
    from_states = {t.name: t.from_states for t in wf.TRANSITIONS}

    def batch(portal, start, stop):
        folder = portal["ambiti"]["ba-01"]["domande"][CALL_CODE]
        for index in range(start, stop):
            # three letters of the index (26**3 of them) make every code different
            letters = "".join(chr(65 + (index // 26 ** k) % 26) for k in (2, 1, 0))
            code = fiscal_code("BNC", letters, date(2021 + index % 4, 1 + index % 12,
                                                    1 + index % 28))
            application = Application(title="Domanda in bozza", creator="cittadino")
            folder.add(f"domanda-bench-{index:05d}", application, registry=registry)
            application.assign_parties("cittadino")
            application.set_data({
                "applicant_name": "Marco Conte", "applicant_fiscal_code": "CNTMRC85P09E506E",
                "beneficiary_name": f"Bambino {letters.title()} Conte",
                "beneficiary_fiscal_code": code, "household_code": f"FAM-{index:05d}",
                "catalogue_entry_path": ENTRY_PATH, "months": 10,
            })
            application.protocol = f"2026/{index + 100:07d}"
            application.title = f"Domanda {application.protocol}"
            workflows.fire(application, None, wf.SUBMIT, registry=registry)
            for name, chance in PATHS:
                if application.state in from_states[name] and rng.random() < chance:
                    workflows.fire(application, None, name, "bench", registry=registry)
            codes.append(code)

    for start in range(0, count, BATCH):
        run_in_app(app, lambda portal, s=start: batch(portal, s, min(count, s + BATCH)))
        log(f"  {min(count, start + BATCH)} applications")
    transaction.abort()
    return codes


def measure(officer, requests, params_for):
    """Seconds of each GET of the queue (every one must answer 200 with the table)."""
    samples, cpu = [], []
    for number in range(requests):
        t0, c0 = time.perf_counter(), time.process_time()
        response = officer.get(QUEUE, params_for(number))
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        assert 'id="coda"' in response.text  # a wrong page is no figure
    return samples, cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    import webtest

    from portal import main as make_app
    from portal.documents.devcert import ensure_dev_signer
    from tests.conftest import login
    from tests.functional.applications.conftest import applications_settings

    directory = Path(tempfile.mkdtemp(prefix="bench-queues-"))
    try:
        app = make_app({}, **applications_settings(directory))
        ensure_dev_signer(app.registry.settings)  # the demo's receipts are signed
        t0 = time.perf_counter()
        codes = build(app, args.applications, args.seed)
        build_s = time.perf_counter() - t0
        log(f"built {args.applications} applications in {build_s:.1f}s")
        officer = login(webtest.TestApp(app), "rup-ba01")
        rng = random.Random(args.seed)
        searched = [rng.choice(codes) for _ in range(args.requests)]
        first = officer.get(QUEUE, {"cerca": searched[0]})
        found_one = first.text.count('name="uid"') == 1
        shown = {state: int(n) for state, n in re.findall(
            r'data-state="([a-z_]+)"><a href="[^"]*" data-count="(\d+)"',
            officer.get(QUEUE).text)}
        measure(officer, 20, lambda n: {"stato": "under_review"})  # warm the caches
        pages = {
            "filter_state": measure(officer, args.requests, lambda n: {"stato": "under_review"}),
            "search_fiscal_code": measure(officer, args.requests,
                                          lambda n: {"cerca": searched[n]}),
            "filter_and_search": measure(officer, args.requests, lambda n: {
                "cerca": searched[n], "avviso": "buoni-minori-2026"}),
            "unfiltered": measure(officer, args.requests, lambda n: {}),
        }
        app.registry._zodb_databases[""].close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    # wall-clock figures, and this process's CPU per request (steadier on a shared machine)
    figures = {name: {**percentiles(wall), "cpu": percentiles(cpu)}
               for name, (wall, cpu) in pages.items()}
    worst = max(f["p95_ms"] for f in figures.values())
    print(json.dumps({
        "benchmark": "queues", "applications": args.applications, "ats": "BA-01",
        "build_s": round(build_s, 1), "search_finds_exactly_one": found_one,
        "queue_counts_per_state": shown,
        "pages": figures, "target_p95_ms": TARGET_P95_MS, "met": worst <= TARGET_P95_MS,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }, indent=2))


if __name__ == "__main__":
    main()
