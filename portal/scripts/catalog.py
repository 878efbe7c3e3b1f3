"""Commands: ``portal-reindex CONFIG.ini``, ``portal-search CONFIG.ini "query"``,
``portal-indexer CONFIG.ini`` (the outbox worker as its own process)."""
import argparse
import json
import sys
import time

from pyramid.paster import bootstrap, setup_logging

from catalog.api import get_catalog
from catalog.elastic import client_for, make_sender
from catalog.entry import descendants
from catalog.outbox import drain, get_outbox
from catalog.query import FACETS, Query
from catalog.settings import setting
from content_types.security import Everyone

REBUILD_STATE = "_catalog_rebuild_done"


def _progress(total, out=sys.stderr):
    started = time.monotonic()

    def report(count):
        if count % 500 and count != total:
            return
        width = 30
        done = int(width * count / max(total, 1))
        rate = count / max(time.monotonic() - started, 1e-6)
        out.write(f"\r[{'#' * done}{'.' * (width - done)}] {count}/{total} {rate:.0f} ogg/s")
        out.flush()

    return report


def _count(root):
    return sum(1 for _ in descendants(root))


def reindex_main(argv=None):
    """Rebuild the configured backend from ZODB, with a progress bar.

    The embedded backend commits every ``--batch`` objects and records how far
    it got, so an interrupted run resumes (``--restart`` starts over).
    Elasticsearch rebuilds into a new index and swaps the alias at the end.
    """
    parser = argparse.ArgumentParser(prog="portal-reindex")
    parser.add_argument("config_uri")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--restart", action="store_true")
    args = parser.parse_args(argv)
    setup_logging(args.config_uri)
    with bootstrap(args.config_uri) as env:
        root, request = env["root"], env["request"]
        # the app's connection belongs to the request's (explicit) transaction manager
        tm = request.tm
        tm.begin()
        catalog = get_catalog(root, request.registry)
        total = _count(root)
        progress = _progress(total)
        if catalog.name == "elasticsearch":
            catalog.rebuild(progress=progress)
        else:
            _resumable_embedded(root, catalog, args, progress, tm)
        tm.commit()
        sys.stderr.write("\n")
    return 0


def _resumable_embedded(root, catalog, args, progress, tm):
    done = 0 if args.restart else getattr(root, REBUILD_STATE, 0)
    if not done:
        catalog.clear()
    for count, node in enumerate(descendants(root), 1):
        if count <= done:
            continue
        catalog.apply_index(node)
        progress(count)
        if count % args.batch == 0:
            setattr(root, REBUILD_STATE, count)
            tm.commit()
            tm.begin()
    if hasattr(root, REBUILD_STATE):
        delattr(root, REBUILD_STATE)


def search_main(argv=None):
    """Print JSON results of a query, as anonymous unless ``--principal`` is given."""
    parser = argparse.ArgumentParser(prog="portal-search")
    parser.add_argument("config_uri")
    parser.add_argument("text")
    parser.add_argument("--principal", action="append", default=[])
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args(argv)
    with bootstrap(args.config_uri) as env:
        root, request = env["root"], env["request"]
        query = Query(text=args.text, limit=args.limit, facets=FACETS)
        results = get_catalog(root, request.registry).search(
            query, [Everyone, *args.principal])
        print(json.dumps(results.as_json(), indent=2, ensure_ascii=False))
    return 0


def indexer_main(argv=None):
    """Drain the Elasticsearch outbox forever (set catalog.elasticsearch.worker = process)."""
    parser = argparse.ArgumentParser(prog="portal-indexer")
    parser.add_argument("config_uri")
    parser.add_argument("--once", action="store_true", help="drain once and exit")
    args = parser.parse_args(argv)
    setup_logging(args.config_uri)
    with bootstrap(args.config_uri) as env:
        root, registry = env["root"], env["request"].registry
        settings = registry.settings
        tm = env["request"].tm
        tm.begin()
        outbox = get_outbox(root, create=True)
        tm.commit()
        db, oid = root._p_jar.db(), outbox._p_oid
        send = make_sender(client_for(registry),
                           setting(settings, "catalog.elasticsearch.index_prefix"))
        batch = int(setting(settings, "catalog.elasticsearch.batch_size"))
        poll = float(setting(settings, "catalog.elasticsearch.poll_interval"))
        while True:
            try:
                drain(db, oid, send, batch)
            except Exception as exc:  # noqa: BLE001 - server down: keep the queue
                sys.stderr.write(f"outbox not drained: {exc}\n")
            if args.once:
                return 0
            time.sleep(poll)
