"""Set-up for the validation tests: an active application with attestations sent to the ATS."""
from datetime import date
from decimal import Decimal

import workflows
from portal.applications import services as application_services
from portal.payments import attestations
from portal.payments.commitments import commit_funding, series_of
from portal.payments.ledger import ledger_of
from portal.payments.rules import monthly
from tests.functional.applications.conftest import client, post, run_in_app
from workflows import attestation as wf

QUEUE = "/ambiti/ba-01/@@attestazioni"
BUDGET = Decimal("1000000.00")


def months_back(count, today=None):
    today = today or date.today()
    return monthly.add_months(date(today.year, today.month, 1), -count)


def resolve(portal, url):
    obj = portal
    for part in url.strip("/").split("/"):
        obj = obj[part]
    return obj


def attendance(open_days=20, attended=18):
    return monthly.Attendance(open_days, attended, open_days - attended, True)


def make_sent(application, month_text, registry, *, today=None, state=wf.SENT):
    """One attestation created by the provider, signed by the family and sent (as stored)."""
    context = attestations.context_of(application)
    month = monthly.parse_month(month_text)
    voucher = attestations.amounts_for(context, month, attendance()).voucher
    made = attestations.create(application, month_text, attendance(),
                               (f"F-{month_text}", month, str(voucher)), who="girasole",
                               registry=registry, today=today, context=context)
    for name in (wf.SIGN, wf.SEND)[:{wf.DRAFT: 0, wf.SIGNED: 1, wf.SENT: 2}[state]]:
        workflows.fire(made, None, name, registry=registry)
    return made


def active_application(app, months=3):
    """Luca's application (``app.luca``) active since ``months`` months ago, funded in the ledger."""
    url = app.luca
    post(client(app, "girasole"), url + "/@@transizione", {"transition": "activate"})

    def work(portal):
        application = resolve(portal, url)
        application.service_start = months_back(months)
        district = application_services.district_of(application)
        ledger = ledger_of(district)
        series = series_of(application)
        current = ledger.totals(series, "FSE").budget
        ledger.set_budget(series, "FSE", max(current, BUDGET), who="test",
                          when=application_services.now())
        commit_funding(application, who="test", when=application_services.now())
    run_in_app(app, work)
    return url


def sent_attestations(app, url, month_texts):
    """Attestations sent to the ATS for ``month_texts``; their paths."""
    def work(portal):
        application = resolve(portal, url)
        return [_path(make_sent(application, m, app.registry)) for m in month_texts]
    return run_in_app(app, work)


def _path(obj):
    from pyramid.traversal import resource_path  # noqa: PLC0415

    return resource_path(obj)


def month_texts(count, start_back):
    """``count`` consecutive months from ``start_back`` months ago («yyyy-mm»)."""
    first = months_back(start_back)
    return [monthly.month_key(monthly.add_months(first, i)) for i in range(count)]
