"""The register over random sequences of grants and status changes, on a real (in-memory)
ZODB: the social index always says what the folders hold, and the duplicate check refuses
exactly the grants whose period shares a day with a counted benefit of the same category."""
from datetime import date, timedelta

import pytest
import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyramid.traversal import resource_path
from ZODB import DB

from content_types.district import District, Municipality
from content_types.folder import DistrictFolder
from content_types.portal_root import Portal
from portal.db import SOCIAL_KEY
from portal.demo.ids import fiscal_code
from portal.people import store as people
from portal.people.index import SocialIndex
from portal.register import grant, listing
from portal.register.rules import periods
from portal.register.rules.errors import BenefitStatusError, DuplicateBenefit, InvalidBenefit
from portal.register.rules.status import MOVES

DAY0 = date(2025, 1, 1)
#: two codes of one category (HOMECARE, NURSERY) and one of another, one-off included
CODES = {"A1.04": "HOMECARE", "A1.07": "NURSERY", "A1.NN": "NURSERY", "A2.01": "INCOME"}
ONE_OFF = {"A2.01"}
CODE = fiscal_code("RSS", "MRA", date(1980, 5, 4))


def build():
    """A portal of two ATS (BA-01 with Bari, TA-01 with Taranto), one person in Bari."""
    db = DB(None)
    conn = db.open()
    root = conn.root()
    portal = Portal(title="Portale", creator="admin")
    root["portal"] = portal
    root[SOCIAL_KEY] = SocialIndex()
    portal.add("ambiti", DistrictFolder(title="Ambiti", creator="admin"))
    for code, name, title, istat in (("ba-01", "bari", "Bari", "072006"),
                                     ("ta-01", "taranto", "Taranto", "073027")):
        district = District(title=f"Ambito {code.upper()}", creator="admin", code=code.upper())
        portal["ambiti"].add(code, district)
        district.add(name, Municipality(title=title, creator="admin", istat_code=istat))
    transaction.commit()
    person = people.register_person(portal, {
        "fiscal_code": CODE, "first_name": "Mario", "last_name": "Rossi",
        "address": {"kind": "residence", "street": "Via Roma 1", "istat": "072006",
                    "region": "16"}}, "comune-bari")
    return db, conn, portal, person


@pytest.fixture
def world():
    db, conn, portal, person = build()
    yield portal, person
    transaction.abort()
    conn.close()
    db.close()


def stored(portal):
    found = []
    for district in portal["ambiti"].values():
        folder = district.get("prestazioni")
        if folder is not None:
            found.extend(listing.benefits_in(folder))
    return found


grants = st.tuples(st.just("grant"), st.sampled_from(("ba-01", "ta-01")),
                   st.sampled_from(sorted(CODES)), st.integers(0, 60), st.integers(0, 40),
                   st.booleans())
changes = st.tuples(st.sampled_from(sorted(MOVES)), st.integers(0, 20), st.integers(0, 50))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(grants, changes), min_size=1, max_size=14))
def test_the_index_is_the_register_and_the_check_is_exact(actions):
    db, conn, portal, person = build()
    try:
        for action in actions:
            if action[0] == "grant":
                _, where, code, offset, length, with_reason = action
                start = DAY0 + timedelta(days=offset)
                end = start + timedelta(days=length)
                last = start if code in ONE_OFF else end
                expected = sorted(
                    b.uid for b in stored(portal)
                    if b.service == CODES[code] and b.status in periods.COUNTED
                    and b.start <= last and start <= (b.end if b.periodic else b.start))
                data = {"siuss_code": code, "start": start, "end": end, "protocol": "P-1",
                        "monthly_amount": "100,50", "public_share": "90", "user_share": "10.5"}
                reason = "verificato con l'altro ente" if with_reason else None
                count = len(stored(portal))
                try:
                    benefit = grant.grant(portal["ambiti"][where], person, data, "op",
                                          reason=reason)
                except DuplicateBenefit as refused:
                    assert not with_reason
                    assert expected
                    shown = sorted(r["uid"] for r in refused.overlaps)
                    assert shown == expected
                    assert len(stored(portal)) == count  # nothing stored
                else:
                    assert with_reason or not expected
                    assert sorted(o["path"].rsplit("/", 1)[-1] for o in benefit.overlaps) == \
                        sorted(b.__name__ for b in stored(portal) if b.uid in expected)
                    assert benefit.override_reason == (reason if expected else "")
            else:
                move, which, end_offset = action
                benefits = sorted(stored(portal), key=lambda b: b.uid)
                if not benefits:
                    continue
                benefit = benefits[which % len(benefits)]
                before = (benefit.status, benefit.end)
                end = DAY0 + timedelta(days=end_offset) if move == "end" else None
                try:
                    grant.change_status(benefit, move, "op", "motivo", end=end)
                except BenefitStatusError:
                    assert before[0] not in MOVES[move][0]
                    assert (benefit.status, benefit.end) == before
                except InvalidBenefit:
                    assert move == "end"
                    assert end < benefit.start
                    assert (benefit.status, benefit.end) == before  # nothing changed
                else:
                    assert benefit.status == MOVES[move][1]
            refs = people.index(portal).benefits_of(CODE)
            assert sorted((r["uid"], r["status"], r["start"], r["end"]) for r in refs) == sorted(
                (b.uid, b.status, b.start, b.end if b.periodic else b.start)
                for b in stored(portal))
    finally:
        transaction.abort()
        conn.close()
        db.close()


