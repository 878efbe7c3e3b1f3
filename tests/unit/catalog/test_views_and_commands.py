"""The search views' parameter handling and JSON, the OpenAPI fragment, the analysis."""
import pytest
from openapi_spec_validator import validate
from pyramid import testing

from catalog import InvalidQuery
from catalog.analysis import analyze, fold, query_tokens, snippet
from portal.web.api.search_openapi import OPENAPI
from portal.web.search import query_from_params, search_api
from tests.unit.catalog.conftest import build_tree, make_harness


def test_analysis_pipeline():
    assert fold("Perché È così") == "perche e cosi"
    assert analyze("Le domande degli anziani") == ["domand", "anzian"]
    assert query_tokens("domanda domande") == ["domand"]
    html = snippet("Servizi per <anziani> & famiglie.", ["anzian"])
    assert html == "Servizi per &lt;<mark>anziani</mark>&gt; &amp; famiglie."
    assert snippet("nulla da vedere", ["anzian"]) == ""


def test_query_from_params():
    query, page, size = query_from_params({
        "q": "assistenza", "state": "draft", "year": "2025", "folder": "/ambiti/ba-01/",
        "sort": "title", "order": "desc", "page": "3", "size": "10",
        "created_from": "2025-01-01"})
    assert (page, size, query.start, query.limit, query.reverse) == (3, 10, 20, 10, True)
    assert {f.field for f in query.filters} == {"state", "year", "ancestors", "created"}
    for bad in ({"sort": "x"}, {"year": "duemila"}, {"page": "a"}, {"created_to": "ieri"}):
        with pytest.raises(InvalidQuery):
            query_from_params(bad)


def test_search_api_filters_by_the_requester(request, db):
    harness = make_harness(request, db, "embedded")
    build_tree(harness.root, harness.registry)
    harness.commit()
    req = testing.DummyRequest(params={"q": "domanda"}, registry=harness.registry)
    req.root = harness.root
    req.catalog = harness.catalog  # the app's request method (catalog.includeme)
    data = search_api(req)  # anonymous: no applications
    assert data["total"] == 3
    assert not data["incomplete"]
    assert {i["type_name"] for i in data["items"]} == {"Folder", "Page"}
    assert set(data["facets"]) == {"type_name", "state", "district", "municipality", "year"}


def test_openapi_fragment_is_well_formed():
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, **OPENAPI}
    validate(doc)
