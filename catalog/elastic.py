"""The Elasticsearch backend: versioned mappings behind aliases, fed by the outbox.

Layout for ``index_prefix`` P: concrete indexes ``P-v<MAPPING_VERSION>-<stamp>``;
reads go to alias ``P``, writes to every index of alias ``P-write`` (two of
them while ``migrate`` copies into a new one), so mappings change without
downtime. Tokens arrive pre-analysed (see ``catalog.analysis``) and ES only
splits them on whitespace.
"""
import threading
import time

import transaction
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from pyramid.events import ApplicationCreated

from catalog.entry import STORED, descendants, make_entry
from catalog.errors import CatalogError, SearchUnavailable
from catalog.interface import Catalog
from catalog.outbox import OutboxWorker, drain, get_outbox
from catalog.query import (
    MAX_FACET_VALUES,
    Eq,
    Hit,
    In,
    Range,
    Results,
    from_micros,
    normalize_value,
    query_tokens_for,
)
from catalog.settings import setting
from content_types.i18n import _

MAPPING_VERSION = 3
KEYWORDS = ("uid", "path", "parent", "ancestors", "type_name", "title_sort", "state",
            "district", "municipality", "allowed", "service_type", "protocol", "service_paths",
            "beneficiary_fiscal_code", "beneficiary_words", "actors", "allowed_personal")
#: the permission filter of ordinary queries, and of queries on personal data
PERMISSION_FIELD = {False: "allowed", True: "allowed_personal"}
MAPPING = {
    "dynamic": "strict",
    "_meta": {"mapping_version": MAPPING_VERSION},
    "properties": {
        **{name: {"type": "keyword"} for name in KEYWORDS},
        "title": {"type": "keyword", "index": False, "doc_values": False},
        "docid": {"type": "long"},
        "year": {"type": "long"},
        "created": {"type": "long"},
        "modified": {"type": "long"},
        "age_min_months": {"type": "long"},
        "age_max_months": {"type": "long"},
        "has_free_places": {"type": "long"},
        "text": {"type": "text", "analyzer": "whitespace", "norms": True},
    },
}
INDEX_SETTINGS = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    # tombstones of deletes outlive a migration, so a late copy cannot revive them
    "gc_deletes": "1h",
}
SORT_FIELD = {"title": "title_sort"}
UNAVAILABLE = "La ricerca non è al momento disponibile; riprovare tra poco."


class IndexingError(CatalogError):
    code = "indexing_failed"
    http_status = 503


# -- client and index layout ------------------------------------------------
def make_client(settings):
    return Elasticsearch(
        setting(settings, "catalog.elasticsearch.url"),
        request_timeout=float(setting(settings, "catalog.elasticsearch.timeout")),
        max_retries=0, retry_on_timeout=False,
    )


def client_for(registry):
    """One client per application (it is thread-safe)."""
    client = getattr(registry, "_catalog_es_client", None)
    if client is None:
        # our own cache on the registry, one client per application
        client = registry._catalog_es_client = make_client(registry.settings)  # noqa: SLF001
    return client


def write_alias(prefix):
    return f"{prefix}-write"


def _new_index_name(prefix):
    return f"{prefix}-v{MAPPING_VERSION}-{time.time_ns()}"


def _create_index(client, name):
    client.indices.create(index=name, mappings=MAPPING, settings=INDEX_SETTINGS)


def ensure_index(client, prefix):
    """Create the first index and both aliases unless the read alias exists."""
    if client.indices.exists_alias(name=prefix):
        return
    name = _new_index_name(prefix)
    _create_index(client, name)
    client.indices.update_aliases(actions=[
        {"add": {"index": name, "alias": prefix}},
        {"add": {"index": name, "alias": write_alias(prefix)}},
    ])


def write_targets(client, prefix):
    try:
        return sorted(client.indices.get_alias(name=write_alias(prefix)))
    except NotFoundError:
        ensure_index(client, prefix)
        return sorted(client.indices.get_alias(name=write_alias(prefix)))


def read_indexes(client, prefix):
    try:
        return sorted(client.indices.get_alias(name=prefix))
    except NotFoundError:
        return []


def drop(client, prefix):
    """Delete every index of ``prefix`` (tests, full rebuilds)."""
    names = set(read_indexes(client, prefix))
    try:
        names |= set(client.indices.get_alias(name=write_alias(prefix)))
    except NotFoundError:
        pass
    if names:
        client.indices.delete(index=",".join(sorted(names)))


def bulk_operations(items, targets):
    """Bulk body for outbox items ``[(seq, (uid, entry))]``: the latest per uid wins."""
    latest = {}
    for seq, (uid, entry) in items:
        if uid not in latest or seq > latest[uid][0]:  # lanes interleave: the newest wins
            latest[uid] = (seq, entry)
    ops = []
    for uid, (seq, entry) in latest.items():
        for index in targets:
            meta = {"_index": index, "_id": uid, "version": seq, "version_type": "external"}
            if entry is None:
                ops.append({"delete": meta})
            else:
                ops.append({"index": meta})
                ops.append(entry)
    return ops


