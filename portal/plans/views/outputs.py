"""A plan version's outputs: ``@@riepilogo.pdf`` (signed summary), ``@@piano.csv``, ``@@piano.xlsx``.

Whoever may view the version may take them: an approved plan is public, a draft only its ATS's.
"""
from pyramid.response import Response
from pyramid.view import view_config

from content_types.security import VIEW
from content_types.zone_plan import PlanVersion
from portal.db import documents_registry
from portal.plans import exports, store, summary
from workflows import zone_plan as workflow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response, name):
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@view_config(context=PlanVersion, name="riepilogo.pdf", permission=VIEW, request_method="GET")
def summary_pdf(context, request):
    """The approved version's registered summary; a signed draft summary otherwise."""
    if context.state == workflow.APPROVED:
        record = summary.approved_document(context, request.documents,
                                           documents_registry(request))
        body, name = record.read(), summary.file_name(context)
    else:
        body, name = summary.draft_pdf(context, request.documents), summary.file_name(
            context, draft=True)
    response = Response(body=body, content_type="application/pdf",
                        content_disposition=f'inline; filename="{name}"')
    if context.state != workflow.APPROVED:
        response.cache_control = "private, no-store"  # a draft changes with every save
    return response


@view_config(context=PlanVersion, name="piano.csv", permission=VIEW, request_method="GET")
def plan_csv(context, request):
    response = Response(exports.to_csv(store.as_plan(context)), content_type="text/csv", charset="utf-8")
    return _attachment(response, exports.file_name(context, "csv"))


@view_config(context=PlanVersion, name="piano.xlsx", permission=VIEW, request_method="GET")
def plan_xlsx(context, request):
    response = Response(exports.to_xlsx(store.as_plan(context)), content_type=XLSX)
    return _attachment(response, exports.file_name(context, "xlsx"))
