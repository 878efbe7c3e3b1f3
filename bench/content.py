"""Content benchmark: creation rate and size, page render times, HTTP load; prints JSON.

    .venv/bin/python bench/content.py [--objects 10000] [--containers 10]
        [--commit-every 100] [--renders 200] [--wrk-seconds 30]
        [--wrk-connections 16] [--skip-http] [--profile]
        [--skip-workflow | --only-workflow] [--queries 500]

Everything runs on the real application (``portal.main``) over a FileStorage in
a temporary directory, removed at the end. Pages are created as the app does:
through ``Container.add`` in ``request.tm`` with the app's registry active, so
the ObjectAdded subscribers run; the creator gets the local "owner" role. The
HTTP part serves the same database with waitress (4 threads) in a subprocess
and loads it with wrk. ``--profile`` adds cProfile tables (stderr) of the item
and listing requests. Progress goes to stderr, the figures to stdout.

The workflow part (``workflow``) builds a second database of ``BenchDocument``s
(bench/_publication.py: a publication workflow, private -> published) in the
same number of folders, filled one after the other (the oldest folder's documents
are the furthest from the newest modification): (b) the creation rate with the
workflow, then every document is published in creation order, then (a) the
sorted field query of a public listing (type + folder + state, newest
modification first, top 50, as anonymous), median and p95, run in process
through the catalog.
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    VOCABULARY,
    log,
    percentiles,
    run_wrk,
    start_server,
    stop_server,
    text,
)

SEED = 2025
WARMUP = 5
TARGET = {"requests_per_s": 230, "p95_ms": 100}
WORKFLOW_TARGET = {"sorted_query_p95_ms": 4, "creation_objects_per_s": 400}


def make_settings(directory, includes=""):
    """The settings of development.ini, pointed at ``directory``."""
    return {
        "portal.includes": includes,
        "zodbconn.uri": (
            f"file://{directory}/Data.fs?blobstorage_dir={directory}/blobs"
            "&connection_cache_size=50000&connection_pool_size=8"
        ),
        "portal.session_secret": "bench-secret-not-for-production-0123456789",
        "retry.attempts": "3",
        "pyramid.reload_templates": "false",
    }


def make_app(directory, includes=""):
    from portal import main

    return main({}, **make_settings(directory, includes))


def close_app(app):
    app.registry._zodb_databases[""].close()


# -- 1. creation ------------------------------------------------------------------
def create_content(app, directory, objects, containers, commit_every, type_name="Page",
                   round_robin=True):
    """Folders under /documenti, then ``type_name`` pages in them (round-robin, or filling
    one folder after the other); timings and sizes."""
    from pyramid.scripting import prepare
    from pyramid_zodbconn import get_connection

    from content_types.registry import get_content_registry
    from content_types.security import OWNER, set_local_roles

    types = get_content_registry(app.registry)
    folder_info, page_info = types.get("Folder"), types.get(type_name)
    db = app.registry._zodb_databases[""]
    data_fs = Path(directory) / "Data.fs"
    creator = "redattore"
    rnd = random.Random(SEED)
    env = prepare(registry=app.registry)
    try:
        request = env["request"]
        with request.tm:
            documenti = get_connection(request).root()["portal"]["documenti"]
            folder_names = []
            for c in range(containers):
                folder = folder_info.factory(title=f"Cartella {c + 1}", creator=creator)
                set_local_roles(folder, "user:" + creator, {OWNER})
                name = documenti.choose_name(folder.title)
                documenti.add(name, folder, registry=app.registry)
                folder_names.append(name)
        db.pack()
        size_before = data_fs.stat().st_size
        item_paths = {}
        # the seeded texts are made first: the timer measures the portal, not ``random``
        texts = [(f"Pagina {i + 1}: {' '.join(rnd.sample(VOCABULARY, 3))}", text(rnd, 100))
                 for i in range(objects)]
        start = time.perf_counter()
        cpu_start = time.process_time()
        done = 0
        while done < objects:
            batch = min(commit_every, objects - done)
            with request.tm:
                documenti = get_connection(request).root()["portal"]["documenti"]
                for i in range(done, done + batch):
                    folder_name = folder_names[
                        i % containers if round_robin else i * containers // objects]
                    folder = documenti[folder_name]
                    title, body = texts[i]
                    page = page_info.factory(title=title, creator=creator)
                    page.set_data({"body": body, "description": ""})
                    set_local_roles(page, "user:" + creator, {OWNER})
                    name = folder.choose_name(page.title)
                    folder.add(name, page, registry=app.registry)
                    item_paths.setdefault(folder_name, name)
            done += batch
            if done % max(commit_every, objects // 10) == 0 or done == objects:
                log(f"  created {done}/{objects}")
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    finally:
        env["closer"]()
    size_raw = data_fs.stat().st_size
    start = time.perf_counter()
    db.pack()
    pack_s = time.perf_counter() - start
    size_packed = data_fs.stat().st_size
    figures = {
        "objects": objects, "containers": containers, "commit_every": commit_every,
        "seconds": round(elapsed, 2),
        "objects_per_s": round(objects / elapsed, 1),
        # this process's CPU time: less skewed than the wall clock by a loaded machine
        "cpu_seconds": round(cpu, 2),
        "objects_per_cpu_s": round(objects / cpu, 1),
        "bytes_per_object_raw": round((size_raw - size_before) / objects),
        "bytes_per_object_packed": round((size_packed - size_before) / objects),
        "data_fs_bytes_raw": size_raw, "data_fs_bytes_packed": size_packed,
        "pack_s": round(pack_s, 2),
    }
    listing_path = f"/documenti/{folder_names[0]}"
    item_path = f"{listing_path}/{item_paths[folder_names[0]]}"
    figures["folder_names"] = folder_names
    return figures, listing_path, item_path


# -- 1b. a type with a publication workflow: creation, publication, sorted listing -----
def workflow_part(directory, objects, containers, commit_every, queries):
    """(b) creation rate with a workflow, publication of all, (a) the sorted query."""
    from pyramid.scripting import prepare
    from pyramid_zodbconn import get_connection

    import workflows
    from catalog import Eq, Query, get_catalog
    from content_types.security import Everyone

    app = make_app(directory, includes="_publication")
    try:
        creation, _listing, _item = create_content(
            app, directory, objects, containers, commit_every, type_name="BenchDocument",
            round_robin=False)
        folders = creation.pop("folder_names")
        env = prepare(registry=app.registry)
        request = env["request"]
        try:
            with request.tm:
                documenti = get_connection(request).root()["portal"]["documenti"]
                # in creation order, as an editor would
                order = [(name, child) for name in folders for child in documenti[name]]
            start, cpu_start = time.perf_counter(), time.process_time()
            published = 0
            for first in range(0, objects, commit_every):
                with request.tm:
                    documenti = get_connection(request).root()["portal"]["documenti"]
                    for folder_name, name in order[first:first + commit_every]:
                        workflows.fire(documenti[folder_name][name], None, "publish",
                                       registry=app.registry)
                        published += 1
            publish_s = time.perf_counter() - start
            publish_cpu = time.process_time() - cpu_start
            anonymous = (Everyone,)
            samples, cpu_samples, hits = [], [], None
            with request.tm:
                root = get_connection(request).root()["portal"]
                catalog = get_catalog(root, app.registry)

                def query(i):
                    return Query(filters=(
                        Eq("type_name", "BenchDocument"),
                        Eq("ancestors", f"/documenti/{folders[i % containers]}"),
                        Eq("state", "published"),
                    ), sort="modified", reverse=True, limit=50, snippets=False)

                for i in range(WARMUP * containers):
                    catalog.search(query(i), anonymous)
                for i in range(queries):
                    q = query(i)
                    began, cpu_began = time.perf_counter(), time.process_time()
                    results = catalog.search(q, anonymous)
                    samples.append(time.perf_counter() - began)
                    cpu_samples.append(time.process_time() - cpu_began)
                    hits = len(results.items), results.total
                    dates = [hit.modified for hit in results.items]
                    assert dates == sorted(dates, reverse=True), "not sorted"
        finally:
            env["closer"]()
    finally:
        close_app(app)
    query_figures = percentiles(samples)
    query_figures.update({f"cpu_{k}": v for k, v in percentiles(cpu_samples).items()
                          if k != "runs"})
    return {
        "creation": creation,
        "publication": {"published": published, "seconds": round(publish_s, 2),
                        "transitions_per_s": round(published / publish_s, 1),
                        "transitions_per_cpu_s": round(published / publish_cpu, 1)},
        "sorted_query": {
            "query": "type + folder + state=published, sort modified desc, top 50, anonymous",
            **query_figures, "page_items": hits[0], "total_matches": hits[1],
        },
        "target": WORKFLOW_TARGET,
        "meets_target": bool(
            query_figures["p95_ms"] <= WORKFLOW_TARGET["sorted_query_p95_ms"]
            and creation["objects_per_s"] >= WORKFLOW_TARGET["creation_objects_per_s"]),
    }


# -- 2. in-process renders ------------------------------------------------------------
def time_renders(testapp, path, runs):
    for _ in range(WARMUP):
        testapp.get(path, status=200)
    samples = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = testapp.get(path, status=200)
        samples.append(time.perf_counter() - start)
        size = len(response.body)
    return {"path": path, **percentiles(samples), "response_bytes": size}


def profile_renders(testapp, path, runs, label):
    """cProfile ``runs`` GETs of ``path``; the top of the table goes to stderr."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        testapp.get(path, status=200)
    profiler.disable()
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(40)
        log(f"\n===== profile {label} {path} ({runs} requests) sorted by {sort} =====")
        log(out.getvalue())


