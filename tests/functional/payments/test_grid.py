"""The provider's monthly grid, the attestation page and «Invia all'Ambito» through the real app."""
from decimal import Decimal

from tests.functional.payments.grid_fixtures import (  # noqa: F401 (fixtures)
    GRID,
    active_app,
    active_urls,
    applications_app,
    applications_database,
    applications_dir,
    application_at,
    client,
    codes,
    grid_form,
    grid_rows,
    post,
    run_in_app,
    smtp_server,
    this_month,
    uid_of,
)


def test_grid_lists_active_beneficiaries_prefilled(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    urls = active_urls(active_app)
    uids = grid_rows(page)
    assert sorted(uids) == sorted(uid_of(active_app, u) for u in urls)
    print(page.text[page.text.index("<table"):][:3000])
