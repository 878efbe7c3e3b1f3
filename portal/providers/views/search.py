"""The public catalogue search: the catalog answers every criterion (words, place,
service type, age, free places, visibility); only the requested page is loaded."""
from dataclasses import dataclass

from pyramid.traversal import find_resource

from catalog import Eq, In, Query, Range, search_principals
from content_types.catalogue_entry import SERVICE_TYPES_BY_CODE
from content_types.service_unit import districts, municipalities
from portal.errors import ValidationFailed
from portal.i18n import _
from workflows.catalogue_entry import PUBLISHED

ENTRY_TYPE = "CatalogueEntry"
#: the catalog's largest page: ``iter_published`` reads hits in chunks this big
CHUNK = 500
PAGE_SIZE = 20
MAX_AGE_YEARS = 120


@dataclass(frozen=True)
class Criteria:
    """What a family asked for; every field is optional."""

    text: str = ""
    municipality: str = ""   # ISTAT code
    ats: str = ""            # ATS code (BA-01)
    service_type: str = ""
    age_years: int = None
    free_only: bool = False
    page: int = 1
    size: int = PAGE_SIZE

    def params(self):
        """Query-string parameters reproducing these criteria (page excluded)."""
        values = {"q": self.text, "comune": self.municipality, "ambito": self.ats,
                  "servizio": self.service_type,
                  "eta": "" if self.age_years is None else str(self.age_years),
                  "posti": "1" if self.free_only else ""}
        return {k: v for k, v in values.items() if v}


def criteria_from_params(params):
    """Criteria from request parameters q, comune, ambito, servizio, eta, posti, pagina."""
    fields = {}
    text = (params.get("q") or "").strip()[:200]
    municipality = (params.get("comune") or "").strip()
    ats = (params.get("ambito") or "").strip().upper()
    service = (params.get("servizio") or "").strip()
    if service and service not in SERVICE_TYPES_BY_CODE:
        fields["servizio"] = "Tipo di servizio sconosciuto."
    age = (params.get("eta") or "").strip()
    age_years = None
    if age:
        if not age.isdigit() or int(age) > MAX_AGE_YEARS:
            fields["eta"] = "Indicare l'età in anni compiuti (un numero da 0 a 120)."
        else:
            age_years = int(age)
    page = params.get("pagina") or "1"
    if not page.isdigit() or int(page) < 1:
        fields["pagina"] = "Pagina non valida."
    if fields:
        raise ValidationFailed(_("Parametri di ricerca non validi."), fields)
    return Criteria(text=text, municipality=municipality, ats=ats, service_type=service,
                    age_years=age_years, free_only=params.get("posti") == "1",
                    page=int(page))


def place_filters(portal, criteria):
    """Catalog filters for municipality and ATS (by names: what the catalog indexes)."""
    filters = []
    if criteria.municipality:
        found = municipalities(portal).get(criteria.municipality)
        if found is None:
            raise ValidationFailed(_("Parametri di ricerca non validi."),
                                   {"comune": "Comune sconosciuto."})
        filters.append(Eq("municipality", found[0].title))
    if criteria.ats:
        district = districts(portal).get(criteria.ats)
        if district is None:
            raise ValidationFailed(_("Parametri di ricerca non validi."),
                                   {"ambito": "Ambito sconosciuto."})
        names = tuple(m.title for m in district.values()
                      if getattr(m, "type_name", None) == "Municipality")
        filters.append(In("municipality", names))
    return filters


def entry_filters(criteria):
    """Catalog filters for service type, age (in months) and free places."""
    filters = []
    if criteria.service_type:
        filters.append(Eq("service_type", criteria.service_type))
    if criteria.age_years is not None:
        # the entry's range [min, max] meets the months of that year of age
        low, high = criteria.age_years * 12, criteria.age_years * 12 + 11
        filters.append(Range("age_min_months", max=high))
        filters.append(Range("age_max_months", min=low))
    if criteria.free_only:
        filters.append(Eq("has_free_places", 1))
    return filters


def published_filters(portal, criteria):
    """Every catalog filter of a catalogue search (published entries only)."""
    return (Eq("type_name", ENTRY_TYPE), Eq("state", PUBLISHED),
            *place_filters(portal, criteria), *entry_filters(criteria))


def iter_published(request, criteria=None, principals=None, sort="title"):
    """Every published entry matching ``criteria``, as objects."""
    criteria = criteria or Criteria()
    root = request.root
    filters = published_filters(root, criteria)
    catalog = request.catalog
    if principals is None:
        principals = search_principals(request)
    start = 0
    while True:
        query = Query(filters=filters, text=criteria.text,
                      sort=None if criteria.text else sort, start=start, limit=CHUNK,
                      snippets=False)
        results = catalog.search(query, principals)
        for hit in results.items:
            try:
                yield find_resource(root, hit.path)
            except KeyError:  # removed after indexing (external backend lag)
                continue
        start += CHUNK
        if start >= results.total:
            return


def search(request, criteria):
    """``(entries of the requested page, total)`` visible to the requester."""
    principals = search_principals(request)
    first = (criteria.page - 1) * criteria.size
    query = Query(filters=published_filters(request.root, criteria), text=criteria.text,
                  sort=None if criteria.text else "title", start=first,
                  limit=criteria.size, snippets=False)
    results = request.catalog.search(query, principals)
    entries = []
    for hit in results.items:
        try:
            entries.append(find_resource(request.root, hit.path))
        except KeyError:  # removed after indexing (external backend lag)
            continue
    return entries, results.total
