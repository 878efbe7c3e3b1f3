"""«Le mie cartelle»: the cases whose team or office one is in, through the catalog."""
from pyramid.httpexceptions import HTTPForbidden
from pyramid.view import view_config

from catalog.api import search_principals
from content_types.portal_root import Portal
from content_types.security import VIEW, VIEW_CASE
from portal.cases import queries
from portal.cases.views.common import t
from portal.i18n import _

TEMPLATES = "portal:templates/cases/"


@view_config(context=Portal, name="mie-cartelle", permission=VIEW, request_method="GET",
             renderer=TEMPLATES + "mine.pt")
def my_cases(context, request):
    """One catalog query (type CaseFile, the user's principals): never a walk of people."""
    if not request.authenticated_userid:
        raise HTTPForbidden(_("Accedere per vedere le proprie cartelle."))
    rows = queries.cases_of(request.catalog, search_principals(request), request.root,
                            request.authenticated_userid,
                            allowed=lambda case: request.has_permission(VIEW_CASE, case))
    for row in rows:
        row["status_text"] = t(request, row["status_text"])
        row["url"] = request.resource_path(row.pop("case"))
    return {"page_title": t(request, _("Le mie cartelle sociali")), "rows": rows}
