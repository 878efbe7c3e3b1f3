"""I budget degli avvisi per Ambito e i finanziamenti già concessi passano nel registro contabile."""
from content_types.call import Call
from content_types.district import District
from content_types.values import utcnow
from portal.evolve.step0012_applications_hold_attestations import applications
from portal.payments import budgets, commitments
from workflows.application import HOLDS_FUNDING

REFERENCE = "Ripresa dei dati esistenti"


def current_calls(portal):
    """The latest version of every call series (older versions share its budgets' series)."""
    region = portal.get("regione")
    folder = region.get("avvisi") if region is not None else None
    latest = {}
    for call in (folder.values() if folder is not None else ()):
        if isinstance(call, Call):
            series = budgets.series_of_call(call)
            if series not in latest or (call.version or 0) > (latest[series].version or 0):
                latest[series] = call
    return list(latest.values())


def evolve(zodb_root, portal):
    when = utcnow()
    districts = [d for d in portal.get("ambiti", {}).values() if isinstance(d, District)]
    for call in current_calls(portal):
        for district in districts:
            if district.code in (call.budgets or {}):
                budgets.adopt_call_budget(district, call, who="sistema", when=when,
                                          reason=REFERENCE)
    for application in applications(portal):
        if application.state in HOLDS_FUNDING and application.voucher_monthly is not None:
            commitments.commit_funding(application, who="sistema", when=when,
                                       reference=REFERENCE)
