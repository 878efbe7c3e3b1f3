"""Fixtures of the grid tests: the applications demo with Luca's (and the other funded) services active."""
import re

import pytest

from content_types.values import rome_today
from portal.payments.rules.monthly import add_months, month_key
from tests.functional.applications.conftest import (
    CALL,
    client,
    post,
    run_in_app,
)

GRID = "/catalogo/girasole/@@attestazioni"


def this_month():
    return month_key(rome_today())


def months_ago(count):
    return month_key(add_months(rome_today().replace(day=1), -count))


def application_at(portal, url):
    obj = portal
    for part in url.strip("/").split("/"):
        obj = obj[part]
    return obj


def active_urls(app):
    """Paths of the active applications of the call in BA-01."""
    def work(portal):
        folder = portal["ambiti"]["ba-01"]["domande"]["buoni-minori-2026"]
        return sorted(f"{CALL}/{name}" for name, a in folder.items() if a.state == "active")
    return run_in_app(app, work)


@pytest.fixture
def active_app(published_app):
    """Use for grid tests: Luca and every funded demo application started by girasole."""
    provider = client(published_app, "girasole")

    def funded(portal):
        folder = portal["ambiti"]["ba-01"]["domande"]["buoni-minori-2026"]
        return [f"{CALL}/{name}" for name, a in folder.items() if a.state == "funded"]
    for url in run_in_app(published_app, funded):
        post(provider, url + "/@@transizione", {"transition": "activate"})
    assert published_app.luca in active_urls(published_app)
    return published_app


def uid_of(app, url):
    return run_in_app(app, lambda portal: application_at(portal, url).uid)


def grid_rows(page):
    """The uids of the editable rows of a grid page."""
    return re.findall(r'name="riga" value="([^"]+)"', page.text)


def listed_rows(page):
    """The uids of every row of a grid page, editable or not."""
    return re.findall(r'<tr data-uid="([^"]+)"', page.text)


def call_uids(app):
    """The uids of every application of the tests' call (the demo's other call has its own)."""
    def work(portal):
        folder = portal["ambiti"]["ba-01"]["domande"]["buoni-minori-2026"]
        return {a.uid for a in folder.values()}
    return run_in_app(app, work)


def own_rows(app, page):
    """The editable rows of a grid page that belong to the tests' call, in the page's order."""
    uids = call_uids(app)
    return [uid for uid in grid_rows(page) if uid in uids]


def provider_active_uids(app, provider="girasole"):
    """The uids of the active applications of every call in BA-01 served by ``provider``."""
    prefix = f"/catalogo/{provider}/"

    def work(portal):
        return {a.uid for folder in portal["ambiti"]["ba-01"]["domande"].values()
                for a in getattr(folder, "values", tuple)()
                if getattr(a, "state", None) == "active"
                and (a.catalogue_entry_path or "").startswith(prefix)}
    return run_in_app(app, work)


def only_rows(fields, uids):
    """The posted grid ``fields`` without the rows of applications outside ``uids``."""
    keep = set(uids)

    def wanted(name, value):
        if name == "riga":
            return value in keep
        head, dot, _rest = name.partition(".")
        return not dot or not re.fullmatch(r"[0-9a-f]{32}", head) or head in keep
    return [(k, v) for k, v in fields if wanted(k, v)]


def grid_form(page):
    """The grid page's form values as a list of pairs (what a browser would post)."""
    form = page.forms["griglia-attestazioni"]
    return [(k, v) for k, v in form.submit_fields()]


def attestations_state(app):
    """``{protocol: {month: (state, open, attended, absences, voucher, invoice amount)}}`` as stored."""
    def work(portal):
        found = {}
        folder = portal["ambiti"]["ba-01"]["domande"]["buoni-minori-2026"]
        for application in folder.values():
            months = application.get("attestazioni")
            if months is None:
                continue
            found[application.protocol] = {
                key: (a.state, a.open_days, a.attended_days, a.absences, a.voucher_share,
                      a.invoice_amount, a.invoice_number, a.modified)
                for key, a in months.items()}
        return found
    return run_in_app(app, work)


def fire(app, path, name, comment=""):
    """Fire ``name`` on the object at ``path`` as a trusted caller (the family's step, say)."""
    import workflows  # noqa: PLC0415

    def work(portal):
        workflows.fire(application_at(portal, path), None, name, comment,
                       registry=app.registry)
    run_in_app(app, work)


def audit_entries(app, path):
    def work(portal):
        obj = application_at(portal, path)
        return portal._p_jar.root()["audit"].for_object(obj.uid)
    return run_in_app(app, work)
