"""Proposals and the map of needs: evaluate every household of one ATS; the map's page p95.

One ATS (the demo's BA-01) with ``--nuclei`` households of 2–4 members (a third with a child
under 3, ISEE from 3,000 to 60,000), evaluated by the «proposte» job's function; then
``--prestazioni`` benefits and ``--in-carico`` people in care counted in the municipalities'
counters, and the District and Region ``@@mappa-bisogni`` read through WebTest. Prints JSON.
"""
import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import webtest
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import percentiles
from content_types.values import rome_today
from portal import main
from portal.db import get_database
from portal.demo import add_demo_data
from portal.demo.ids import fiscal_code
from portal.people import store as people
from portal.register import needs_map, proposals
from tests.conftest import ensure_dev_signer, login, make_settings

LETTERS = "BCDFGHLMNPRSTVZ"


def in_app(app, work):
    env = prepare(registry=app.registry)
    try:
        with env["request"].tm:
            return work(get_connection(env["request"]).root()["portal"])
    finally:
        env["closer"]()


def surname(n):
    return "".join(LETTERS[(n // 15 ** i) % 15] for i in range(3))


def add_households(portal, count, rnd):
    today = rome_today()
    serial = 0
    for h in range(count):
        head_born = date(1960 + rnd.randint(0, 35), rnd.randint(1, 12), rnd.randint(1, 28))
        members = [head_born] + [today - timedelta(days=rnd.randint(30, 6000))
                                 for _ in range(rnd.randint(1, 3))]
        town = rnd.choice(("072006", "072027"))
        made = []
        for born in members:
            serial += 1
            code = fiscal_code(surname(serial), "BNC", born, female=serial % 2 == 0)
            if people.find_person(portal, code) is not None:
                continue
            made.append(people.register_person(portal, {
                "fiscal_code": code, "first_name": f"Persona{serial}", "last_name": "Prova",
                "birth_date": born, "address": {"kind": "residence", "street": "Via Roma 1",
                                                 "istat": town, "region": "16"}}, "bench"))
        if not made:
            continue
        household = people.create_household(made[0], "bench")
        for person in made[1:]:
            people.add_member(household, person, "child")
        made[0].isee = {"value": str(rnd.randint(3000, 60000)), "kind": "ordinario",
                        "dsu_date": date(today.year, 1, 1),
                        "valid_until": date(today.year, 12, 31)}
        if h % 500 == 499:
            manager = portal._p_jar.transaction_manager
            manager.commit()
            manager.begin()


def fill_counters(portal, benefits, in_care, rnd):
    towns = list(people.municipalities(portal))
    areas = [code for code, _ in needs_map.areas()]
    year = rome_today().year
    for n in range(benefits):
        counters = needs_map.counters_of(rnd.choice(towns), create=True)
        counters.set_benefit(f"b{n}", rnd.choice(areas), (year,))
    for n in range(in_care):
        counters = needs_map.counters_of(rnd.choice(towns), create=True)
        counters.set_case(f"c{n}", rnd.choice(areas))


def main_(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--nuclei", type=int, default=2000)
    p.add_argument("--prestazioni", type=int, default=300_000)
    p.add_argument("--in-carico", type=int, default=20_000)
    p.add_argument("--pagine", type=int, default=60)
    args = p.parse_args(argv)
    rnd = random.Random(16)
    directory = Path(tempfile.mkdtemp(prefix="bench-needs-"))
    try:
        ensure_dev_signer(make_settings(directory))  # the demo signs receipts
        app = main({}, **make_settings(directory))
        in_app(app, lambda portal: add_demo_data(portal, app.registry))
        started = time.perf_counter()
        in_app(app, lambda portal: add_households(portal, args.nuclei, rnd))
        built = time.perf_counter() - started
        db = get_database(app.registry)
        started = time.perf_counter()
        households, changed = proposals.evaluate_district(db, "BA-01")
        first = time.perf_counter() - started
        started = time.perf_counter()
        proposals.evaluate_district(db, "BA-01")
        again = time.perf_counter() - started
        in_app(app, lambda portal: fill_counters(portal, args.prestazioni, args.in_carico, rnd))
        client = webtest.TestApp(app)
        figures = {}
        for who, url in (("ats_officer", "/ambiti/ba-01/@@mappa-bisogni"),
                         ("region_officer", "/regione/@@mappa-bisogni")):
            client.reset()
            login(client, who)
            samples = []
            for n in range(args.pagine):
                query = "?misura=prestazioni" if n % 2 else ""
                t0 = time.perf_counter()
                client.get(url + query)
                samples.append(time.perf_counter() - t0)
            figures[url] = percentiles(samples)
        print(json.dumps({
            "households": households, "members_with_proposals_written": changed,
            "build_s": round(built, 1), "evaluate_district_s": round(first, 2),
            "evaluate_district_unchanged_s": round(again, 2),
            "per_household_ms": round(first / max(households, 1) * 1000, 3),
            "map_pages": figures, "benefits_counted": args.prestazioni,
            "in_care_counted": args.in_carico}, indent=2))
        app.registry._zodb_databases[""].close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main_()