def check_bulk(response):
    """Raise unless every item was applied or already superseded (409) / gone (404)."""
    if not response.get("errors"):
        return
    for item in response["items"]:
        action, result = next(iter(item.items()))
        status = result.get("status", 500)
        if status < 300 or status == 409 or (action == "delete" and status == 404):
            continue
        raise IndexingError(
            _("Indicizzazione non riuscita."), status=status, error=result.get("error"))


def make_sender(client, prefix, refresh=False):
    """``send(items)`` for the outbox drain: one bulk request to every write target."""

    def send(items):
        try:
            ops = bulk_operations(items, write_targets(client, prefix))
            if ops:
                check_bulk(client.bulk(operations=ops, refresh=refresh))
        except (TransportError, ApiError) as exc:
            raise SearchUnavailable(UNAVAILABLE, reason=str(exc)) from exc

    return send


# -- migration without downtime -------------------------------------------------
def migrate(client, prefix, root=None, content_registry=None, progress=None, batch_size=500):
    """Copy into a fresh index with the current mapping, then swap the aliases.

    New writes go to old and new index while the copy runs. With ``root`` the
    copy is rebuilt from ZODB (documents get version 1, so any queued change
    is newer and wins); without it the old index is copied document by
    document with its external versions. Returns the new index name.
    """
    ensure_index(client, prefix)
    old = read_indexes(client, prefix)
    new = _new_index_name(prefix)
    _create_index(client, new)
    client.indices.update_aliases(actions=[{"add": {"index": new, "alias": write_alias(prefix)}}])
    if root is None:
        _copy(client, old, new, batch_size)
    else:
        ops, count = [], 0
        for count, node in enumerate(descendants(root), 1):
            entry = make_entry(node, content_registry)
            ops += [{"index": {"_index": new, "_id": entry["uid"], "version": 1,
                               "version_type": "external"}}, entry]
            if len(ops) >= 2 * batch_size:
                check_bulk(client.bulk(operations=ops))
                ops = []
            if progress is not None:
                progress(count)
        if ops:
            check_bulk(client.bulk(operations=ops))
        client.indices.refresh(index=new)
    actions = [{"add": {"index": new, "alias": prefix}}]
    for name in old:
        actions += [{"remove": {"index": name, "alias": prefix}},
                    {"remove": {"index": name, "alias": write_alias(prefix)}}]
    client.indices.update_aliases(actions=actions)
    if old:
        client.indices.delete(index=",".join(old))
    return new


def _copy(client, sources, dest, batch_size):
    """Copy documents with their external versions (newer writes in ``dest`` win)."""
    for source in sources:
        after = None
        while True:
            page = client.search(index=source, size=batch_size, sort=[{"docid": "asc"}],
                                 version=True, search_after=after,
                                 query={"match_all": {}})["hits"]["hits"]
            if not page:
                break
            ops = []
            for doc in page:
                ops += [{"index": {"_index": dest, "_id": doc["_id"], "version": doc["_version"],
                                   "version_type": "external"}}, doc["_source"]]
            check_bulk(client.bulk(operations=ops))
            after = page[-1]["sort"]
    client.indices.refresh(index=dest)


# -- the worker (one per process and database) -------------------------------------
_workers_lock = threading.Lock()


def worker_for(registry, db):
    """The in-process worker thread for ``db`` (started on first use)."""
    with _workers_lock:
        workers = getattr(registry, "_catalog_workers", None)
        if workers is None:
            workers = registry._catalog_workers = {}  # noqa: SLF001 - our cache on the registry
        worker = workers.get(id(db))
        if worker is None or not worker.is_alive():
            settings = registry.settings
            worker = OutboxWorker(
                db, make_sender(client_for(registry),
                                setting(settings, "catalog.elasticsearch.index_prefix")),
                batch_size=int(setting(settings, "catalog.elasticsearch.batch_size")),
                poll_interval=float(setting(settings, "catalog.elasticsearch.poll_interval")),
            )
            workers[id(db)] = worker
            worker.start()
        return worker


def stop_workers(registry):
    for worker in list(getattr(registry, "_catalog_workers", {}).values()):
        worker.stop()
    registry._catalog_workers = {}  # noqa: SLF001 - our cache on the registry


