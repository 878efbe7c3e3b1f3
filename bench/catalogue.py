"""Catalogue benchmark: 5,000 published entries in 45 ATS, public search p95 under load; JSON.

    .venv/bin/python bench/catalogue.py [--entries 5000] [--ats 45] [--wrk-seconds 15]
        [--wrk-connections 16] [--waitress-threads 4]

Builds the data through the real application (``portal.main`` with ``portal.providers``)
over a FileStorage in a temporary directory: ATS with three municipalities each,
providers, units, entries walked through the workflow to ``published`` so every event
subscriber (workflow, catalog, tariffs) runs. Then serves it with waitress in a
subprocess and loads the public catalogue page with wrk (16 connections), for several
kinds of search: the plain first page, words, an ATS, and the filtered search by
service type + age + free places (indexed catalog filters).
"""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import log, run_wrk, start_server, stop_server

SEED = 2026
PROVINCES = ("BA", "BT", "BR", "FG", "LE", "TA")
TOWNS = ("San Michele", "Santa Maria", "Monte Castello", "Borgo Ulivi", "Torre Bianca",
         "Porto Vecchio", "Casalnuovo", "Rocca Grande", "Villa Serena", "Fontana Lunga")
SERVICES = (("asilo-nido", 3, 36, 450), ("micro-nido", 3, 36, 420),
            ("sezione-primavera", 24, 36, 290), ("centro-diurno-minori", 72, 179, 300),
            ("ludoteca", 36, 131, 160), ("centro-diurno-disabili", 216, 780, 900),
            ("centro-diurno-anziani", 780, 1440, 650),
            ("assistenza-domiciliare", 780, 1320, 400), ("adi", 780, 1440, 700))
UNITS_PER_PROVIDER = 2
ENTRIES_PER_UNIT = 5


def settings_for(directory):
    return {
        "zodbconn.uri": (
            f"file://{directory}/Data.fs?blobstorage_dir={directory}/blobs"
            "&connection_cache_size=100000&connection_pool_size=8"
        ),
        "portal.session_secret": "bench-secret-not-for-production-0123456789",
        "retry.attempts": "3",
        "pyramid.reload_templates": "false",
        "portal.includes": "portal.providers",
    }


def make_app(directory):
    from portal import main

    return main({}, **settings_for(directory))


