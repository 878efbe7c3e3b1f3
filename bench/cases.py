"""The social side at the Region's scale: 100,000 people, 40,000 households, 300,000 benefits; JSON.

    .venv/bin/python bench/cases.py [--scale 1] [--checks 2000] [--requests 40] [--year 2025]

Builds the real portal over a temporary FileStorage: the demo, 42 ATS beside its three
(four municipalities each, ISTAT codes 900001…, Belfiore codes M500…), and through the core
services (``register_person``, ``create_household``/``add_member``, ``grant.grant``,
``open_case``/``take_charge``, with the app's registry: catalog, social index and subscribers
at work) the people — BA-01, the largest ATS, has 8 % of them — in households of 1–5, their
benefits (SIUSS codes from the loaded table, distinct categories per person, 5 % granted by
another ATS, 1 % cancelled, 40 % ISEE-tested) and 4 % of them with a case file, three
quarters taken in charge (SINA for the dependent ones); the demo citizen («cittadino»)
gets benefits from BA-01 and TA-01. Committed every 2,000 objects. Then it times (1) the
duplicate check of one grant (``grant.duplicates``) for random people and categories
(target p95 ≤ 20 ms), (2) the citizen's file ``/@@fascicolo`` through the WSGI app
(target p95 ≤ 100 ms), (3) the SIUSS export of the largest ATS for ``--year`` (target
≤ 30 s) and (4) the proposals for every household of one ATS. ``--scale 0.1`` for a quick
run; ``--keep DIR`` builds into DIR and keeps it, ``--reuse DIR`` measures a copy of it
without building again. Progress to stderr, the figures to stdout.
"""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _social_data as data
from _common import log, percentiles
from payments import Clock

TARGET_EXPORT_S = 30
TARGET_DUPLICATES_P95_MS = 20
TARGET_FILE_P95_MS = 100
CITIZEN = "cittadino"


def per_10k(clock, count):
    return round(clock.wall_s / count * 10_000, 2) if count else None


def build(app, args):
    """Every object of the plan, committed in batches; figures of each phase."""
    from tests.functional.applications.conftest import run_in_app

    plan = data.Plan(args.scale, args.seed)
    registry = app.registry

    def work(portal):
        batches = data.Batches(portal)
        figures = {}
        with Clock() as clock:
            districts = data.add_districts(portal, registry)
            batches.commit()
        figures["ats"] = len(districts)
        with Clock() as clock:
            people = data.add_people(portal, registry, plan, districts, batches)
            batches.commit()
        count = sum(len(found) for found in people.values())
        households = len(data.store_index(portal).households)
        accounts = sum(1 for found in people.values() for person, _istat in found
                       if person.login)
        figures["people"] = clock.figures(count=count, households=households,
                                          linked_accounts=accounts,
                                          per_10k_objects_s=per_10k(clock, batches.total))
        log(f"{count} people, {households} households in {clock.wall_s:.1f} s")
        care = data.choose_cases(plan, people)
        before = batches.total
        with Clock() as clock:
            granted, cancelled = data.add_benefits(portal, registry, plan, districts, people,
                                                   args.year, batches, care)
            granted += data.add_citizen_benefits(portal, registry, districts, args.year,
                                                 batches)
            batches.commit()
        figures["benefits"] = clock.figures(count=granted, cancelled=cancelled,
                                            per_10k_objects_s=per_10k(clock,
                                                                      batches.total - before))
        log(f"{granted} benefits in {clock.wall_s:.1f} s")
        before = batches.total
        with Clock() as clock:
            opened, in_charge = data.add_cases(portal, registry, plan, people, batches, care)
            batches.commit()
        figures["cases"] = clock.figures(count=opened, in_charge=in_charge,
                                         per_10k_objects_s=per_10k(clock,
                                                                   batches.total - before))
        log(f"{opened} case files ({in_charge} in charge) in {clock.wall_s:.1f} s")
        figures["objects"] = batches.total
        figures["largest_ats"] = {"code": districts[data.LARGEST].code,
                                  "people": len(people[data.LARGEST])}
        return figures

    with Clock() as total:
        figures = run_in_app(app, work)
    figures["total"] = total.figures(per_10k_objects_s=per_10k(total, figures["objects"]))
    return figures


