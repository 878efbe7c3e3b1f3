"""Fixtures of the zone-plan tests, registered once here so the test modules never re-import them."""
from tests.functional.plans.monitoring_fixtures import monitored_app  # noqa: F401
from tests.functional.plans.plan_fixtures import plan_app  # noqa: F401 - pytest finds it by name
