"""An approved plan is public: anyone reaches it from its ATS's page, with its signed summary."""


def test_the_public_reaches_the_approved_plan_from_the_district_page(testapp):
    district = testapp.get("/ambiti/ba-01")
    assert 'href="/ambiti/ba-01/piani/"' in district.text  # the district's own listing
    page = testapp.get("/ambiti/ba-01/piani/")
    assert page.html.find(id="piani-approvati") is not None
    page = testapp.get("/ambiti/ba-01/piani")
    links = page.html.find(id="piani-approvati").find_all("a")
    assert [a["href"] for a in links] == [
        "/ambiti/ba-01/piani/2025-2027/versione-1/",
        "/ambiti/ba-01/piani/2025-2027/versione-1/@@riepilogo.pdf"]
    version = testapp.get(links[0]["href"])
    assert "Fondo nazionale per le politiche sociali" in version.text
    pdf = testapp.get(links[1]["href"])
    assert pdf.content_type == "application/pdf"


def test_a_plan_still_with_the_region_is_not_listed_for_the_public(testapp):
    page = testapp.get("/ambiti/ta-01/piani")
    assert page.html.find(id="nessun-piano-approvato") is not None
    assert "/ambiti/ta-01/piani/2025-2027" not in page.text
