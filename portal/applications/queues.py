"""The officers' and providers' queues as catalog queries: never a walk of the tree.

Every query is permission-filtered like the search: the review queue reads
personal data (``Query(personal=True)``: only entries whose ``allowed_personal``
names one of the principals), the provider's queue does not. Counts per state
come from the same filters, so nobody counts what they may not see.
"""
from dataclasses import dataclass, field

from pyramid.traversal import find_resource

import workflows.application as wf
from catalog import Eq, In, Query
from catalog.entry import name_words, resource_path
from portal.applications.rules.queue_search import FISCAL_CODE_KIND, NAME_KIND, PROTOCOL_KIND

APPLICATION = "Application"
PAGE_SIZE = 25
#: every state but the family's draft: what reaches an officer or a provider
SUBMITTED_STATES = tuple(s.name for s in wf.STATES if s.name != wf.DRAFT)


@dataclass(frozen=True)
class Criteria:
    """What the queue page asks: ``call_path`` is the path of ``domande/<call>``."""

    state: str = ""
    call_path: str = ""
    search: object = None  # rules.queue_search.Search
    mine: str = ""         # a login: only applications this user acted on
    page: int = 1
    size: int = PAGE_SIZE


@dataclass
class QueuePage:
    """One page of applications (objects) with the counts of the unfiltered-by-state set."""

    total: int                    # matching, every state but the draft
    shown: int                    # matching the state filter too
    items: list
    counts: dict = field(default_factory=dict)  # state -> count


def search_filters(search):
    """Exact filters for what the search box holds (an unusable name matches nothing)."""
    if search is None:
        return ()
    if search.kind == PROTOCOL_KIND:
        return (Eq("protocol", search.value),)
    if search.kind == FISCAL_CODE_KIND:
        return (Eq("beneficiary_fiscal_code", search.value),)
    assert search.kind == NAME_KIND  # noqa: S101 - the kinds are the three above
    words = name_words(search.value)
    if not words:
        return (In("uid", ()),)
    return tuple(Eq("beneficiary_words", word) for word in words)


def review_filters(district, criteria):
    """The queue's filters except the state: this ATS's submitted applications."""
    filters = [Eq("type_name", APPLICATION), Eq("ancestors", resource_path(district))]
    if criteria.call_path:
        filters.append(Eq("parent", criteria.call_path))
    if criteria.mine:
        filters.append(Eq("actors", criteria.mine))
    filters.extend(search_filters(criteria.search))
    return tuple(filters)


def review_queue(catalog, principals, district, criteria):
    """The officer's queue page: counts per state, then the page of the chosen state."""
    base = review_filters(district, criteria)
    start = (criteria.page - 1) * criteria.size
    everything = Query(filters=(*base, In("state", SUBMITTED_STATES)), facets=("state",),
                       sort="protocol", start=start, limit=criteria.size, snippets=False,
                       personal=True)
    if not criteria.state:  # one query gives the counts and the page
        results = catalog.search(everything, principals)
        counts = dict(results.facets["state"])
        return QueuePage(results.total, results.total, load(catalog.root, results), counts)
    counted = catalog.search(Query(filters=everything.filters, facets=("state",), limit=0,
                                   snippets=False, personal=True), principals)
    page = catalog.search(Query(filters=(*base, Eq("state", criteria.state)), sort="protocol",
                                start=start, limit=criteria.size, snippets=False,
                                personal=True), principals)
    return QueuePage(counted.total, page.total, load(catalog.root, page),
                     dict(counted.facets["state"]))


def state_counts(catalog, principals, district):
    """``{state: count}`` of this ATS's submitted applications the principals may review."""
    results = catalog.search(Query(filters=(*review_filters(district, Criteria()),
                                            In("state", SUBMITTED_STATES)),
                                   facets=("state",), limit=0, snippets=False, personal=True),
                             principals)
    return dict(results.facets["state"])


def chosen(catalog, principals, district, uids):
    """The applications of this ATS among ``uids`` that the principals may review."""
    if not uids:
        return []
    results = catalog.search(Query(filters=(Eq("type_name", APPLICATION),
                                            Eq("ancestors", resource_path(district)),
                                            In("uid", tuple(uids))),
                                   sort="protocol", limit=len(uids), snippets=False,
                                   personal=True), principals)
    return load(catalog.root, results)


def provider_queue(catalog, principals, provider, page=1, size=PAGE_SIZE):
    """Submitted applications choosing a service of ``provider`` that the principals may view."""
    results = catalog.search(Query(filters=(Eq("type_name", APPLICATION),
                                            Eq("service_paths", resource_path(provider)),
                                            In("state", SUBMITTED_STATES)),
                                   facets=("state",), sort="protocol", start=(page - 1) * size,
                                   limit=size, snippets=False), principals)
    return QueuePage(results.total, results.total, load(catalog.root, results),
                     dict(results.facets["state"]))


def load(root, results):
    """The objects of a results page (one removed since it was indexed is left out)."""
    found = []
    for hit in results.items:
        try:
            found.append(find_resource(root, hit.path))
        except KeyError:
            continue
    return found
