"""What waits for the family, read from the catalog (request-aware: the personal area and its list)."""
from catalog import Eq, Query, search_principals
from catalog.query import MAX_LIMIT
from portal.applications.services import resolve_path
from workflows.attestation import DRAFT, SIGN


def to_confirm(request):
    """Draft attestations of the user's own applications (as applicant or delegate)."""
    login = request.authenticated_userid
    if not login:
        return []
    results = request.catalog.search(
        Query(filters=(Eq("type_name", "Attestation"), Eq("state", DRAFT)), limit=MAX_LIMIT,
              snippets=False), search_principals(request))
    found = []
    for hit in results.items:
        attestation = resolve_path(request.root, hit.path)
        application = getattr(attestation, "application", None)
        if (application is not None and attestation.state == DRAFT
                and login in (application.applicant_login, application.delegate_login)
                and request.has_permission(SIGN, attestation)):
            found.append(attestation)
    return sorted(found, key=lambda a: (a.month, a.protocol))


def panel(request):
    """The personal area's line: how many attestations wait and where to confirm them."""
    return {"count": len(to_confirm(request)),
            "url": request.resource_path(request.root, "@@attestazioni-da-confermare")}
