"""Zone plans at the Region's scale: 45 ATS, each plan 60 interventions × 8 sources × 3 years; JSON.

    .venv/bin/python bench/plans.py [--ats 45] [--interventions 60] [--edits 20] [--requests 40]

Builds the real portal over a temporary FileStorage: the demo, ATS added beside its three
(District objects «BA-02», «BR-01», …, four municipalities each), and for every ATS a plan
2025–2027 whose first version is filled through the store's section readers with
``--interventions`` interventions × the 8 default sources × 3 years (every cell allocated,
no invariant broken), approved through the workflow, then revised (version 2, a draft).
Then it times, each including the commit: (1) a full plan edit — the four sections read
from the strings a form posts, every invariant checked (``store.problems_of``) — through
the store, and the allocation grid through the HTTP editor (GET and POST ``@@allocazioni``,
WebTest); (2) the Region's dashboard figures over every ATS (``dashboard.region_figures``)
and its page ``/regione/@@piani-cruscotto``; (3) the diff of two versions of a plan
(``rules.diff``) and the page ``@@confronta``; (4) the signed summary of a version
(``summary``: reportlab + PAdES). Targets: a save with all invariants ≤ 200 ms; the
dashboard over 45 ATS p95 ≤ 200 ms. Progress to stderr, the figures to stdout.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import log, percentiles
from payments import Clock, ats_codes

TARGET_SAVE_MS = 200
TARGET_DASHBOARD_P95_MS = 200
PERIOD = "2025-2027"
YEARS = ("2025", "2026", "2027")
SERVICES = ("PSW", "HOMECARE", "HOMEHEALTH", "OTHERHOME", "HEALTHV", "REMASS", "PROXIM", "DAYC",
            "SEGR", "EMERG", "INCLUS", "RESFEE")
AREAS = ("FAM", "DIS", "ELD", "POV", "IMMNOM", "ADD", "MULBEN")
OBJECTIVES = ("1A", "1B", "1C", "2D", "2E", "3F", "3G", "4H", "5I")
INHABITANTS = (40_000, 30_000, 20_000, 10_000)
#: per source and year: comfortably above what the interventions take
AVAILABLE = "5.000.000,00"
CELL = "1.000,00"


def add_districts(portal, registry, count):
    from content_types.district import District, Municipality

    ambiti = portal["ambiti"]
    for index, code in enumerate(ats_codes(count)):
        name = code.lower()
        if name in ambiti:
            continue
        district = District(title=f"Ambito territoriale {code}", code=code,
                            lead_municipality="Comune capofila", creator="admin")
        ambiti.add(name, district, registry=registry)
        for number, people in enumerate(INHABITANTS, start=1):
            istat = f"{900 + index:03d}{number:03d}"
            district.add(f"comune-{number}", Municipality(
                title=f"Comune {number} di {code}", istat_code=istat, cadastral_code="Z999",
                province=code[:2], inhabitants=people, creator="admin"), registry=registry)
    return [d for d in ambiti.values() if isinstance(d, District)]


def target(args):
    """The ATS whose plan is edited, diffed and printed: the first one the bench adds."""
    return ats_codes(args.ats)[0].lower()


def section_rows(version, municipalities, interventions):
    """The four sections as a form posts them (strings), for ``interventions`` interventions."""
    sources = [dict(s, amounts=dict.fromkeys(YEARS, AVAILABLE)) for s in version.sources]
    cofinancing = [{"istat": m.istat, "amounts": dict.fromkeys(YEARS, AVAILABLE)}
                   for m in municipalities]
    rows = [{"code": f"I{n:03d}", "title": f"Intervento {n}", "service": SERVICES[n % len(SERVICES)],
             "area": AREAS[n % len(AREAS)], "objective": OBJECTIVES[n % len(OBJECTIVES)],
             "level": "AMBITO", "target": "Popolazione", "description": "Descrizione."}
            for n in range(interventions)]
    cells = [{"intervention": r["code"], "source": s["code"], "year": y, "amount": CELL}
             for r in rows for s in version.sources for y in YEARS]
    return sources, cofinancing, rows, cells


def save_all(version, rows, who="bench"):
    from portal.plans import store

    sources, cofinancing, interventions, cells = rows
    store.save_sources(version, sources, sent_token=None, who=who)
    store.save_cofinancing(version, cofinancing, sent_token=None, who=who)
    store.save_interventions(version, interventions, sent_token=None, who=who)
    store.save_allocations(version, cells, sent_token=None, who=who)
    return store.problems_of(version)


def build(app, args):
    from portal.plans import store
    from tests.functional.applications.conftest import run_in_app
    from workflows import zone_plan as workflow
    from workflows.registry import get_workflow

    engine = get_workflow(app.registry, workflow.NAME)

    def work(portal):
        districts = add_districts(portal, app.registry, args.ats)
        for district in districts:
            folder = store.folder_of(district)
            if folder is not None and PERIOD in folder:
                continue  # the demo's own plans (BA-01 approved, TA-01 sent) stay as they are
            plan = store.create_plan(district, PERIOD, who="bench", registry=app.registry)
            first = store.latest(plan)
            found = save_all(first, section_rows(first, store.municipalities_of(district),
                                                 args.interventions))
            if found:
                raise SystemExit(f"{district.code}: {found[0].message.interpolate()}")
            for name in (workflow.SUBMIT, workflow.TAKE_IN_CHARGE, workflow.APPROVE):
                engine.fire(first, None, name, registry=app.registry)
            store.new_version(plan, who="bench", registry=app.registry)
        return len(districts)

    return run_in_app(app, work)


def commit(portal):
    manager = portal._p_jar.transaction_manager
    manager.commit()
    manager.begin()


def time_saves(app, args):
    """A full plan edit through the store (all four sections + every invariant + commit)."""
    from portal.plans import store
    from tests.functional.applications.conftest import run_in_app

    def work(portal):
        district = portal["ambiti"][target(args)]
        plan = district["piani"][PERIOD]
        version = store.latest(plan)
        samples = []
        for edit in range(args.edits):
            rows = section_rows(version, store.municipalities_of(district), args.interventions)
            rows[3][edit % len(rows[3])]["amount"] = f"{900 + edit},00"
            started = time.perf_counter()
            found = save_all(version, rows)
            commit(portal)
            samples.append(time.perf_counter() - started)
            assert not found
        return samples

    return percentiles(run_in_app(app, work))


def http_grid(app, args):
    """GET and POST of the whole allocation grid of the target's draft, as an ATS officer of it
    (rup-ba01 is given the role there); the POST checks every invariant and commits."""
    import webtest

    from content_types.security import ATS_OFFICER, set_local_roles
    from tests.conftest import login
    from tests.functional.applications.conftest import run_in_app

    code = target(args)

    def grant(portal):
        set_local_roles(portal["ambiti"][code], "user:rup-ba01", {ATS_OFFICER})
        version = portal["ambiti"][code]["piani"][PERIOD]["versione-2"]
        return [(i["code"], s["code"]) for i in version.interventions for s in version.sources]

    pairs = run_in_app(app, grant)
    client = login(webtest.TestApp(app), "rup-ba01")
    path = f"/ambiti/{code}/piani/{PERIOD}/versione-2/@@allocazioni"
    gets, posts = [], []
    for edit in range(args.edits):
        started = time.perf_counter()
        page = client.get(path)
        gets.append(time.perf_counter() - started)
        fields = [("csrf_token", re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]),
                  ("_token", re.search(r'name="_token" value="([^"]*)"', page.text)[1])]
        fields += [("riga", i) for i in dict.fromkeys(i for i, _s in pairs)]
        fields += [(f"{i}.{s}.{y}", f"{900 + edit},00" if n == 0 else CELL)
                   for n, (i, s) in enumerate(pairs) for y in YEARS]
        started = time.perf_counter()
        response = client.post(path, fields)
        posts.append(time.perf_counter() - started)
        assert response.status_int in (200, 303), response.status
    return {"inputs": len(pairs) * len(YEARS), "get": percentiles(gets),
            "post": {**percentiles(posts), "target_ms": TARGET_SAVE_MS}}


def time_dashboard(app, requests):
    from tests.functional.applications.conftest import run_in_app

    try:
        from portal.plans import dashboard
    except ImportError:
        return {"skipped": "portal.plans.dashboard is not there"}

    def work(portal):
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            dashboard.region_figures(portal)
            samples.append(time.perf_counter() - started)
        return samples

    return percentiles(run_in_app(app, work))


def time_pages(app, paths, requests, who):
    import webtest

    from tests.conftest import login

    client = login(webtest.TestApp(app), who)
    found = {}
    for path in paths:
        samples, status = [], None
        for _ in range(requests):
            started = time.perf_counter()
            status = client.get(path, status="*").status_int
            samples.append(time.perf_counter() - started)
        found[path] = {"status": status, **percentiles(samples)}
    return found


def time_diff(app, args, requests):
    from portal.plans import store
    from portal.plans.rules import diff
    from tests.functional.applications.conftest import run_in_app

    def work(portal):
        plan = portal["ambiti"][target(args)]["piani"][PERIOD]
        older, newer = store.versions_of(plan)[:2]
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            changes = diff.diff(store.as_plan(older), store.as_plan(newer))
            samples.append(time.perf_counter() - started)
        return samples, len(changes.cells)

    samples, cells = run_in_app(app, work)
    return {**percentiles(samples), "changed_cells": cells}


def time_summary(app, args, runs):
    """The signed summary of the approved version (``summary.draft_pdf`` renders and signs
    without registering; ``summary.issue`` registers too: timed once)."""
    from portal.documents.service import get_service
    from portal.plans import summary
    from tests.functional.applications.conftest import run_in_app

    service = get_service(app.registry)

    def work(portal):
        version = portal["ambiti"][target(args)]["piani"][PERIOD]["versione-1"]
        samples, size = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            size = len(summary.draft_pdf(version, service))
            samples.append(time.perf_counter() - started)
        return samples, size

    samples, size = run_in_app(app, work)
    return {**percentiles(samples), "bytes": size}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ats", type=int, default=45)
    parser.add_argument("--interventions", type=int, default=60)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args(argv)

    from portal import main as make_app
    from portal.demo import add_demo_data
    from portal.documents.devcert import ensure_dev_signer
    from tests.conftest import make_settings
    from tests.functional.applications.conftest import run_in_app

    directory = Path(tempfile.mkdtemp(prefix="bench-plans-"))
    try:
        settings = make_settings(directory)
        ensure_dev_signer(settings)
        app = make_app({}, **settings)
        run_in_app(app, lambda portal: add_demo_data(portal, app.registry))
        with Clock() as clock:
            built = build(app, args)
        log(f"built {built} plans in {clock.wall_s:.1f} s")
        cells = args.interventions * 8 * len(YEARS)
        result = {
            "load_average": [round(v, 2) for v in os.getloadavg()],
            "ats": built, "interventions": args.interventions, "sources": 8,
            "years": len(YEARS), "cells_per_plan": cells,
            "build": clock.figures(),
            "save_full_edit_ms": {**time_saves(app, args), "target_ms": TARGET_SAVE_MS},
        }
        result["http_allocation_grid_ms"] = http_grid(app, args)
        log("saves timed")
        result["region_dashboard_figures_ms"] = {
            **time_dashboard(app, args.requests), "target_p95_ms": TARGET_DASHBOARD_P95_MS}
        result["pages_ms"] = {
            **time_pages(app, ["/regione/@@piani-cruscotto"], args.requests // 2, "regione"),
            # the draft (version 2) is the ATS's: its officer compares (granted by http_grid)
            **time_pages(app, [f"/ambiti/{target(args)}/piani/{PERIOD}/@@confronta?da=1&a=2"],
                         args.requests // 2, "rup-ba01")}
        result["diff_ms"] = time_diff(app, args, args.requests)
        result["signed_summary_ms"] = time_summary(app, args, max(3, args.requests // 8))
        result["database_bytes"] = (directory / "Data.fs").stat().st_size
        result["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
        print(json.dumps(result, indent=2))
        app.registry._zodb_databases[""].close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
