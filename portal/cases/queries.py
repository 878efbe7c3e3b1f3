"""The cases someone works on, found by the catalog (their principals), never by walking."""
from pyramid.traversal import find_resource

from catalog.query import Eq, Query
from content_types.values import format_date
from portal.cases.rules import status

LIMIT = 500


def cases_of(catalog, principals, root, login, allowed=None):
    """Rows of the cases the catalog lets ``principals`` see, the ones one manages first."""
    results = catalog.search(Query(filters=(Eq("type_name", "CaseFile"),), sort="title",
                                   limit=LIMIT), principals)
    rows = []
    for hit in results.items:
        try:
            case = find_resource(root, hit.path)
        except KeyError:
            continue
        if allowed is not None and not allowed(case):
            continue
        rows.append({"case": case, "title": case.__parent__.full_name,
                     "status": case.status,
                     "status_text": status.TITLES.get(case.status, case.status),
                     "manager": case.manager or "", "mine": case.manager == login,
                     "in_team": login in case.team, "office": case.office,
                     "area": case.area, "opened": format_date(case.opened_at)})
    rows.sort(key=lambda r: (not r["mine"], r["status"] == status.CLOSED, r["title"]))
    return rows
