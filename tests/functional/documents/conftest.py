"""The applications demo app, for tests of the documents it issues (receipt, entry sheet)."""
from tests.functional.applications.conftest import (  # noqa: F401 - fixtures, used by name
    applications_app,
    applications_database,
    applications_dir,
    codes,
    smtp_server,
)
