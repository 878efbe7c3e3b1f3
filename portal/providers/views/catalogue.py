"""Public catalogue pages on ``/catalogo``: search, open data (CSV, JSON), map of units."""

from xml.sax.saxutils import escape, quoteattr

from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from catalog import Eq, Query, search_principals
from content_types.catalogue_entry import SERVICE_TYPES
from content_types.folder import ProviderFolder
from content_types.security import ADD_CONTENT, PROVIDER, USER_PREFIX, Everyone
from content_types.service_unit import districts
from content_types.values import utcnow
from portal.i18n import _
from portal.providers.views import opendata
from portal.providers.views.search import ENTRY_TYPE, criteria_from_params, iter_published, search
from portal.web.display import format_value
from workflows.catalogue_entry import SUBMITTED

#: the region drawn by the map (Puglia), with a margin
MAP_BOX = {"lat": (39.7, 42.3), "lon": (14.8, 18.7)}


def _choices(portal):
    ats = sorted(districts(portal).values(), key=lambda d: d.code)
    towns = sorted(
        ((m.istat_code, m.title, d.code) for d in ats for m in d.values()
         if getattr(m, "type_name", None) == "Municipality"),
        key=lambda item: item[1])
    return {
        "ats": [{"value": d.code, "title": f"{d.code} — {d.title}"} for d in ats],
        "municipalities": [{"value": code, "title": f"{title} ({ats_code})"}
                           for code, title, ats_code in towns],
        "services": [{"value": s.code, "title": s.title} for s in SERVICE_TYPES],
    }


def _card(request, entry):
    unit = entry.unit
    return {
        "title": entry.title, "url": request.resource_path(entry),
        "service": entry.service_title, "ages": entry.age_range_text,
        "tariff_full": entry.tariff_full, "tariff_part": entry.tariff_part,
        "free": entry.free_places, "offered": entry.places_offered,
        "unit": unit.title if unit else "", "address": unit.address if unit else "",
        "municipality": unit.municipality_name if unit else "",
        "ats": unit.ats_code if unit else "", "provider": entry.provider_title,
        "description": entry.description,
    }


def my_providers(request, folder):
    """Providers where the logged-in user is an operator (local provider role)."""
    user = request.user
    if user is None:
        return []
    principal = USER_PREFIX + user.login
    found = []
    for provider in folder.values():
        roles = (getattr(provider, "__local_roles__", None) or {}).get(principal, ())
        if PROVIDER in roles:
            found.append({"title": provider.title, "url": request.resource_path(provider),
                          "invite_url": request.resource_path(provider, "@@invita")})
    return found


@view_config(context=ProviderFolder, name="", permission=NO_PERMISSION_REQUIRED,
             request_method="GET", renderer="portal:templates/providers/search.pt")
def catalogue_page(context, request):
    """The public catalogue: search by words, place, service, age and free places."""
    criteria = criteria_from_params(request.GET)
    entries, total = search(request, criteria)
    pages = max(1, -(-total // criteria.size))
    params = criteria.params()

    def page_url(number):
        return request.resource_path(context, query={**params, "pagina": number})

    region = bool(request.user) and bool(request.has_permission(ADD_CONTENT, context))
    return {
        "page_title": request.localizer.translate(_("Catalogo dell'offerta")),
        "criteria": criteria,
        "choices": _choices(request.root),
        "entries": [_card(request, e) for e in entries],
        "total": total,
        "page": criteria.page,
        "pages": pages,
        "prev_url": page_url(criteria.page - 1) if criteria.page > 1 else None,
        "next_url": page_url(criteria.page + 1) if criteria.page < pages else None,
        "csv_url": request.resource_path(context, "@@opendata.csv"),
        "json_url": request.resource_path(context, "@@opendata.json"),
        "map_url": request.resource_path(context, "@@mappa.svg"),
        "register_url": request.resource_path(context, "@@registrazione-ente"),
        "region": region,
        "providers": my_providers(request, context) if request.user else [],
        "fmt_money": format_value,
    }


def public_rows(request):
    """Rows of every entry anyone may see: the export is the same whoever asks."""
    return [opendata.row_for(request, entry)
            for entry in iter_published(request, principals=[Everyone], sort="path")]


@view_config(context=ProviderFolder, name="opendata.csv", permission=NO_PERMISSION_REQUIRED,
             request_method="GET")
def opendata_csv(context, request):
    body = opendata.to_csv(public_rows(request))
    response = Response(body, content_type="text/csv", charset="utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="catalogo-offerta.csv"'
    return response


@view_config(context=ProviderFolder, name="opendata.json", permission=NO_PERMISSION_REQUIRED,
             request_method="GET", renderer="json")
def opendata_json(context, request):
    request.response.headers["Content-Disposition"] = (
        'inline; filename="catalogo-offerta.json"')
    return opendata.to_json(public_rows(request), utcnow())


@view_config(context=ProviderFolder, name="mappa.svg", permission=NO_PERMISSION_REQUIRED,
             request_method="GET")
def units_map(context, request):
    """Units with published entries as points on the region's box: no tile server."""
    (lat0, lat1), (lon0, lon1) = MAP_BOX["lat"], MAP_BOX["lon"]
    width, height = 600, 400
    points = {}
    for entry in iter_published(request, principals=[Everyone], sort="path"):
        unit = entry.unit
        if unit is None or unit.latitude is None or unit.longitude is None:
            continue
        points[unit.uid] = (unit.latitude, unit.longitude, unit.title, unit.municipality_name,
                            request.resource_path(unit))

    title = request.localizer.translate(_("Unità di offerta con voci pubblicate (${count})",
                                          mapping={"count": len(points)}))
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="t"><title id="t">{escape(title)}</title>'),
        f'<rect width="{width}" height="{height}" fill="#eef4fa" stroke="#8aa"/>',
    ]
    for lat, lon, title, town, url in points.values():
        x = (lon - lon0) / (lon1 - lon0) * width
        y = (lat1 - lat) / (lat1 - lat0) * height
        if 0 <= x <= width and 0 <= y <= height:
            parts.append(
                f'<a href={quoteattr(url)}><circle cx="{x:.1f}" cy="{y:.1f}" r="5" '
                f'fill="#0066cc"><title>{escape(title)} — {escape(town)}</title>'
                '</circle></a>')
    parts.append("</svg>")
    return Response("".join(parts), content_type="image/svg+xml", charset="utf-8")


@view_config(context=ProviderFolder, name="da-accreditare", permission=ADD_CONTENT,
             request_method="GET", renderer="portal:templates/providers/pending.pt")
def pending_entries(context, request):
    """For the Region: entries awaiting accreditation and revisions awaiting approval."""
    catalog = request.catalog
    principals = search_principals(request)
    submitted = catalog.search(Query(filters=(Eq("type_name", ENTRY_TYPE),
                                              Eq("state", SUBMITTED)),
                                     sort="modified", limit=500, snippets=False), principals)
    revisions = [_card(request, e) | {"revision": e.pending_revision}
                 for e in iter_published(request, principals=principals)
                 if e.pending_revision is not None]
    return {
        "page_title": request.localizer.translate(_("Voci da accreditare")),
        "submitted": [{"title": h.title, "url": request.application_url + h.path,
                       "municipality": h.municipality} for h in submitted.items],
        "revisions": revisions,
    }
