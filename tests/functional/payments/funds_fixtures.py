"""Ledger figures for the fund dashboard, export and monitoring tests, made through the ledger API."""
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import webtest

from portal.payments.ledger import Ledger, ledger_of
from tests.conftest import login
from tests.functional.applications.conftest import run_in_app

CALL_PATH = ("regione", "avvisi", "buoni-minori-2026")
PAID_ON = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
REVERSED_ON = datetime(2026, 4, 2, 23, 30, tzinfo=UTC)  # 3 April in Rome


def demo_call(portal):
    obj = portal
    for name in CALL_PATH:
        obj = obj[name]
    return obj


def seed(portal):
    """Budgets, commitments, payments and a reversal in BA-01 and TA-01 (one call).

    The demo's own budgets (adopted at the call's publication) are set aside first: every
    ATS starts from an empty ledger, so the figures are exactly these.
    """
    series = demo_call(portal).series
    who = "test"
    for district in portal["ambiti"].values():
        if getattr(district, "code", ""):
            district.ledger = Ledger()
    ba, ta = (ledger_of(portal["ambiti"][n]) for n in ("ba-01", "ta-01"))
    ba.set_budget(series, "FSE", "10000.00", who=who, when=PAID_ON)
    ba.set_budget(series, "FNPS", "2500.50", who=who, when=PAID_ON)
    ba.commit(series, "uid-a", "BA01-2026-000001", "11000.00", who=who, when=PAID_ON)
    ba.commit(series, "uid-b", "BA01-2026-000002", "1200.25", who=who, when=PAID_ON)
    ba.pay("uid-a", "10500.00", who=who, when=PAID_ON, reference="LIQ-BA01-1")
    ba.pay("uid-b", "300.10", who=who, when=PAID_ON, reference="LIQ-BA01-1")
    ba.reverse("uid-a", [("FNPS", "100.00")], who=who, when=REVERSED_ON,
               reference="RETT-BA01-1")
    ta.set_budget(series, "FGSA", "7000.00", who=who, when=PAID_ON)
    ta.commit(series, "uid-t", "TA01-2026-000009", "4000.00", who=who, when=PAID_ON,
              funds=("FGSA",))
    ta.pay("uid-t", "999.99", who=who, when=PAID_ON, reference="LIQ-TA01-1")
    return series


def ledger_figures(app, district):
    """{fund: (budget, committed, paid)} straight from the ledger."""
    def read(portal):
        ledger = ledger_of(portal["ambiti"][district])
        return {f: (t.budget, t.committed, t.paid) for f, t in ledger.by_fund().items()}
    return run_in_app(app, read)


def payments_of(app, district):
    def read(portal):
        return [(m.fund, m.protocol, m.amount, m.reference)
                for m in ledger_of(portal["ambiti"][district]).movements()
                if m.kind in ("pay", "reversal")]
    return run_in_app(app, read)


@pytest.fixture
def funded_app(wsgi_app):
    """Use for fund pages: the demo portal with ledger figures in BA-01 and TA-01."""
    wsgi_app.series = run_in_app(wsgi_app, seed)
    return wsgi_app


def client_as(app, who):
    return login(webtest.TestApp(app), who)


def money(text):
    """A dot-decimal export amount as Decimal."""
    return Decimal(text)
