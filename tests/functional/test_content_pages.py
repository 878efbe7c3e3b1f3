"""Generic content pages: paging parameters, types without a form, adding where not allowed."""
import html

import pytest

from tests.conftest import login
from tests.functional.test_pages import api_post


@pytest.mark.parametrize("query", ["inizio=primo", "per_pagina=tanti", "inizio=1e3"])
def test_bad_paging_is_an_italian_400(testapp, query):
    page = testapp.get(f"/documenti?{query}", status=400)
    assert "Parametri di paginazione non validi." in html.unescape(page.text)


def listed(testapp, query=""):
    """The children a listing links to, in order."""
    page = testapp.get(f"/documenti{query}").html
    return [a["href"] for a in page.select("main a[href^='/documenti/']")
            if "?" not in a["href"] and "@@" not in a["href"]]


def test_odd_page_sizes_and_sorts_fall_back_to_the_defaults(testapp):
    login(testapp, "admin")
    for i in range(22):
        made = api_post(testapp, "/api/documenti/@@contenuti",
                        {"type": "Page", "title": f"Pagina {i:02d}"})
        assert made.status_int == 201
    default = listed(testapp)
    assert len(default) == 20
    assert listed(testapp, "?per_pagina=7&ordina=boh") == default
    assert listed(testapp, "?per_pagina=20&ordina=order&inizio=-3") == default
    assert listed(testapp, "?per_pagina=10") == default[:10]


def test_a_type_without_a_form_is_not_added_through_one(testapp):
    login(testapp, "admin")
    testapp.get("/")  # the welcome message
    before = testapp.get("/ambiti/ba-01/@@gestione").text
    page = testapp.get("/ambiti/ba-01/@@aggiungi?tipo=RankingFolder", status=400)
    assert "Questo tipo non si crea con un modulo." in html.unescape(page.text)
    testapp.post("/ambiti/ba-01/@@aggiungi?tipo=RankingFolder", {"title": "x"}, status=400)
    assert testapp.get("/ambiti/ba-01/@@gestione").text == before
