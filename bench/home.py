"""Home page and personal area latency through the WSGI app; prints JSON.

    .venv/bin/python bench/home.py [--applications 5000] [--requests 200]

Builds the demo (catalogue, call, three matched applications) over a temporary
FileStorage, then ``--applications`` more in BA-01 spread over the states an
officer works on (submitted, matched, in review, awaiting integration, eligible),
indexed by the real catalog. Measures, after a warm-up, the anonymous home page,
the citizen's and the BA-01 officer's personal area (target p95 ≤ 50 ms).
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import log, percentiles

import workflows.application as wf


def add_applications(app, count):
    """``count`` applications in BA-01 in the officer's states, through the workflow's ACLs."""
    from content_types.application import Application
    from portal.demo.applications import CALL_CODE, ENTRY_PATH
    from tests.functional.applications.conftest import run_in_app
    from workflows import get_workflow

    states = (wf.SUBMITTED, wf.MATCHED, wf.UNDER_REVIEW, wf.AWAITING_INTEGRATION, wf.ELIGIBLE)
    workflow = get_workflow(app.registry, "application")

    def work(portal, start, stop):
        folder = portal["ambiti"]["ba-01"]["domande"][CALL_CODE]
        for index in range(start, stop):
            application = Application(title=f"Domanda {index}", creator=f"famiglia-{index}",
                                      call_uid=folder.call_uid)
            folder.add(f"bench-{index:05d}", application, registry=app.registry)
            application.assign_parties(f"famiglia-{index}")
            application.set_data({"beneficiary_name": f"Bambino {index}",
                                  "catalogue_entry_path": ENTRY_PATH})
            application.state = states[index % len(states)]
            application.protocol = f"BA-01/2026/{index + 100:06d}"
            workflow.apply_acl(application, registry=app.registry)
    step = 500
    for start in range(0, count, step):
        run_in_app(app, lambda portal, s=start: work(portal, s, min(count, s + step)))
        log(f"applications: {min(count, start + step)}/{count}")


def timed(browser, path, count):
    for _ in range(10):  # warm the ZODB cache and the templates
        browser.get(path)
    samples = []
    for _ in range(count):
        t0 = time.perf_counter()
        browser.get(path)
        samples.append(time.perf_counter() - t0)
    return percentiles(samples)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)

    import webtest
    from pyramid.scripting import prepare
    from pyramid_zodbconn import get_connection

    from portal import main as make_app
    from portal.demo import add_demo_data
    from portal.documents.devcert import ensure_dev_signer
    from tests.conftest import login
    from tests.functional.applications.conftest import applications_settings

    directory = Path(tempfile.mkdtemp(prefix="bench-home-"))
    try:
        settings = applications_settings(directory)
        ensure_dev_signer(settings)
        app = make_app({}, **settings)
        env = prepare(registry=app.registry)
        try:
            with env["request"].tm:
                add_demo_data(get_connection(env["request"]).root()["portal"], app.registry)
        finally:
            env["closer"]()
        result = {"applications_demo": 3, "requests": args.requests}
        anonymous = webtest.TestApp(app)
        citizen = login(webtest.TestApp(app), "cittadino")
        officer = login(webtest.TestApp(app), "rup-ba01")
        result["demo"] = {"home": timed(anonymous, "/", args.requests),
                          "area_citizen": timed(citizen, "/@@area-personale", args.requests),
                          "area_officer": timed(officer, "/@@area-personale", args.requests)}
        if args.applications:
            add_applications(app, args.applications)
            page = officer.get("/@@area-personale").text
            assert "Domande da esaminare" in page
            result["officer_applications"] = args.applications + 3
            result["large"] = {
                "home": timed(anonymous, "/", args.requests),
                "area_officer": timed(officer, "/@@area-personale", args.requests),
                "area_provider": timed(login(webtest.TestApp(app), "girasole"),
                                       "/@@area-personale", args.requests),
                "area_region": timed(login(webtest.TestApp(app), "regione"),
                                     "/@@area-personale", args.requests),
            }
        result["load_average"] = os.getloadavg()
        app.registry._zodb_databases[""].close()
        print(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
