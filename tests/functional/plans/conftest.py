"""Fixtures of the zone-plan tests, registered once here so the test modules never re-import them."""
from tests.functional.plans.archive_fixtures import archive_app, small_upload_app  # noqa: F401 - pytest finds them by name
from tests.functional.plans.plan_fixtures import plan_app  # noqa: F401 - pytest finds it by name
