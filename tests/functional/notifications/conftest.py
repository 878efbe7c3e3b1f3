"""The applications fixtures (real app over the applications demo, loopback SMTP) for these tests."""
from tests.functional.applications.conftest import (  # noqa: F401 - fixtures
    applications_app,
    applications_database,
    applications_dir,
    codes,
    inbox,
    smtp_server,
)
