"""The queue fields of real applications, on both backends: exact search, personal filter, counts."""
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workflows
import workflows.application as wf
from catalog import Eq, In, InvalidQuery, Query
from catalog.entry import descendants, name_words
from content_types.application import Application
from content_types.district import District
from content_types.events import LocalRolesChanged
from content_types.folder import DistrictFolder, Folder
from content_types.security import ATS_OFFICER, set_local_roles
from tests.unit.catalog.conftest import ANON, BOB, RITA, make_harness
from workflows.errors import WorkflowError

ADMIN = ("role:admin",)
DAN = ("system.Everyone", "system.Authenticated", "user:dan")  # ATS officer of BA-02
SUBMITTED = tuple(s.name for s in wf.STATES if s.name != wf.DRAFT)
FROM_STATES = {t.name: t.from_states for t in wf.TRANSITIONS}
ENTRY = "/catalogo/girasole/nido/tempo-pieno"


@pytest.fixture(params=["embedded", "elasticsearch"])
def portal(request, db):
    """Both backends, with the real content types and workflows."""
    harness = make_harness(request, db, request.param)
    harness.config.include("workflows")
    harness.config.commit()
    registry = harness.registry
    ambiti = harness.root.add("ambiti", DistrictFolder(title="Ambiti"), registry=registry)
    for code, officer, town in (("BA-01", "user:bob", "Bari"), ("BA-02", "user:dan", "Modugno")):
        district = ambiti.add(code.lower(), District(title=code, code=code), registry=registry)
        folder = district.add("domande", Folder(title="Domande"), registry=registry)
        for index in range(3):
            application = Application(title="Domanda in bozza", creator="alice")
            folder.add(f"d{index}", application, registry=registry)
            application.assign_parties("alice")
            given = ("Luca", "Sofìa", "Paolo")[index]
            application.set_data({"beneficiary_name": f"{given} D'Amico {town}",
                                  "beneficiary_fiscal_code": f"dmclcu25h0{index}a66{code[-1]}r",
                                  "catalogue_entry_path": ENTRY})
            application.protocol = f"2026/{code[-1]}00000{index}"
            workflows.fire(application, None, wf.SUBMIT, registry=registry)
        set_local_roles(district, officer, {ATS_OFFICER})
        registry.notify(LocalRolesChanged(district))
    harness.commit()
    return harness


def hits(portal, principals, *filters, personal=True):
    return sorted(h.path for h in portal.search(principals, filters=filters, personal=personal,
                                                limit=100).items)


def test_exact_fields_and_the_personal_filter(portal):
    one = "/ambiti/ba-01/domande/d1"
    assert hits(portal, BOB, Eq("protocol", "2026/1000001")) == [one]
    assert hits(portal, BOB, Eq("beneficiary_fiscal_code", "DMCLCU25H01A661R")) == [one]
    # the words are folded (accents, case): what ``catalog.entry.name_words`` gives a query
    assert hits(portal, ADMIN, *(Eq("beneficiary_words", w) for w in name_words("SOFIA amico"))) \
        == ["/ambiti/ba-01/domande/d1", "/ambiti/ba-02/domande/d1"]
    assert hits(portal, BOB, *(Eq("beneficiary_words", w) for w in name_words("Sofia"))) == [one]
    # an ATS officer finds nothing of another ATS; anonymous and the Region nothing personal
    assert hits(portal, DAN, Eq("beneficiary_fiscal_code", "DMCLCU25H01A661R")) == []
    for who in (ANON, RITA):
        assert hits(portal, who, Eq("type_name", "Application")) == [], who
    assert len(hits(portal, RITA, Eq("type_name", "Application"), personal=False)) == 6
    assert hits(portal, ANON, Eq("type_name", "Application"), personal=False) == []
    with pytest.raises(InvalidQuery):
        Query(filters=(Eq("beneficiary_words", "luca"),))
    # the chosen service's provider finds the requests (no personal data involved)
    assert len(hits(portal, ADMIN, Eq("service_paths", "/catalogo/girasole"),
                    personal=False)) == 6


def walk(root, district=None):
    found = Counter()
    for obj in descendants(root):
        if (isinstance(obj, Application) and obj.state != wf.DRAFT
                and district in (None, obj.__parent__.__parent__.__name__)):
            found[obj.state] += 1
    return dict(found)


def counted(portal, principals):
    results = portal.search(principals, filters=(Eq("type_name", "Application"),
                                                 In("state", SUBMITTED)),
                            facets=("state",), limit=0, personal=True)
    return dict(results.facets["state"])


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(sorted(FROM_STATES))),
                      min_size=1, max_size=10))
def test_counts_per_state_equal_a_walk_of_the_tree(portal, steps):
    apps = sorted((a for a in descendants(portal.root) if isinstance(a, Application)),
                  key=lambda a: a.uid)
    for index, name in steps:
        target = apps[index]
        if target.state in FROM_STATES[name]:
            try:
                workflows.fire(target, None, name, "prova", registry=portal.registry)
            except WorkflowError:
                continue  # a guard objected: nothing changed
    portal.commit()
    assert counted(portal, ADMIN) == walk(portal.root)
    assert counted(portal, BOB) == walk(portal.root, "ba-01")
    assert counted(portal, DAN) == walk(portal.root, "ba-02")
    assert counted(portal, ANON) == {}
