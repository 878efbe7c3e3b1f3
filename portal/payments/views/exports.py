"""CSV and XLSX exports of spending (per ATS × call × fund) and of payments (per movement).

On an ATS they cover that ATS only; on the Region every ATS. The filters are the
dashboards' (``avviso``, ``fondo``).
"""
from pyramid.response import Response
from pyramid.view import view_config

from content_types.district import District
from content_types.region import Region
from portal.payments import spending
from portal.payments.rules import exports as layout
from portal.payments.views.funds import FUNDS_PERMISSION, filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scope(context, request):
    """The districts an export covers: the ATS itself, or every ATS from the Region."""
    return [context] if isinstance(context, District) else spending.districts(request.root)


def spending_rows(context, request):
    calls = spending.calls_by_series(request.root)
    series, fund, _sent = filters(request, calls)
    return [layout.spending_row(f) for d in scope(context, request)
            for f in spending.figures_of(d, calls, call=series, fund=fund)]


def payment_rows(context, request):
    calls = spending.calls_by_series(request.root)
    series, fund, _sent = filters(request, calls)
    return [layout.payment_row(p) for d in scope(context, request)
            for p in spending.payments_of(d, calls, call=series, fund=fund)]


def file_name(context, what, ext):
    where = context.code.lower() if isinstance(context, District) else "regione"
    return f"{what}-{where}.{ext}"


def csv_response(body, name):
    response = Response(body, content_type="text/csv", charset="utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xlsx_response(body, name):
    response = Response(body, content_type=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@view_config(context=District, name="fondi-spesa.csv", permission=FUNDS_PERMISSION,
             request_method="GET")
@view_config(context=Region, name="fondi-spesa.csv", permission=FUNDS_PERMISSION,
             request_method="GET")
def spending_csv(context, request):
    body = layout.to_csv(layout.SPENDING_COLUMNS, spending_rows(context, request))
    return csv_response(body, file_name(context, "spesa-per-fondo", "csv"))


@view_config(context=District, name="fondi-spesa.xlsx", permission=FUNDS_PERMISSION,
             request_method="GET")
@view_config(context=Region, name="fondi-spesa.xlsx", permission=FUNDS_PERMISSION,
             request_method="GET")
def spending_xlsx(context, request):
    body = layout.to_xlsx(layout.SPENDING_COLUMNS, spending_rows(context, request), "Spesa")
    return xlsx_response(body, file_name(context, "spesa-per-fondo", "xlsx"))


@view_config(context=District, name="fondi-pagamenti.csv", permission=FUNDS_PERMISSION,
             request_method="GET")
@view_config(context=Region, name="fondi-pagamenti.csv", permission=FUNDS_PERMISSION,
             request_method="GET")
def payments_csv(context, request):
    body = layout.to_csv(layout.PAYMENT_COLUMNS, payment_rows(context, request))
    return csv_response(body, file_name(context, "pagamenti", "csv"))


@view_config(context=District, name="fondi-pagamenti.xlsx", permission=FUNDS_PERMISSION,
             request_method="GET")
@view_config(context=Region, name="fondi-pagamenti.xlsx", permission=FUNDS_PERMISSION,
             request_method="GET")
def payments_xlsx(context, request):
    body = layout.to_xlsx(layout.PAYMENT_COLUMNS, payment_rows(context, request), "Pagamenti")
    return xlsx_response(body, file_name(context, "pagamenti", "xlsx"))
