"""A small portal tree with a published call, built with the real content types and workflow."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pyramid import testing

import workflows
from content_types.application import Application
from content_types.application_folder import ApplicationFolder, CallApplicationFolder
from content_types.base import Content
from content_types.call import Call
from content_types.district import District
from content_types.folder import DistrictFolder
from content_types.region import Region
from portal.applications.rules.copayment import ChildrenScheme
from portal.applications.rules.isee import IseeRegistry
from portal.applications.rules.protocol import ProtocolCounters

CSV = """codice_fiscale;protocollo_dsu;tipo_isee;valore_isee;data_dsu
RSSLCU23S02A662V;INPS-ISEE-2025-01234567K-00;minorenni;12.450,00;10/02/2025
BNCNNA90A45D862T;INPS-ISEE-2025-01234568K-00;ordinario;41.000,00;10/02/2025
"""


class Entry(Content):
    """Stands in for the catalogue entry (built by another engineer): its public surface only."""

    type_name = "TestEntry"
    district = "BA-01"
    places = 1
    taken = 0

    @property
    def free_places(self):
        return self.places - self.taken

    def take_place(self):
        self.taken += 1

    def release_place(self):
        self.taken -= 1

    def tariff_at(self, day, full_time):
        return Decimal("500.00") if full_time else Decimal("300.00")


def children_call():
    call = Call(title="Buoni servizio infanzia 2025-2026", creator="regione", code="buoni-2025",
                target="children_0_36", period_start=date(2025, 9, 1),
                period_end=date(2026, 6, 30),
                opens_at=datetime(2025, 7, 1, 8, 0, tzinfo=UTC),
                closes_at=datetime(2025, 9, 15, 10, 0, tzinfo=UTC), max_months=10)
    call.set_rules(
        eligibility={"target": "children_0_36", "isee_types": ["minorenni", "ordinario"],
                     "isee_max": "40000", "residence_region": "16"},
        copayment=ChildrenScheme().to_data(),
        ranking={"keys": [{"field": "priority", "order": "desc"},
                          {"field": "isee", "order": "asc"},
                          {"field": "submitted_at", "order": "asc"}]})
    call.set_budget("BA-01", "15000", reason="", who="regione")
    return call


class Tree:
    pass


@pytest.fixture
def tree():
    """Use for rule tests on real content without an app: region, published call, district, ISEE rows."""
    config = testing.setUp()
    config.include("content_types")
    config.include("workflows")
    config.commit()
    t = Tree()
    t.registry = config.registry
    t.region = Region(title="Regione Puglia")
    t.call = children_call()
    t.region.add("buoni-2025", t.call, registry=config.registry)
    t.call.publish("regione", datetime(2025, 6, 20, tzinfo=UTC))
    ambiti = DistrictFolder(title="Ambiti")
    t.district = ambiti.add("ba-01", District(title="Ambito di Bari", code="BA-01"),
                              registry=config.registry)
    t.domande = t.district.add("domande", ApplicationFolder(title="Domande"),
                              registry=config.registry)
    t.domande.protocol_counters = ProtocolCounters()
    t.folder = t.domande.add("buoni-2025", CallApplicationFolder(
        title="Buoni 2025", call_uid=t.call.uid, call_series=t.call.series,
        call_path="/regione/buoni-2025", district_code="BA-01"), registry=config.registry)
    t.entry = Entry(title="Asilo nido Girasole")
    t.isee = IseeRegistry()
    t.isee.load_csv(CSV)

    def fire(obj, name, comment=""):
        return workflows.fire(obj, None, name, comment, registry=config.registry)

    t.fire = fire
    yield t
    testing.tearDown()


def draft(tree, name="d1", **changes):
    app = Application(title="Domanda in bozza", creator="cittadino", call_uid=tree.call.uid)
    tree.folder.add(name, app, registry=tree.registry)
    app.assign_parties("cittadino")
    data = {
        "applicant_name": "Maria Rossi", "applicant_fiscal_code": "RSSMRA88C52A662W",
        "email": "maria@example.it", "household_code": "FAM-0001",
        "beneficiary_name": "Luca Rossi", "beneficiary_fiscal_code": "RSSLCU23S02A662V",
        "residence_municipality": "072006", "residence_region": "16",
        "catalogue_entry_path": "/catalogo/girasole/nido/tempo-pieno", "full_time": True,
        "months": 10, "priority_continuity": False, "priority_siblings": False,
    }
    data.update(changes)
    app.set_data(data)
    return app
