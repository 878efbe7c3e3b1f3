"""The map of needs: ATS officers see their ATS, the Region every ATS; no page shows a count
from 1 to 4; the counters follow cases taken in charge and closed, and benefits granted and
cancelled, and agree with a recount from the tree."""
import re
from datetime import date

import pytest

from content_types.values import rome_today
from portal.cases import store as cases
from portal.demo.ids import fiscal_code
from portal.demo.social import ELDER_CODE
from portal.people import store as people
from portal.register import grant, needs_map
from tests.conftest import login
from tests.functional.applications.conftest import run_in_app

DISTRICT_MAP = "/ambiti/ba-01/@@mappa-bisogni"
REGION_MAP = "/regione/@@mappa-bisogni"
BARI = {"kind": "residence", "street": "Via Roma 1", "istat": "072006", "region": "16"}
SMALL = re.compile(r"\b[1-4]\b")


def shown_numbers(page):
    """Every count the page shows: table cells and the map's circle labels."""
    cells = [td.get_text(strip=True) for td in page.html.select("table td")]
    titles = [t.get_text(strip=True).rsplit(":", 1)[1] for t in page.html.select("svg g title")]
    return cells, titles


def assert_nothing_small(page):
    cells, titles = shown_numbers(page)
    assert cells
    assert titles
    assert not [c for c in cells if c.isdigit() and 1 <= int(c) <= 4], cells
    assert not [t for t in titles if SMALL.fullmatch(t.strip())], titles


def cell(page, table, istat, column):
    header = [th.get_text(strip=True) for th in page.html.select(f"#{table} thead th")]
    row = page.html.select_one(f"#{table} tr[data-istat='{istat}']")
    return [td.get_text(strip=True) for td in row.select("td")][header.index(column) - 1]


def elders_in_care(wsgi_app, count, close=0):
    """``count`` elderly people of Bari taken in charge by as-bari (area ELD), ``close`` closed."""
    def work(portal):
        registry = wsgi_app.registry
        made = []
        for n in range(count):
            code = fiscal_code("VCC", "ANZ", date(1940, 1, 1 + n))
            person = people.register_person(portal, {
                "fiscal_code": code, "first_name": "Anziano", "last_name": f"Numero {n}",
                "address": BARI}, "comune-bari", registry)
            case = cases.open_case(person, "as-bari", registry, office="ss-bari")
            cases.take_charge(case, "as-bari", "as-bari", area="ELD", registry=registry)
            made.append(case)
        for case in made[:close]:
            cases.close(case, "as-bari", "Trasferito in struttura", registry)
        return [c.fiscal_code for c in made]
    return run_in_app(wsgi_app, work)


def test_small_counts_are_never_shown(testapp, wsgi_app):
    login(testapp, "ats_officer")
    page = testapp.get(DISTRICT_MAP)  # the demo: Giovanni Greco, in care (ELD), home care
    assert cell(page, "tabella-BA-01", "072006", "ELD") == "< 5"
    assert_nothing_small(page)
    assert_nothing_small(testapp.get(DISTRICT_MAP + "?misura=prestazioni"))
    elders_in_care(wsgi_app, 6)
    page = testapp.get(DISTRICT_MAP)
    assert cell(page, "tabella-BA-01", "072006", "ELD") == "7"
    assert_nothing_small(page)
    assert page.html.select_one("svg circle") is not None
    assert not page.html.select("script:not([src])")


def test_closing_cases_brings_the_count_back_under_five(testapp, wsgi_app):
    elders_in_care(wsgi_app, 5, close=2)  # 1 (demo) + 5 - 2 = 4
    login(testapp, "ats_officer")
    page = testapp.get(DISTRICT_MAP + "?area=ELD")
    assert cell(page, "tabella-BA-01", "072006", "ELD") == "< 5"
    assert_nothing_small(page)
    bari = [t.get_text() for t in page.html.select("svg g title") if "Bari" in t.get_text()]
    assert bari == ["Bari: < 5"]


