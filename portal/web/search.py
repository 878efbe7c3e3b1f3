"""The search page and ``GET /api/search``: same parameters, same catalog call."""
from datetime import UTC, datetime

from pyramid.security import NO_PERMISSION_REQUIRED

from catalog.api import search_principals
from catalog.errors import InvalidQuery
from catalog.query import FACETS, SORTS, Eq, Query, Range
from content_types.registry import get_content_registry
from portal.i18n import _
from portal.web.labels import workflow_text
from workflows import current_state_id

PAGE_SIZE = 20
FACET_TITLES = {
    "type_name": "Tipo",
    "state": "Stato",
    "district": "Ambito (ATS)",
    "municipality": "Comune",
    "year": "Anno",
}
SORT_TITLES = {
    "relevance": "Pertinenza",
    "title": "Titolo",
    "created": "Data di creazione",
    "modified": "Ultima modifica",
}


def query_from_params(params):
    """A ``Query`` from request parameters: q, type_name, state, district,
    municipality, year, folder, sort, order, page, size."""
    filters = []
    for name in ("type_name", "state", "district", "municipality"):
        value = params.get(name)
        if value:
            # a state id stored before evolve step 9 (old links) filters by today's id
            filters.append(Eq(name, current_state_id(value) if name == "state" else value))
    year = params.get("year")
    if year:
        if not year.isdigit():
            raise InvalidQuery(_("Anno non valido."), field="year")
        filters.append(Eq("year", int(year)))
    folder = params.get("folder")
    if folder:
        filters.append(Eq("ancestors", folder.rstrip("/") or "/"))
    for name in ("created_from", "created_to"):
        if params.get(name):
            try:
                day = datetime.strptime(params[name], "%Y-%m-%d").replace(tzinfo=UTC)
            except ValueError:
                raise InvalidQuery(_("Data non valida (AAAA-MM-GG)."), field=name) from None
            bound = {"min": day} if name.endswith("from") else {
                "max": day.replace(hour=23, minute=59, second=59)}
            filters.append(Range("created", **bound))
    sort = params.get("sort") or None
    if sort is not None and sort not in SORTS:
        raise InvalidQuery(_("Ordinamento sconosciuto: «${sort}».", mapping={"sort": sort}), field="sort")
    try:
        page = max(1, int(params.get("page", 1)))
        size = min(100, max(1, int(params.get("size", PAGE_SIZE))))
    except ValueError:
        raise InvalidQuery(_("Paginazione non valida."), field="page") from None
    return Query(
        filters=tuple(filters), text=(params.get("q") or "")[:500], sort=sort,
        reverse=params.get("order") == "desc", start=(page - 1) * size, limit=size,
        facets=FACETS,
    ), page, size


def run_search(request):
    query, page, size = query_from_params(request.GET)
    results = request.catalog.search(query, search_principals(request))
    return query, results, page, size


def labeller(request):
    """Italian labels for type names and workflow states (facets and hits show these)."""
    types = get_content_registry(request.registry).types
    workflows = getattr(request.registry, "workflows", {}) or {}

    def label(field, value):
        if field == "type_name" and value in types:
            return types[value].title
        if field == "state":
            for workflow in workflows.values():
                if workflow.state(value) is not None:
                    return workflow_text(request, workflow.state_title(value))
        return value

    return label


def search_page(request):
    """HTML search: query box, facets with counts, highlighted snippets, paging."""
    query, results, page, size = run_search(request)
    pages = max(1, -(-results.total // size))
    params = {k: v for k, v in request.GET.items() if k != "page"}

    def url(**changes):
        merged = dict(params, **changes)
        return request.route_url("catalog.search", _query={
            k: v for k, v in merged.items() if v not in (None, "")})

    label = labeller(request)
    facets = []
    for name in FACETS:
        values = [{"value": v, "label": label(name, v), "count": c, "url": url(**{name: v}),
                   "active": str(params.get(name, "")) == str(v)}
                  for v, c in results.facets.get(name, [])]
        facets.append({"name": name, "title": FACET_TITLES[name], "values": values,
                       "clear_url": url(**{name: None}) if params.get(name) else None})
    return {
        "label": label,
        "page_title": "Ricerca",
        "q": query.text,
        "results": results,
        "facets": facets,
        "sorts": [{"value": k, "title": t, "active": (query.sort or "") == k,
                   "url": url(sort=k)}
                  for k, t in SORT_TITLES.items()],
        "page": page,
        "pages": pages,
        "prev_url": url(page=page - 1) if page > 1 else None,
        "next_url": url(page=page + 1) if page < pages else None,
        "params": params,
    }


def search_api(request):
    """``GET /api/search``: the same parameters as the page, JSON out."""
    _query, results, page, size = run_search(request)
    data = results.as_json()
    data.update({"page": page, "size": size})
    return data


def includeme(config):
    config.add_route("catalog.search", "/cerca")
    config.add_route("catalog.api_search", "/api/search")
    config.add_view(search_page, route_name="catalog.search", request_method="GET",
                    renderer="portal:templates/search/search.pt",
                    permission=NO_PERMISSION_REQUIRED)
    config.add_view(search_api, route_name="catalog.api_search", request_method="GET",
                    renderer="json", permission=NO_PERMISSION_REQUIRED)