refs = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 10),
                          st.sampled_from(("HOMECARE", "NURSERY")),
                          st.sampled_from(("active", "suspended", "ended", "cancelled"))),
                max_size=12)


@settings(max_examples=300, deadline=None)
@given(refs, st.integers(0, 30), st.integers(0, 10), st.sampled_from(("HOMECARE", "NURSERY")))
def test_overlapping_finds_exactly_the_benefits_sharing_a_day(items, offset, length, service):
    found = [{"uid": f"u{i}", "service": s, "status": status,
              "start": DAY0 + timedelta(days=a), "end": DAY0 + timedelta(days=a + n)}
             for i, (a, n, s, status) in enumerate(items)]
    wanted = periods.Period(DAY0 + timedelta(days=offset),
                            DAY0 + timedelta(days=offset + length))

    def days(start, end):
        return {start + timedelta(days=k) for k in range((end - start).days + 1)}

    expected = {r["uid"] for r in found if r["service"] == service
                and r["status"] != "cancelled"
                and days(r["start"], r["end"]) & days(wanted.start, wanted.end)}
    assert {r["uid"] for r in periods.overlapping(found, service, wanted)} == expected


def test_a_second_benefit_from_another_ats_needs_a_reason(world):
    portal, person = world
    taranto = portal["ambiti"]["ta-01"]
    first = grant.grant(taranto, person, {
        "siuss_code": "A1.07", "start": date(2025, 9, 1), "end": date(2026, 6, 30),
        "protocol": "TA/1", "monthly_amount": "300"}, "rup-ta01")
    data = {"siuss_code": "A1.NN", "start": date(2026, 1, 1), "end": date(2026, 3, 31),
            "protocol": "BA/1", "monthly_amount": "364", "user_share": "136"}
    with pytest.raises(DuplicateBenefit) as refused:
        grant.grant(portal["ambiti"]["ba-01"], person, data, "rup-ba01")
    assert [r["uid"] for r in refused.value.overlaps] == [first.uid]
    assert refused.value.overlaps[0]["district"] == "TA-01"
    assert "reason" in refused.value.fields
    second = grant.grant(portal["ambiti"]["ba-01"], person, data, "rup-ba01",
                         reason="  Nido  diverso,   verificato ")
    assert second.override_reason == "Nido diverso, verificato"
    assert [o["path"] for o in second.overlaps] == [resource_path(first)]
    # another category, or a disjoint period: no check
    grant.grant(portal["ambiti"]["ba-01"], person, {**data, "siuss_code": "A1.04"}, "rup-ba01")
    grant.grant(portal["ambiti"]["ba-01"], person, {
        **data, "start": date(2026, 7, 1), "end": date(2026, 8, 31)}, "rup-ba01")


@pytest.mark.parametrize(("change", "field"), [
    ({"end": date(2025, 8, 1)}, "end"),
    ({"siuss_code": "B7.77"}, "siuss_code"),
    ({"monthly_amount": "-5"}, "monthly_amount"),
    ({"user_share": "12,3,4"}, "user_share"),
    ({"protocol": ""}, "protocol"),
])
def test_bad_input_names_the_field_and_stores_nothing(world, change, field):
    portal, person = world
    data = {"siuss_code": "A1.07", "start": date(2025, 9, 1), "end": date(2026, 6, 30),
            "protocol": "BA/1", "monthly_amount": "300", **change}
    with pytest.raises(InvalidBenefit) as refused:
        grant.grant(portal["ambiti"]["ba-01"], person, data, "rup-ba01")
    assert field in refused.value.fields
    assert stored(portal) == []
    assert people.index(portal).benefits_of(CODE) == ()