def time_duplicates(app, args):
    """The duplicate check of one grant: a random person, one of the categories, a period."""
    from portal.people import store as people
    from portal.register import codes, grant
    from portal.register.rules import periods
    from tests.functional.applications.conftest import run_in_app

    rnd = random.Random(args.seed + 1)
    services = sorted({c.service for c in codes.table_for(app.registry).values()})

    def work(portal):
        social = people.index(portal)
        codes_ = list(social.benefits.keys())
        samples, hits = [], 0
        for _ in range(args.checks):
            fiscal_code = rnd.choice(codes_)
            first = rnd.randint(1, 12)
            value = periods.period(time_date(args.year, first, 1),
                                   time_date(args.year, min(12, first + rnd.randint(0, 5)), 28))
            service = rnd.choice(services)
            started = time.perf_counter()
            found = grant.duplicates(portal, fiscal_code, service, value)
            samples.append(time.perf_counter() - started)
            hits += bool(found)
        return samples, hits, len(codes_)

    samples, hits, people_with = run_in_app(app, work)
    return {**percentiles(samples), "with_overlaps": hits, "people_with_benefits": people_with,
            "target_p95_ms": TARGET_DUPLICATES_P95_MS}


def time_date(year, month, day):
    from datetime import date

    return date(year, month, day)


def time_file_page(app, args):
    """``/@@fascicolo`` as the demo citizen, whose benefits come from BA-01 and TA-01."""
    import webtest

    from portal.people import store as people
    from tests.conftest import login
    from tests.functional.applications.conftest import run_in_app

    def titles(portal):
        refs = people.index(portal).benefits_of(data.CITIZEN_CODE)
        return [r["title"] for r in refs], sorted({r["district"] for r in refs})

    names, districts = run_in_app(app, titles)
    client = login(webtest.TestApp(app), CITIZEN)
    samples, page = [], None
    client.get("/@@fascicolo")  # warm-up: templates compiled, caches filled
    for _ in range(args.requests):
        started = time.perf_counter()
        page = client.get("/@@fascicolo")
        samples.append(time.perf_counter() - started)
    return {**percentiles(samples), "status": page.status_int, "bytes": len(page.body),
            "benefits": len(names), "from_ats": districts,
            "benefits_on_page": sum(1 for n in set(names) if n in page.text),
            "target_p95_ms": TARGET_FILE_P95_MS}


#: the codice fiscale of the operator who sends the flow (the demo's RUP of BA-01)
OPERATOR = "SPSGPP46L21L049R"


