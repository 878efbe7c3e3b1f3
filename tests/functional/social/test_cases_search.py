"""A case note's text is found by its team only: the search page, the search API, counts and
facets included (the hypatia backend of the tests shares the contract with Elasticsearch)."""
import pytest

from tests.conftest import login
from tests.functional.social.cases_fixtures import post

WORD = "Zibaldonequattro"  # a word nothing else in the demo holds


@pytest.fixture
def noted(testapp, social):
    """Use for the search tests: the case manager has written a note holding ``WORD``."""
    login(testapp, "social_worker")
    post(testapp, social.case + "/@@nota", {"text": f"Colloquio con la figlia: {WORD} riservato"})
    return testapp


@pytest.mark.parametrize(("who", "finds"), [
    ("social_worker", True), ("other_social_worker", False), ("ats_officer", False),
    ("admin", False), ("municipal_operator", False), ("citizen", False), ("anonymous", False)])
def test_a_note_is_found_only_by_the_case_team(noted, social, who, finds):
    client = type(noted)(noted.app)
    login(client, who)
    found = client.get("/api/search", {"q": WORD.lower()}).json
    by_type = client.get("/api/search", {"type_name": "CaseNote"}).json
    cases = client.get("/api/search", {"type_name": "CaseFile"}).json
    page = client.get("/cerca", {"q": WORD})
    if finds:
        assert found["total"] == 1
        assert [i["type_name"] for i in found["items"]] == ["CaseNote"]
        assert found["items"][0]["path"].startswith(social.case.rstrip("/") + "/nota-")
        assert by_type["total"] == 2
        assert cases["total"] == 1
        assert "<mark>" in page.text
        assert "1 risultati" in page.text
        assert social.case.rstrip("/") + "/nota-" in page.text
    else:
        assert found["total"] == 0
        assert found["items"] == []
        assert all(values == [] for values in found["facets"].values()), found["facets"]
        assert by_type["total"] == 0
        assert cases["total"] == 0
        assert {f["value"] for f in by_type["facets"].get("type_name", [])} == set()
        assert "0 risultati" in page.text
        assert "<mark>" not in page.text
        assert "/cartella" not in page.text
        assert "Nota di cartella" not in page.text
