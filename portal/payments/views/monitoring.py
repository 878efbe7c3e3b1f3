"""The regional monitoring feed (MIR): the payments of a period, CSV or JSON (README).

``/regione/@@monitoraggio?dal=AAAA-MM-GG&al=AAAA-MM-GG[&formato=csv]`` for Region
officers, and the same JSON at ``/api/regione/monitoraggio``. A bad period is a 400
with an Italian message (JSON: ``{"error": {"code": "invalid_period", ...}}``).
"""
from pyramid.response import Response
from pyramid.view import view_config

from content_types.region import Region
from content_types.security import EDIT
from content_types.values import utcnow
from portal.payments import spending
from portal.payments.rules import exports as layout
from portal.web.errors import answer, json_error

#: the Region's officers only (an ATS officer holds no EDIT on the Region)
MONITORING_PERMISSION = EDIT


def paid_in(request, start, end):
    calls = spending.calls_by_series(request.root)
    return [p for d in spending.districts(request.root)
            for p in spending.payments_of(d, calls, start, end)]


@view_config(context=Region, name="monitoraggio", permission=MONITORING_PERMISSION,
             request_method="GET")
@view_config(route_name="api", context=Region, name="monitoraggio",
             permission=MONITORING_PERMISSION, request_method="GET")
def monitoring_feed(context, request):
    """One record per paid (or reversed) line per fund in the period, with totals."""
    as_csv = request.GET.get("formato", "json") == "csv"
    try:
        start, end = layout.parse_period(request.GET.get("dal"), request.GET.get("al"))
    except layout.InvalidPeriod as error:
        if as_csv:
            return answer(request, error)
        # a JSON client gets the API's error shape wherever it asked
        return json_error(request, error.http_status, error.code, error.message, error.fields)
    paid = paid_in(request, start, end)
    name = f"monitoraggio-{start.isoformat()}-{end.isoformat()}"
    if as_csv:
        records = [layout.monitoring_record(p) for p in paid]
        response = Response(layout.to_csv(layout.MONITORING_COLUMNS, records),
                            content_type="text/csv", charset="utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = Response(content_type="application/json", charset="utf-8",
                        json_body=layout.monitoring_feed(paid, start, end, utcnow()))
    response.headers["Content-Disposition"] = f'inline; filename="{name}.json"'
    return response
