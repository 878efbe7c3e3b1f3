"""Spending by ATS, call and fund, read from the ledgers only (service: no request).

The dashboards read the kept totals (one lookup per call and fund, never a walk of the
movements or of the applications); the exports and the monitoring feed walk the
movements, which is what they are made of.
"""
from content_types.call import Call
from content_types.district import District
from content_types.values import to_local
from portal.i18n import _
from portal.payments.ledger import ledger_of
from portal.payments.rules import funds as fund_table
from portal.payments.rules.exports import Figures, InvalidFilter, Paid, in_period, is_payment


def districts(root):
    """Every ATS of the portal, by code."""
    folder = root.get("ambiti")
    found = [d for d in (folder.values() if folder is not None else ())
             if isinstance(d, District) and d.code]
    return sorted(found, key=lambda d: d.code)


def calls_by_series(root):
    """Call series uid -> the Call version that names it (the one in force, else the latest)."""
    region = root.get("regione")
    folder = region.get("avvisi") if region is not None else None
    found = {}
    for call in (folder.values() if folder is not None else ()):
        if not isinstance(call, Call):
            continue
        held = found.get(call.series)
        if held is None or (call.current, call.version) > (held.current, held.version):
            found[call.series] = call
    return found


def call_label(calls, series):
    """(code, title) of a call series; the uid itself for a call no longer in the tree."""
    call = calls.get(series)
    return (call.code, call.title) if call is not None else (series, series)


def series_for(calls, code):
    """The series uid of the call whose code is ``code`` (a filter); ``InvalidFilter`` if none."""
    for series, call in calls.items():
        if call.code == code:
            return series
    raise InvalidFilter(_("Avviso sconosciuto: «${code}».", mapping={"code": code[:60]}),
                        {"avviso": "sconosciuto"})


def check_fund(code):
    """A fund filter's code, checked against the fund table."""
    fund_table.fund(code)
    return code


def figures_of(district, calls, call=None, fund=None):
    """The district's figures per call and fund (kept totals only), optionally filtered."""
    ledger = ledger_of(district, create=False)
    if ledger is None:
        return []
    rows = []
    for series in ledger.calls():
        if call is not None and series != call:
            continue
        code, title = call_label(calls, series)
        for fund_code, totals in ledger.by_fund(series).items():
            if fund is None or fund_code == fund:
                rows.append(Figures(district.code, district.title, code, title, fund_code,
                                    totals))
    rows.sort(key=lambda f: (f.call_code, fund_table.CODES.index(f.fund)))
    return rows


def payments_of(district, calls, start=None, end=None, call=None, fund=None):
    """The district's PAY and REVERSAL movements, in order, optionally within days."""
    ledger = ledger_of(district, create=False)
    if ledger is None:
        return []
    found = []
    for movement in ledger.movements(call=call):
        if not is_payment(movement) or (fund is not None and movement.fund != fund):
            continue
        day = to_local(movement.when).date()
        if start is not None and not in_period(day, start, end):
            continue
        code, _title = call_label(calls, movement.call)
        found.append(Paid(district.code, code, movement.call, movement, day))
    return found
