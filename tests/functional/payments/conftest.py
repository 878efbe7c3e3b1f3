"""Fixtures of the payment tests, registered once here so the test modules never re-import them."""
from tests.functional.applications.conftest import (  # noqa: F401 - pytest finds fixtures by name
    applications_app,
    applications_database,
    applications_dir,
    codes,
    inbox,
    smtp_server,
)
from tests.functional.payments.family_fixtures import attested  # noqa: F401
from tests.functional.payments.funds_fixtures import funded_app  # noqa: F401
from tests.functional.payments.grid_fixtures import active_app  # noqa: F401
from tests.functional.payments.published_fixtures import (  # noqa: F401
    published_app,
    published_database,
)
