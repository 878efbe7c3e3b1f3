"""Search benchmark: index rate, storage, query latencies for each backend; prints JSON.

    .venv/bin/python bench/search.py --n 10000 [--backend embedded|elasticsearch|both]
        [--es-url http://127.0.0.1:9200]

Without ``--es-url`` an Elasticsearch test server is started (see
tests/unit/catalog/es_server.py). Objects are application-like, with seeded
Italian text; commits every 100 objects.

Each query kind runs twice with different seeded parameters: ``first_pass`` is
the first 200 queries after indexing (index objects still loading from disk
into the ZODB cache: a word nobody searched since the start costs a load of its
postings); then every vocabulary word is searched once (not timed), and the
main figures are 200 new queries in the steady state of a running server.
``--cache-size`` is the ZODB connection cache in objects
(``connection_cache_size`` in the .ini): about five per indexed object keeps
the embedded catalog in memory.
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

import transaction
from pyramid import testing
from ZODB import DB
from ZODB.FileStorage import FileStorage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import VOCABULARY, percentiles, text

from catalog import Eq, Query, get_catalog
from content_types.district import District
from content_types.folder import DistrictFolder, Folder
from content_types.portal_root import Portal
from content_types.security import OWNER, Authenticated, Everyone, set_local_roles
from tests.unit.catalog.conftest import Application

STATES = ("draft", "submitted", "under_review", "funded", "rejected")
MUNICIPALITIES = ("Bari", "Modugno", "Bitonto", "Molfetta", "Giovinazzo", "Terlizzi",
                  "Ruvo di Puglia", "Corato", "Altamura", "Gravina in Puglia")
DISTRICTS = [f"BA-{i:02d}" for i in range(1, 11)]
QUERY_RUNS = 200


def timed(func, runs):
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        func(i)
        samples.append(time.perf_counter() - start)
    return percentiles(samples)


def run(backend, n, es_url, workdir, seed=2025, cache_size=600_000):
    settings = {"catalog.backend": backend}
    if backend == "elasticsearch":
        settings.update({"catalog.elasticsearch.url": es_url,
                         "catalog.elasticsearch.index_prefix": f"bench-{os.getpid()}",
                         "catalog.elasticsearch.worker": "process",
                         "catalog.elasticsearch.batch_size": "1000"})
    config = testing.setUp(settings=settings)
    config.include("content_types")
    config.add_content_type("TestApplication", Application, title="Domanda",
                            addable_to=("Folder",),
                            catalog_attributes=("title", "description", "body",
                                                "attachment_text"))
    config.include("catalog.subscribers")
    path = Path(workdir) / f"{backend}.fs"
    db = DB(FileStorage(str(path)), cache_size=cache_size)
    conn = db.open()
    root = conn.root()["app_root"] = Portal(title="Portale")
    ambiti = root.add("ambiti", DistrictFolder(title="Ambiti"), registry=config.registry)
    folders = []
    for code in DISTRICTS:
        district = ambiti.add(code.lower(), District(title=f"Ambito {code}", code=code),
                               registry=config.registry)
        folders.append(district.add("domande", Folder(title="Domande"), registry=config.registry))
    transaction.commit()
    catalog = get_catalog(root, config.registry)
    rnd = random.Random(seed)
    citizens = [f"cittadino{i}" for i in range(max(1, n // 5))]
    start = time.perf_counter()
    for i in range(n):
        owner = rnd.choice(citizens)
        app = Application(title=f"Domanda {rnd.choice(VOCABULARY)} {i}",
                          body=text(rnd, rnd.randint(80, 160), VOCABULARY), creator=f"user:{owner}",
                          municipality=rnd.choice(MUNICIPALITIES), state=rnd.choice(STATES))
        set_local_roles(app, f"user:{owner}", {OWNER})
        rnd.choice(folders).add(f"d{i}", app, registry=config.registry)
        if i % 100 == 99:
            transaction.commit()
    transaction.commit()
    catalog.flush(timeout=3600)
    transaction.begin()
    elapsed = time.perf_counter() - start
    db.pack()
    size = path.stat().st_size
    anon = (Everyone,)
    officer = (Everyone, Authenticated, "user:rita", "role:region_officer")

    def citizen(i):
        return (Everyone, Authenticated, f"user:{citizens[i % len(citizens)]}", "role:citizen")

    def word_queries(rnd):
        return [" ".join(rnd.sample(VOCABULARY, rnd.choice((1, 2)))) for _ in range(QUERY_RUNS)]

    passes = {"first": (word_queries(random.Random(seed + 2)), 3),
              "steady": (word_queries(random.Random(seed + 1)), 0)}
    current = {}

    def field_query(i):
        i += current["shift"]
        who = anon if i % 2 else citizen(i)
        q = Query(filters=(Eq("type_name", "TestApplication"),
                           Eq("ancestors", f"/ambiti/{DISTRICTS[i % 10].lower()}/domande"),
                           Eq("state", STATES[i % len(STATES)])),
                  sort="created", reverse=True, limit=50)
        catalog.search(q, who)

    def field_query_officer(i):
        i += current["shift"]
        q = Query(filters=(Eq("type_name", "TestApplication"),
                           Eq("ancestors", f"/ambiti/{DISTRICTS[i % 10].lower()}/domande"),
                           Eq("state", STATES[i % len(STATES)])),
                  sort="created", reverse=True, limit=50)
        catalog.search(q, officer)

    def full_text(i):
        who = officer if i % 2 else citizen(i + current["shift"])
        catalog.search(Query(text=current["words"][i], limit=20), who)

    def faceted(i):
        catalog.search(Query(filters=(Eq("type_name", "TestApplication"),),
                             text=current["words"][i] if i % 2 else "", limit=20,
                             facets=("type_name", "state", "district", "municipality", "year")),
                       officer)

    kinds = {"field_query": field_query, "field_query_officer": field_query_officer,
             "full_text": full_text, "faceted": faceted}
    timings = {}
    for name, (words, shift) in passes.items():
        if name == "steady":  # every word read once since the start, as on a busy server
            for word in VOCABULARY:
                catalog.search(Query(text=word, limit=20), officer)
        current.update(words=words, shift=shift)
        timings[name] = {kind: timed(func, QUERY_RUNS) for kind, func in kinds.items()}
    figures = {
        "backend": backend, "objects": n,
        "index_rate_objects_per_s": round(n / elapsed, 1),
        "bytes_per_object": round(size / n),
        **timings["steady"],
        "first_pass": timings["first"],
        "zodb_cache_objects": cache_size,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    start = time.perf_counter()
    catalog.rebuild()
    transaction.commit()
    figures["reindex_s"] = round(time.perf_counter() - start, 2)
    if backend == "elasticsearch":
        from catalog.elastic import client_for, drop
        drop(client_for(config.registry), settings["catalog.elasticsearch.index_prefix"])
        client_for(config.registry).close()
    conn.close()
    db.close()
    testing.tearDown()
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--backend", choices=("embedded", "elasticsearch", "both"),
                        default="both")
    parser.add_argument("--es-url")
    parser.add_argument("--cache-size", type=int, default=600_000,
                        help="ZODB connection cache, in objects")
    args = parser.parse_args(argv)
    if args.n < 1 or args.cache_size < 1000:
        parser.error("--n deve essere almeno 1 e --cache-size almeno 1000")
    workdir = tempfile.mkdtemp(prefix="portal-bench-")
    server = None
    try:
        results = []
        for backend in (("embedded", "elasticsearch") if args.backend == "both"
                        else (args.backend,)):
            url = args.es_url
            if backend == "elasticsearch" and not url:
                from tests.unit.catalog.es_server import ElasticsearchServer
                server = ElasticsearchServer.obtain(tempfile.mkdtemp(prefix="portal-es-"))
                server.start()
                url = server.url
            figures = run(backend, args.n, url, workdir, cache_size=args.cache_size)
            if server is not None:
                figures["server"] = f"elasticsearch {server.version}"
            print(json.dumps(figures), flush=True)
            results.append(figures)
    finally:
        if server is not None:
            server.stop()
            shutil.rmtree(server.workdir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
