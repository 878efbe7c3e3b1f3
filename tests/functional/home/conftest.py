"""The applications demo fixtures, for the personal area's counts (see tests/functional/applications)."""
from tests.functional.applications.conftest import (  # noqa: F401 (fixtures re-exported)
    applications_app,
    applications_database,
    applications_dir,
    codes,
    inbox,
    smtp_server,
)
