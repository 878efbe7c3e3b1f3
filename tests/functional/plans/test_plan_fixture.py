"""The shared plan fixture is a plan every rule accepts, and the workflow takes it to approval."""
from portal.plans import store
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import fire


def test_the_fixture_plan_breaks_no_invariant_and_can_be_approved(plan_app):
    def problems(portal):
        plan = portal["ambiti"]["ba-01"]["piani"]["2025-2027"]
        return [p.message.interpolate() for p in store.problems_of(store.latest(plan))]

    assert run_in_app(plan_app, problems) == []
    path = plan_app.plan_path + "/versione-1"
    assert fire(plan_app, path, "submit", "take_in_charge", "approve") == "approved"
