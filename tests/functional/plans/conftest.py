"""Fixtures of the zone-plan tests, registered once here so the test modules never re-import them."""
# pytest finds fixtures by name: the imports are the registration
from tests.functional.plans.archive_fixtures import archive_app, small_upload_app  # noqa: F401
from tests.functional.plans.monitoring_fixtures import monitored_app  # noqa: F401
from tests.functional.plans.plan_fixtures import plan_app  # noqa: F401