def test_benefits_count_in_each_year_of_their_period_until_cancelled(testapp, wsgi_app):
    codes = elders_in_care(wsgi_app, 5)
    year = rome_today().year

    def grant_all(portal):
        district = portal["ambiti"]["ba-01"]
        made = []
        for n, code in enumerate(codes):
            made.append(grant.grant(district, people.find_person(portal, code), {
                "siuss_code": "A1.04", "start": date(year, 1, 1),
                "end": date(year + 1, 6, 30), "protocol": f"{year}/SAD-9{n}"},
                "comune-bari", wsgi_app.registry, municipality="072006"))
        grant.change_status(made[0], "cancel", "comune-bari", "Errore", wsgi_app.registry)
    run_in_app(wsgi_app, grant_all)
    login(testapp, "ats_officer")
    # the demo's home care (this year and the next) + 4 of the 5 (one cancelled)
    this_year = testapp.get(DISTRICT_MAP + f"?misura=prestazioni&anno={year}")
    assert cell(this_year, "tabella-BA-01", "072006", "ELD") == "5"
    assert_nothing_small(this_year)
    next_year = testapp.get(DISTRICT_MAP + f"?misura=prestazioni&anno={year + 1}")
    # the demo's runs a year from the first of this month: into next year, unless in January
    expected = "5" if year + 1 in demo_benefit_years(wsgi_app) else "< 5"
    assert cell(next_year, "tabella-BA-01", "072006", "ELD") == expected
    earlier = testapp.get(DISTRICT_MAP + f"?misura=prestazioni&anno={year - 1}")
    assert cell(earlier, "tabella-BA-01", "072006", "ELD") == "0"

    def recount(portal):
        towns = list(people.municipalities(portal))
        before = {m: needs_map.raw_counts(towns, m, y) for m in (needs_map.CARE, needs_map.BENEFITS)
                  for y in (year - 1, year, year + 1)}
        needs_map.rebuild(portal)
        after = {m: needs_map.raw_counts(towns, m, y) for m in (needs_map.CARE, needs_map.BENEFITS)
                 for y in (year - 1, year, year + 1)}
        return before, after
    before, after = run_in_app(wsgi_app, recount)
    assert before == after


def test_the_region_sees_every_district(testapp, wsgi_app):
    login(testapp, "region_officer")
    page = testapp.get(REGION_MAP)
    assert {t["data-ambito"] for t in page.html.select("table[data-ambito]")} == {
        "BA-01", "TA-01", "LE-03"}
    assert page.html.select_one("#tabella-regione") is not None
    assert len(page.html.select("svg circle")) == 6
    assert_nothing_small(page)


def test_bad_choices_fall_back_to_the_defaults(testapp):
    login(testapp, "ats_officer")
    for query in ("?anno=abc", "?anno=99999999999999999999", "?misura=x&area=%00", "?area=ZZZ"):
        testapp.get(DISTRICT_MAP + query, status=200)


@pytest.mark.parametrize(("who", "district", "region"), [
    ("ats_officer", 200, 403), ("region_officer", 200, 200), ("admin", 200, 200),
    ("citizen", 403, 403), ("provider", 403, 403), ("social_worker", 403, 403),
    ("municipal_operator", 403, 403), ("delegate", 403, 403)])
def test_who_sees_the_map(testapp, who, district, region):
    login(testapp, who)
    testapp.get(DISTRICT_MAP, status=district)
    testapp.get(REGION_MAP, status=region)


def test_an_officer_sees_only_their_district_and_the_region_every_one(testapp):
    login(testapp, "ats_officer")
    testapp.get("/ambiti/ta-01/@@mappa-bisogni", status=403)
    testapp.reset()
    login(testapp, "region_officer")
    page = testapp.get("/ambiti/ta-01/@@mappa-bisogni")
    assert page.html.select_one("#tabella-TA-01") is not None


def test_anonymous_is_sent_to_log_in(testapp):
    assert testapp.get(DISTRICT_MAP, status=303).location
    assert testapp.get(REGION_MAP, status=303).location


def demo_benefit_years(wsgi_app):
    def work(portal):
        path = people.index(portal).benefits_of(ELDER_CODE)[0]["path"]
        obj = portal
        for part in path.strip("/").split("/"):
            obj = obj[part]
        return needs_map.benefit_years(obj)
    return run_in_app(wsgi_app, work)
