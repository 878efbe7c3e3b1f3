"""The officer's queue of attestations as catalog queries: never a walk of the tree.

Like the applications' queue, every query reads personal data (``personal=True``):
only entries whose ``allowed_personal`` names one of the principals, so an officer of
another ATS finds and counts nothing here. The provider is a ``service_paths`` filter;
the month has no index of its own, so with a month the entries of the ATS (stored
fields only, no object loaded) are filtered by the last name of their path.
"""
from dataclasses import dataclass, field

from catalog import Eq, In, Query
from catalog.entry import resource_path
from catalog.query import MAX_LIMIT
from portal.applications.queues import load
from workflows import attestation as wf

ATTESTATION = "Attestation"
PAGE_SIZE = 25
#: what reaches the officer: sent onwards (the provider's draft and the signed one do not)
QUEUE_STATES = (wf.SENT, wf.VALIDATED, wf.REJECTED, wf.PAID)


@dataclass(frozen=True)
class Criteria:
    """``provider_path``: ``/catalogo/<provider>``; ``month``: «2026-10»."""

    state: str = wf.SENT
    provider_path: str = ""
    month: str = ""
    page: int = 1
    size: int = PAGE_SIZE


@dataclass
class QueuePage:
    total: int  # matching the filters, every queue state
    shown: int  # matching the state too
    items: list
    counts: dict = field(default_factory=dict)


def base_filters(district, criteria):
    filters = [Eq("type_name", ATTESTATION), Eq("ancestors", resource_path(district)),
               In("state", QUEUE_STATES)]
    if criteria.provider_path:
        filters.append(Eq("service_paths", criteria.provider_path))
    return tuple(filters)


def review_queue(catalog, principals, district, criteria):
    """One page of the chosen state, with the counts per state of the other filters."""
    base = base_filters(district, criteria)
    start = (criteria.page - 1) * criteria.size
    if criteria.month:
        return _by_month(catalog, principals, base, criteria, start)
    counted = catalog.search(Query(filters=base, facets=("state",), limit=0, snippets=False,
                                   personal=True), principals)
    filters = (*base, Eq("state", criteria.state)) if criteria.state else base
    page = catalog.search(Query(filters=filters, sort="protocol", start=start,
                                limit=criteria.size, snippets=False, personal=True), principals)
    return QueuePage(counted.total, page.total, load(catalog.root, page),
                     dict(counted.facets["state"]))


def _hits(catalog, principals, filters):
    """Every hit of ``filters`` (stored fields only), by protocol, in pages of the maximum."""
    start = 0
    while True:
        results = catalog.search(Query(filters=filters, sort="protocol", start=start,
                                       limit=MAX_LIMIT, snippets=False, personal=True),
                                 principals)
        yield from results.items
        start += MAX_LIMIT
        if start >= results.total or not results.items:
            return


def _by_month(catalog, principals, base, criteria, start):
    suffix = "/" + criteria.month
    hits = [h for h in _hits(catalog, principals, base) if h.path.endswith(suffix)]
    counts = {}
    for hit in hits:
        counts[hit.state] = counts.get(hit.state, 0) + 1
    chosen = [h for h in hits if not criteria.state or h.state == criteria.state]
    page = _Page(chosen[start:start + criteria.size])
    return QueuePage(len(hits), len(chosen), load(catalog.root, page), counts)


@dataclass
class _Page:
    items: list


def sent_count(catalog, principals, district, state=wf.SENT):
    """How many attestations of this ATS in ``state`` (sent: waiting for validation) they read."""
    results = catalog.search(Query(filters=(Eq("type_name", ATTESTATION),
                                            Eq("ancestors", resource_path(district)),
                                            Eq("state", state)),
                                   limit=0, snippets=False, personal=True), principals)
    return results.total


def chosen(catalog, principals, district, uids):
    """The sent attestations of this ATS among ``uids`` that the principals may read."""
    if not uids:
        return []
    results = catalog.search(Query(filters=(Eq("type_name", ATTESTATION),
                                            Eq("ancestors", resource_path(district)),
                                            In("uid", tuple(uids))),
                                   sort="protocol", limit=len(uids), snippets=False,
                                   personal=True), principals)
    return load(catalog.root, results)
