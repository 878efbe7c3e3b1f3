"""The archive answers only the ATS of the plan and the Region, on every page and in search."""
import re

import pytest
import webtest

from content_types.security import VIEW, principals_allowed
from tests.conftest import ROLE_USERS, csrf_token, login
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.archive_fixtures import (
    ANON,
    ARCHIVE,
    ARCHIVE_MATRIX,
    OATS,
    OTHER_ATS_OFFICER,
    make_pdf,
    upload,
)
from tests.functional.plans.plan_fixtures import client_as

ROLES = {**ROLE_USERS, OATS: OTHER_ATS_OFFICER}
WORD = "Zafferanotto"
#: who finds the archive's documents (and their counts)
#: the type's label, as the facets and the hits of the search page show it
TYPE_LABEL = re.compile(r"Documento d(?:'|&#39;|\u2019)archivio")
READERS = {"ats_officer", "region_officer"}


def _documents(app):
    officer = client_as(app, "rup-ba01")
    upload(officer, ARCHIVE + "/delibere", "Delibera del coordinamento",
           make_pdf("Delibera n. 12/2026", f"Parola che solo il PDF contiene: {WORD}"))
    upload(officer, ARCHIVE + "/lavoro", "Bozza di lavoro", make_pdf("Appunti interni"))


@pytest.mark.parametrize("role", list(ROLES))
def test_every_archive_view_answers_every_role_as_expected(archive_app, role):
    _documents(archive_app)
    client = login(webtest.TestApp(archive_app), ROLES[role] or role)
    token = csrf_token(client)
    failures = []
    for method, path, allowed, ok_status in ARCHIVE_MATRIX:
        if method == "GET":
            response = client.get(path, expect_errors=True)
        else:
            response = client.post(path, {"csrf_token": token}, expect_errors=True)
        if role in allowed:
            expected = ok_status
        elif role == ANON and method == "GET":
            expected = 303
        else:
            expected = 403
        if response.status_int != expected:
            failures.append(f"{method} {path}: {response.status_int} invece di {expected}")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", list(ROLES))
def test_search_finds_a_pdf_word_only_for_the_ats_and_the_region(archive_app, role):
    _documents(archive_app)
    client = login(webtest.TestApp(archive_app), ROLES[role] or role)
    found = client.get("/api/search", {"q": WORD.lower()}).json
    by_type = client.get("/api/search", {"type_name": "ArchiveDocument"}).json
    page = client.get("/cerca", {"q": WORD})
    facet_types = {f["value"] for f in by_type["facets"]["type_name"]}
    if role in READERS:
        assert [i["path"] for i in found["items"]] == [ARCHIVE + "/delibere/"
                                                       "delibera-del-coordinamento"]
        assert found["total"] == 1
        assert found["facets"]["type_name"] == [{"value": "ArchiveDocument", "count": 1}]
        assert by_type["total"] == 2
        assert "delibera-del-coordinamento" in page.text
        assert "<mark>" in page.text
        assert TYPE_LABEL.search(page.text)
    else:
        assert found["total"] == 0
        assert found["items"] == []
        assert all(values == [] for values in found["facets"].values()), found["facets"]
        assert by_type["total"] == 0
        assert "ArchiveDocument" not in facet_types
        assert "delibera-del-coordinamento" not in page.text
        # no highlighted snippet, no facet naming the archive's type, no count of it
        assert "<mark>" not in page.text
        assert not TYPE_LABEL.search(page.text)


def test_the_catalog_lets_only_the_plans_officers_and_the_region_view_a_document(archive_app):
    _documents(archive_app)

    def allowed(portal):
        plan_archive = portal["ambiti"]["ba-01"]["piani"]["2025-2027"]["archivio"]
        document = plan_archive["delibere"]["delibera-del-coordinamento"]
        return sorted(principals_allowed(document, VIEW))

    principals = run_in_app(archive_app, allowed)
    assert principals == ["role:ats_officer", "role:region_officer", "user:rup-ba01"]
