"""Shared set-up for the family's tests: an active application and draft attestations on it."""
import pytest

from content_types.values import rome_today
from portal.payments import attestations
from portal.payments.rules import monthly
from tests.functional.applications.conftest import (
    client,
    post,
    run_in_app,
)
from tests.functional.applications.test_money_after_funding import first_version_published


def at(portal, url):
    obj = portal
    for part in url.strip("/").split("/"):
        obj = obj[part]
    return obj


def active_application(app, codes):
    """Luca's application funded (ranking v1 published) and started by the provider: its URL."""
    return started(app, first_version_published(app, codes))


def started(app, url):
    """The provider starts the service of the funded application at ``url``: its URL."""
    post(client(app, "girasole"), url + "/@@transizione", {"transition": "activate"})
    return url


def add_attestation(app, url, who="girasole", attended=19):
    """A draft attestation of the first funded month (not in the future): its URL."""
    def work(portal):
        application = at(portal, url)
        context = attestations.context_of(application)
        today = rome_today()
        month = next(m for m in context.funded if m <= monthly.month_key(today))
        made = attestations.create(
            application, month, monthly.Attendance(22, attended, 22 - attended),
            who=who, registry=app.registry, context=context)
        return made.month
    month = run_in_app(app, work)
    return f"{url}/attestazioni/{month}"


@pytest.fixture
def attested(published_app):
    """Use for the family's side: (app, application URL, draft attestation URL)."""
    url = started(published_app, published_app.luca)
    return published_app, url, add_attestation(published_app, url)