class ElasticCatalog(Catalog):
    """Queues changes in the outbox; searches the read alias with the user's principals."""

    name = "elasticsearch"

    def __init__(self, root, content_registry, registry):
        super().__init__(root, content_registry)
        self.registry = registry
        self.settings = registry.settings
        self.prefix = setting(self.settings, "catalog.elasticsearch.index_prefix")

    @property
    def client(self):
        return client_for(self.registry)

    # -- writing: only into the outbox, in this transaction ---------------------------
    def _queue(self, uid, entry):
        outbox = get_outbox(self.root, create=True)
        outbox.put(uid, entry)
        if setting(self.settings, "catalog.elasticsearch.worker") != "thread":
            return
        jar = self.root._p_jar
        txn = jar.transaction_manager.get() if jar is not None else transaction.get()
        try:
            txn.data(outbox)
        except KeyError:
            txn.set_data(outbox, True)
            txn.addAfterCommitHook(_after_commit_outbox, args=(self.registry, outbox))

    def index_entry(self, entry):
        self._queue(entry["uid"], entry)

    def apply_unindex(self, uid):
        self._queue(uid, None)

    def clear_entries(self):
        """Start over: drop the indexes and the queue (``rebuild`` refills them)."""
        drop(self.client, self.prefix)
        outbox = get_outbox(self.root)
        if outbox is not None:
            outbox.clear()

    def rebuild(self, progress=None):
        """Rebuild from ZODB into a new index and swap it in (no downtime)."""
        migrate(self.client, self.prefix, root=self.root,
                content_registry=self.content_registry, progress=progress)

    def pending(self):
        self.apply_pending()
        outbox = get_outbox(self.root)
        return len(outbox) if outbox is not None else 0

    def flush(self, timeout=60):
        """Send the committed queue now, with refresh, from this thread."""
        outbox = get_outbox(self.root)
        if outbox is None or outbox._p_oid is None:
            return 0
        send = make_sender(self.client, self.prefix, refresh=True)
        return drain(self.root._p_jar.db(), outbox._p_oid, send,
                     int(setting(self.settings, "catalog.elasticsearch.batch_size")),
                     deadline=time.monotonic() + timeout)

    # -- reading -----------------------------------------------------------------------
    def run_search(self, query, principals):
        body = self.request_body(query, principals)
        try:
            response = self.client.search(index=self.prefix, **body)
        except NotFoundError:
            return Results(total=0, items=[], facets={f: [] for f in query.facets},
                           pending=self.pending())
        except (TransportError, ApiError) as exc:
            raise SearchUnavailable(UNAVAILABLE, reason=str(exc)) from exc
        items = []
        for doc in response["hits"]["hits"]:
            source = doc["_source"]
            data = {name: source.get(name) for name in STORED}
            data["created"] = from_micros(data["created"])
            data["modified"] = from_micros(data["modified"])
            hit = Hit(**data)
            if query.text and doc.get("_score") is not None:
                hit.score = float(doc["_score"])
            items.append(hit)
        facets = {}
        for name in query.facets:
            buckets = response["aggregations"][name]["buckets"]
            facets[name] = [(b["key"], b["doc_count"]) for b in buckets]
        results = Results(total=response["hits"]["total"]["value"], items=items,
                          facets=facets, pending=self.pending())
        return self.add_snippets(results, query)

    def request_body(self, query, principals):
        filters = [{"terms": {PERMISSION_FIELD[query.personal]: sorted(principals)}}]
        for flt in query.filters:
            if isinstance(flt, Eq):
                filters.append({"term": {flt.field: normalize_value(flt.field, flt.value)}})
            elif isinstance(flt, In):
                filters.append({"terms": {flt.field: [normalize_value(flt.field, v)
                                                      for v in flt.values]}})
            elif isinstance(flt, Range):
                bounds = {}
                if flt.min is not None:
                    bounds["gte"] = normalize_value(flt.field, flt.min)
                if flt.max is not None:
                    bounds["lte"] = normalize_value(flt.field, flt.max)
                filters.append({"range": {flt.field: bounds}})
        bool_query = {"filter": filters}
        tokens = query_tokens_for(query)
        if tokens:
            bool_query["must"] = [{"match": {"text": {"query": " ".join(tokens),
                                                      "operator": "and"}}}]
        sort = query.effective_sort
        if sort == "relevance":
            order = [{"_score": "desc"}, {"docid": "asc"}]
        else:
            direction = "desc" if query.reverse else "asc"
            order = [{SORT_FIELD.get(sort, sort): {"order": direction, "missing": "_last"}},
                     {"docid": direction}]
        body = {
            "query": {"bool": bool_query}, "sort": order, "from": query.start,
            "size": query.limit, "track_total_hits": True,
        }
        if query.facets:
            body["aggs"] = {name: {"terms": {
                "field": name, "size": MAX_FACET_VALUES,
                "order": [{"_count": "desc"}, {"_key": "asc"}]}} for name in query.facets}
        return body


def _after_commit_outbox(success, registry, outbox):
    """After commit the outbox has an oid even if it was created in this transaction."""
    if success and outbox._p_oid is not None:
        worker_for(registry, outbox._p_jar.db()).watch(outbox._p_oid)


def start_worker(registry, db):
    """Start the worker at application start so a queue left from before drains."""
    if setting(registry.settings, "catalog.elasticsearch.worker") == "thread":
        return worker_for(registry, db)
    return None


def application_created(event):
    app = event.app
    registry = app.registry
    db = getattr(registry, "_zodb_databases", {}).get("")  # set by pyramid_zodbconn
    if db is not None:
        start_worker(registry, db)


def includeme(config):
    config.add_subscriber(application_created, ApplicationCreated)
