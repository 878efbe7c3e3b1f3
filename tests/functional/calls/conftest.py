"""The applications fixtures (demo with a published call), shared with the call pages' tests."""
from tests.functional.applications.conftest import (  # noqa: F401
    applications_app,
    applications_database,
    applications_dir,
    inbox,
    smtp_server,
)
