"""The proposals' pure rules: what is proposed to whom, and what never is."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.applications.rules.eligibility import Rules
from portal.register.rules import proposals as rules

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, tzinfo=UTC)
BARI = rules.Place("072006", "Bari", "BA-01")
TARANTO = rules.Place("073027", "Taranto", "TA-01")
PLACES = {p.istat: p for p in (BARI, TARANTO)}


def call(*, ceiling="20000", target="children_0_36", districts=("BA-01",), opens=-10,
         closes=30, series="s1", **extra):
    return rules.OpenCall(
        uid=f"uid-{series}", series=series, path=f"/regione/avvisi/{series}",
        title="Buoni servizio minori", current=True,
        rules=Rules.from_data({"target": target, "isee_types": ["ordinario", "minorenni"],
                               "isee_max": ceiling, "residence_region": "16", **extra}),
        opens_at=NOW + timedelta(days=opens), closes_at=NOW + timedelta(days=closes),
        apply_paths={d: f"/ambiti/{d.lower()}/domande/{series}" for d in districts})


def family(isee="8000", child_born=date(2024, 3, 1), istat="072006", applied=(),
           dsu=date(2026, 1, 20), kind="ordinario"):
    members = (rules.Member("CNTMRC85P09E506E", "Marco", date(1985, 9, 9), istat, "16"),
               rules.Member("CNTLCU24A15A662X", "Luca", child_born, istat, "16"))
    value = None if isee is None else rules.Isee(Decimal(isee), dsu, date(dsu.year, 12, 31), kind)
    return rules.Household("NF-1", members, value, frozenset(applied))


def propose(household, *calls):
    return rules.proposals(household, calls, PLACES, NOW, TODAY)


def test_a_child_under_the_age_and_an_isee_under_the_ceiling_get_the_call_with_the_reason():
    (found,) = propose(family(), call())
    assert found.member.first_name == "Luca"
    assert found.district == "BA-01"
    assert found.apply_path == "/ambiti/ba-01/domande/s1"
    assert found.reason.startswith("Luca ha 2 anni, l'ISEE del nucleo (€")
    assert "8.000,00) è sotto la soglia di €" in found.reason
    assert found.reason.endswith("20.000,00 e risiedete a Bari (Ambito BA-01)")
    data = found.to_data(NOW)
    assert set(data) >= {"call_uid", "call_path", "call_title", "district", "reason",
                         "apply_path", "computed_at"}


def test_what_is_never_proposed():
    assert propose(family(isee="20000.01"), call()) == ()  # over the ceiling
    assert propose(family(), call(opens=-40, closes=-1)) == ()  # closed
    assert propose(family(), call(opens=2)) == ()  # not yet open
    assert propose(family(), call(districts=("TA-01",))) == ()  # another ATS's call
    assert propose(family(istat="073027"), call()) == ()  # they live in TA-01
    assert propose(family(applied=("s1",)), call()) == ()  # already applied
    assert propose(family(isee=None), call()) == ()  # no ISEE known
    assert propose(family(dsu=date(2025, 5, 1)), call()) == ()  # expired on 31/12/2025
    assert propose(family(kind="universita"), call()) == ()  # a type the call does not take
    assert propose(family(child_born=date(2022, 1, 1)), call()) == ()  # 50 months old
    assert propose(family(), call(target="disability")) == ()  # unknown to the portal


def test_the_restricted_ceiling_applies_to_a_socio_sanitario_isee():
    restricted = call(restricted_isee_max="5000", isee_types=["socio_sanitario"])
    assert propose(family(kind="socio_sanitario"), restricted) == ()
    assert len(propose(family(isee="5000", kind="socio_sanitario"), restricted)) == 1


def test_the_heads_get_the_proposals_of_the_household():
    household = family()
    found = propose(household, call())
    by_member = rules.for_members(household, found, heads=("CNTMRC85P09E506E",))
    assert [p.member.first_name for p in by_member["CNTMRC85P09E506E"]] == ["Luca"]
    assert [p.member.first_name for p in by_member["CNTLCU24A15A662X"]] == ["Luca"]
    stored = [p.to_data(NOW) for p in found]
    assert rules.same(stored, [p.to_data(NOW + timedelta(days=1)) for p in found])
    assert not rules.same(stored, [])


@settings(max_examples=200, deadline=None)
@given(isee=st.decimals(min_value=0, max_value=60000, places=2),
       ceiling=st.integers(1000, 50000),
       born=st.dates(min_value=date(2020, 1, 1), max_value=TODAY))
def test_proposed_exactly_when_age_and_isee_fit(isee, ceiling, born):
    found = propose(family(isee=str(isee), child_born=born), call(ceiling=str(ceiling)))
    months = (TODAY.year - born.year) * 12 + TODAY.month - born.month - (TODAY.day < born.day)
    assert bool(found) == (isee <= ceiling and 0 <= months < 36)
    for proposal in found:
        assert proposal.district == "BA-01"