def time_export(app, args):
    """The SIUSS flow of the largest ATS for ``--year``: built and checked against the XSD
    (``siuss.prepare``), then generated, signed and recorded (``siuss.transmit``, commit
    included)."""
    try:
        from portal.register import siuss
    except ImportError:
        return {"skipped": "module not merged yet"}
    from portal.db import DOCUMENTS_KEY
    from portal.documents.service import get_service
    from tests.functional.applications.conftest import run_in_app

    period = siuss.period_of(year=args.year)

    def build_only(portal):
        district = portal["ambiti"][data.LARGEST]
        with Clock() as clock:
            export = siuss.prepare(district, period, OPERATOR, app.registry)
        return clock.figures(beneficiaries=len(export.records), benefits_sent=export.sent,
                             inserts=export.inserts, cancellations=export.cancellations,
                             rejected=len(export.rejected), already_sent=export.already_sent,
                             xml_mb=round(len(export.xml) / 2**20, 2),
                             problems=_first_problems(export.rejected))

    def send(portal):
        district = portal["ambiti"][data.LARGEST]
        documents = portal._p_jar.root().get(DOCUMENTS_KEY)
        transmission = siuss.transmit(district, period, "rup-ba01", OPERATOR, app.registry,
                                      get_service(app.registry), documents)
        return transmission.sent

    def cancel_some(portal):
        """1 % of what was sent is cancelled: the next flow carries them as «C»."""
        from portal.register import grant

        rnd = random.Random(args.seed + 2)
        sent = [b for b in grant.benefits_of(portal["ambiti"][data.LARGEST])
                if b.transmissions and b.status != "cancelled"]
        chosen = rnd.sample(sent, max(1, len(sent) // 100)) if sent else []
        for benefit in chosen:
            grant.change_status(benefit, "cancel", "rup-ba01", "Revocata.", app.registry)
        return len(chosen)

    built = run_in_app(app, build_only)
    log(f"export built in {built['wall_s']:.1f} s")
    with Clock() as clock:
        sent = run_in_app(app, send)
    cancelled = run_in_app(app, cancel_some)
    again = run_in_app(app, build_only)
    return {"prepare": {**built, "target_s": TARGET_EXPORT_S},
            "transmit_signed_with_commit": clock.figures(benefits_sent=sent),
            "prepare_after_cancelling": {**again, "cancelled_since": cancelled}}


def _first_problems(rejected, limit=5):
    """The most frequent reasons records were left out (what the error report says)."""
    counts = {}
    for rejection in rejected:
        for problem in rejection.problems:
            counts[str(problem)] = counts.get(str(problem), 0) + 1
    return dict(sorted(counts.items(), key=lambda i: -i[1])[:limit])


def time_proposals(app, args):
    """Proposals for every household of the largest ATS, as the «proposte» job runs them
    (``proposals.evaluate_district``: its own transactions, ``BATCH`` households each)."""
    try:
        from portal.register import proposals
    except ImportError:
        return {"skipped": "module not merged yet"}
    from portal.db import get_database
    from portal.people import store as people
    from tests.functional.applications.conftest import run_in_app

    db = get_database(app.registry)
    code = data.LARGEST.upper()
    with Clock() as clock:
        households, changed = proposals.evaluate_district(db, code)

    def proposed(portal):
        found = [p for h in proposals.households_of(portal["ambiti"][data.LARGEST])
                 for p, _relationship in people.members_of(h) if p.proposals]
        return len(found), sum(len(p.proposals) for p in found)

    holders, count = run_in_app(app, proposed)
    return clock.figures(ats=code, households=households, members_changed=changed,
                         people_with_proposals=holders, proposals=count,
                         ms_per_household=round(clock.wall_s * 1000 / households, 3)
                         if households else None)


def main(argv=None):
    from content_types.values import rome_today

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--year", type=int, default=rome_today().year - 1)
    parser.add_argument("--keep", metavar="DIR",
                        help="build in DIR (new or empty) and keep it for --reuse")
    parser.add_argument("--reuse", metavar="DIR",
                        help="skip the build: measure the database a --keep run left in DIR")
    args = parser.parse_args(argv)

    from portal import main as make_app
    from portal.demo import add_demo_data
    from portal.documents.devcert import ensure_dev_signer
    from tests.conftest import make_settings
    from tests.functional.applications.conftest import run_in_app

    directory = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-cases-"))
    directory.mkdir(parents=True, exist_ok=True)
    if args.reuse:  # a copy: the export and the proposals a run writes leave the original alone
        shutil.copytree(args.reuse, directory, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    try:
        settings = make_settings(directory)
        ensure_dev_signer(settings)
        app = make_app({}, **settings)
        result = {"load_average": [round(v, 2) for v in os.getloadavg()],
                  "scale": args.scale, "year": args.year}
        if args.reuse:
            result["build"] = json.loads((directory / "build.json").read_text())
        else:
            run_in_app(app, lambda portal: add_demo_data(portal, app.registry))
            result["build"] = build(app, args)
            (directory / "build.json").write_text(json.dumps(result["build"]))
        result["database_mb"] = round((directory / "Data.fs").stat().st_size / 2**20, 1)
        result["duplicate_check_ms"] = time_duplicates(app, args)
        log("duplicate checks timed")
        result["citizen_file_page_ms"] = time_file_page(app, args)
        log("file page timed")
        result["siuss_export_largest_ats"] = time_export(app, args)
        log("export timed")
        result["proposals_one_ats"] = time_proposals(app, args)
        result["database_mb_after"] = round((directory / "Data.fs").stat().st_size / 2**20, 1)
        result["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
        print(json.dumps(result, indent=2, default=str))
        app.registry._zodb_databases[""].close()
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