# -- 3. HTTP load ---------------------------------------------------------------------
def serve(directory, port, threads):
    """Subprocess entry: the app over ``directory`` served by waitress."""
    import logging

    import waitress

    # "Task queue depth" warnings are expected: wrk keeps more connections than threads
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app = make_app(directory)
    waitress.serve(app, host="127.0.0.1", port=port, threads=threads, _quiet=True)


def load(base, path, seconds, connections, workdir):
    url = base + path
    run_wrk(url, min(3, seconds), connections, 2, workdir)  # warm the ZODB caches
    figures = run_wrk(url, seconds, connections, 2, workdir)
    figures["path"] = path
    figures["meets_target"] = bool(
        figures.get("requests_per_s") and figures["requests_per_s"] >= TARGET["requests_per_s"]
        and figures.get("p95_ms") is not None and figures["p95_ms"] <= TARGET["p95_ms"]
        and not figures["non_2xx_3xx"]
    )
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--containers", type=int, default=10)
    parser.add_argument("--commit-every", type=int, default=100)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--wrk-seconds", type=int, default=30)
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument("--waitress-threads", type=int, default=4)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="also print cProfile tables of the renders to stderr")
    parser.add_argument("--queries", type=int, default=500,
                        help="timed runs of the sorted field query (workflow part)")
    parts = parser.add_mutually_exclusive_group()
    parts.add_argument("--skip-workflow", action="store_true",
                       help="leave out the publication-workflow part")
    parts.add_argument("--only-workflow", action="store_true",
                       help="run only the publication-workflow part")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve, args.port, args.threads)
    if min(args.objects, args.containers, args.commit_every, args.queries) < 1:
        parser.error("--objects, --containers, --commit-every and --queries must be positive")

    import webtest

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-content-"))
    dbdir = workdir / "db"
    dbdir.mkdir()
    # other processes on the machine skew the figures: the load average tells
    result = {"python": sys.version.split()[0], "cpus": os.cpu_count(),
              "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        if not args.skip_workflow:
            wfdir = workdir / "workflow"
            wfdir.mkdir()
            log(f"workflow part: {args.objects} documents in {args.containers} folders ...")
            result["workflow"] = workflow_part(wfdir, args.objects, args.containers,
                                               args.commit_every, args.queries)
            log(json.dumps(result["workflow"]))
        if args.only_workflow:
            result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
            print(json.dumps(result, indent=2), flush=True)
            return 0
        log(f"creating {args.objects} pages in {args.containers} folders ...")
        app = make_app(dbdir)
        result["creation"], listing_path, item_path = create_content(
            app, dbdir, args.objects, args.containers, args.commit_every)
        del result["creation"]["folder_names"]
        log(json.dumps(result["creation"]))
        testapp = webtest.TestApp(app)
        log(f"rendering {listing_path} and {item_path} {args.renders} times ...")
        result["render_listing"] = time_renders(testapp, listing_path, args.renders)
        result["render_item"] = time_renders(testapp, item_path, args.renders)
        log(json.dumps({k: result[k] for k in ("render_listing", "render_item")}))
        if args.profile:
            profile_renders(testapp, item_path, args.renders, "item")
            profile_renders(testapp, listing_path, args.renders, "listing")
        close_app(app)  # the FileStorage lock passes to the server process
        if not args.skip_http:
            proc, base = start_server(__file__, dbdir, args.waitress_threads)
            try:
                for key, path in (("http_item", item_path), ("http_listing", listing_path)):
                    log(f"wrk -c{args.wrk_connections} -d{args.wrk_seconds}s {base}{path} ...")
                    result[key] = load(base, path, args.wrk_seconds, args.wrk_connections,
                                       workdir)
                    result[key]["waitress_threads"] = args.waitress_threads
                    log(json.dumps(result[key]))
            finally:
                stop_server(proc)
        result["target"] = TARGET
        result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(result, indent=2), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
