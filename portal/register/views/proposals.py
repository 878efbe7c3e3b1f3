"""A person's proposals of benefits («potrebbe avere diritto a …»), as the background job wrote them.

Read only: the page never evaluates a call (``portal.register.proposals`` does, in a job).
The person themself (their linked account) and the officers and social workers of their
municipality see it (``VIEW`` on the Person); a read by anyone but the person is audited.
"""
from pyramid.view import view_config

from content_types.person import Person
from content_types.security import VIEW
from content_types.values import format_datetime
from portal import audit
from portal.i18n import _


def proposal_rows(person):
    """The stored proposals as the page shows them, newest computation first."""
    return [{"title": p.get("call_title", ""), "reason": p.get("reason", ""),
             "apply_path": p.get("apply_path", ""), "district": p.get("district", ""),
             "call_path": p.get("call_path", ""),
             "computed": format_datetime(p["computed_at"]) if p.get("computed_at") else ""}
            for p in person.proposals]


@view_config(context=Person, name="proposte", permission=VIEW,
             renderer="portal:templates/register/proposals.pt")
def proposals_view(context, request):
    if request.authenticated_userid != context.data_subject:
        audit.log_read(request, context, what="proposte di prestazioni")
    return {"page_title": request.localizer.translate(_("Prestazioni a cui potrebbe avere diritto")),
            "person": context, "proposals": proposal_rows(context)}