def build(app, n_entries, n_ats):
    """Districts, providers, units and published entries; returns timing figures."""
    from pyramid.scripting import prepare
    from pyramid_zodbconn import get_connection

    import workflows
    from content_types.catalogue_entry import CatalogueEntry
    from content_types.district import District, Municipality
    from content_types.provider import Provider
    from content_types.service_unit import ServiceUnit
    from portal.demo import vat

    rnd = random.Random(SEED)
    registry = app.registry
    per_provider = UNITS_PER_PROVIDER * ENTRIES_PER_UNIT
    n_providers = -(-n_entries // per_provider)
    env = prepare(registry=registry)
    start = time.perf_counter()
    try:
        request = env["request"]
        with request.tm:
            portal = get_connection(request).root()["portal"]
            towns = []
            for i in range(n_ats):
                province = PROVINCES[i % len(PROVINCES)]
                code = f"{province}-{i // len(PROVINCES) + 1:02d}"
                district = District(title=f"Ambito territoriale {code}", code=code,
                                    lead_municipality=f"{TOWNS[i % 10]} {i}")
                portal["ambiti"].add(code.lower(), district, registry=registry)
                for j in range(3):
                    istat = f"{71 + i % 6:03d}{100 + i * 3 + j:03d}"
                    title = f"{TOWNS[(i + j) % 10]} {i}-{j}"
                    district.add(f"comune-{j}", Municipality(
                        title=title, istat_code=istat, cadastral_code=f"Z{i * 3 + j:03d}",
                        province=province), registry=registry)
                    towns.append(istat)
        created = 0
        for p in range(n_providers):
            with request.tm:
                portal = get_connection(request).root()["portal"]
                provider = Provider(title=f"Cooperativa sociale Numero {p}", creator="admin")
                provider.set_data({"tax_code": vat(1_000_000 + p),
                                   "pec": f"ente{p}@pec.example.it"})
                portal["catalogo"].add(f"ente-{p}", provider, registry=registry)
                for u in range(UNITS_PER_PROVIDER):
                    unit = ServiceUnit(title=f"Struttura {p}-{u}", creator="admin")
                    unit.set_data({
                        "address": f"Via Roma {u + 1}", "municipality_code": rnd.choice(towns),
                        "latitude": round(rnd.uniform(40.0, 41.9), 4),
                        "longitude": round(rnd.uniform(15.2, 18.4), 4),
                        "regulatory_article": "art. 53", "authorisation_number": f"{p}/{u}",
                        "authorisation_date": date(2020, 1, 1), "capacity": 40,
                    })
                    unit.locate(anchor=portal)
                    provider.add(f"unita-{u}", unit, registry=registry)
                    for e in range(ENTRIES_PER_UNIT):
                        if created >= n_entries:
                            break
                        service, low, high, tariff = rnd.choice(SERVICES)
                        entry = CatalogueEntry(title=f"{service.replace('-', ' ').title()} "
                                                     f"{p}-{u}-{e}", creator="admin")
                        entry.set_data({
                            "description": "Servizio accreditato con personale qualificato.",
                            "service_type": service, "age_min_months": low,
                            "age_max_months": high,
                            "tariff_full": Decimal(tariff + rnd.randint(0, 120)),
                            "tariff_part": None, "places_offered": rnd.randint(0, 12),
                        })
                        unit.add(f"voce-{e}", entry, registry=registry)
                        workflows.fire(entry, None, "submit", registry=registry)
                        workflows.fire(entry, None, "publish", registry=registry)
                        created += 1
            if (p + 1) % 50 == 0:
                log(f"  {created}/{n_entries} entries")
    finally:
        env["closer"]()
    elapsed = time.perf_counter() - start
    return {"entries": created, "ats": n_ats, "providers": n_providers,
            "build_s": round(elapsed, 1), "entries_per_s": round(created / elapsed, 1)}


def serve(directory, port, threads):
    import logging

    import waitress

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    waitress.serve(make_app(directory), host="127.0.0.1", port=port, threads=threads,
                   _quiet=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--ats", type=int, default=45)
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument("--waitress-threads", type=int, default=4)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve, args.port, args.threads)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-catalogue-"))
    dbdir = workdir / "db"
    dbdir.mkdir()
    result = {"python": sys.version.split()[0], "cpus": os.cpu_count(),
              "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        log(f"building {args.entries} entries in {args.ats} ATS ...")
        app = make_app(dbdir)
        result["build"] = build(app, args.entries, args.ats)
        log(json.dumps(result["build"]))
        app.registry._zodb_databases[""].close()
        proc, base = start_server(__file__, dbdir, args.waitress_threads, "/catalogo")
        searches = {
            "first_page": "/catalogo",
            "words": "/catalogo?q=asilo+nido",
            "ats": "/catalogo?ambito=BA-02",
            "service_age_places": "/catalogo?servizio=asilo-nido&eta=1&posti=1",
            "ats_age_places": "/catalogo?ambito=LE-03&eta=70&posti=1",
        }
        try:
            for key, path in searches.items():
                log(f"wrk -c{args.wrk_connections} -d{args.wrk_seconds}s {base}{path} ...")
                run_wrk(base + path, min(3, args.wrk_seconds), args.wrk_connections, 2,
                        workdir)  # warm the caches
                figures = run_wrk(base + path, args.wrk_seconds, args.wrk_connections, 2,
                                  workdir)
                figures.update(path=path, waitress_threads=args.waitress_threads,
                               connections=args.wrk_connections)
                result[key] = figures
                log(json.dumps(figures))
        finally:
            stop_server(proc)
        result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(result, indent=2), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
