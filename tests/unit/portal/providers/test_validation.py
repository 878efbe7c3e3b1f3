"""Bad input is refused field by field: codes, PEC, tariffs, places, ages, coordinates."""
import colander
import pytest

from content_types.catalogue_entry import CatalogueEntrySchema
from content_types.district import District, Municipality
from content_types.folder import DistrictFolder, ProviderFolder
from content_types.portal_root import Portal
from content_types.provider import ProviderSchema
from content_types.service_unit import ServiceUnit, ServiceUnitSchema

ENTRY = {"title": "Nido", "service_type": "asilo-nido", "age_min_months": "3",
         "age_max_months": "36", "tariff_full": "500,00", "tariff_part": "",
         "places_offered": "10"}
UNIT = {"title": "Nido Il Girasole", "address": "Via Sparano 10", "municipality_code": "072006",
        "latitude": "41.1171", "longitude": "16.8719", "regulatory_article": "art. 53",
        "authorisation_number": "12/2020", "authorisation_date": "2020-03-01",
        "capacity": "30"}
PROVIDER = {"title": "Coop. Il Girasole", "tax_code": "12345670017",
            "pec": "girasole@pec.example.it", "ats_code": "BA-01",
            "legal_representative_cf": "RSSMRA88C52A662W"}


@pytest.fixture
def portal():
    root = Portal(title="Portale")
    ambiti = DistrictFolder(title="Ambiti")
    root.add("ambiti", ambiti, send_events=False)
    root.add("catalogo", ProviderFolder(title="Catalogo"), send_events=False)
    district = District(title="Ambito di Bari", code="BA-01")
    ambiti.add("ba-01", district, send_events=False)
    district.add("bari", Municipality(title="Bari", istat_code="072006"), send_events=False)
    return root


def errors(schema, data, context=None):
    if context is not None:
        schema = schema.bind(context=context)
    with pytest.raises(colander.Invalid) as info:
        schema.deserialize(data)
    return info.value.asdict()


def test_valid_data_passes_and_money_is_decimal(portal):
    entry = CatalogueEntrySchema().bind(context=portal).deserialize(ENTRY)
    assert str(entry["tariff_full"]) == "500.00"
    assert entry["tariff_part"] is None
    unit = ServiceUnitSchema().bind(context=portal).deserialize(UNIT)
    assert unit["capacity"] == 30
    assert unit["latitude"] == pytest.approx(41.1171)
    provider = ProviderSchema().bind(context=portal).deserialize(PROVIDER)
    assert provider["ats_code"] == "BA-01"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("tariff_full", "0", "maggiore di zero"),
    ("tariff_full", "-10", "maggiore di zero"),
    ("tariff_full", "10000,01", "supera 10.000"),
    ("tariff_part", "25000", "supera 10.000"),
    ("tariff_full", "tanti", ""),
    ("places_offered", "-1", "non possono essere negativi"),
    ("service_type", "piscina", ""),
])
def test_entry_field_errors(field, value, message):
    found = errors(CatalogueEntrySchema(), {**ENTRY, field: value})
    assert field in found
    assert message in found[field]


def test_inverted_age_range_and_period_are_field_errors():
    found = errors(CatalogueEntrySchema(), {**ENTRY, "age_min_months": "36",
                                            "age_max_months": "3",
                                            "period_start": "2026-06-30",
                                            "period_end": "2025-09-01"})
    assert "inferiore alla minima" in found["age_max_months"]
    assert "precede l'inizio" in found["period_end"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"latitude": "48.5"}, "latitude", "fuori dall'Italia"),
    ({"longitude": "2.35"}, "longitude", "fuori dall'Italia"),
    ({"latitude": ""}, "latitude", "insieme"),
    ({"municipality_code": "072999"}, "municipality_code", "Nessun comune"),
    ({"municipality_code": "72006"}, "municipality_code", "6 cifre"),
    ({"capacity": "0"}, "capacity", "Almeno un posto"),
    ({"regulatory_article": "art. 999"}, "regulatory_article", ""),
    ({"authorisation_date": "2999-01-01"}, "authorisation_date", "futura"),
])
def test_unit_field_errors(portal, changes, field, message):
    found = errors(ServiceUnitSchema(), {**UNIT, **changes}, context=portal)
    assert field in found
    assert message in found[field]


@pytest.mark.parametrize(("changes", "field"), [
    ({"tax_code": "12345678901"}, "tax_code"),  # wrong check digit
    ({"tax_code": "RSSMRA88C52A662X"}, "tax_code"),
    ({"pec": "girasole-at-pec.example.it"}, "pec"),
    ({"legal_representative_cf": "RSSMRA88C52A662"}, "legal_representative_cf"),
    ({"ats_code": "BA-99"}, "ats_code"),
    ({"ats_code": "bari"}, "ats_code"),
])
def test_provider_field_errors(portal, changes, field):
    assert field in errors(ProviderSchema(), {**PROVIDER, **changes}, context=portal)


def test_a_unit_takes_names_from_the_tree(portal):
    unit = ServiceUnit(title="Nido")
    portal["catalogo"].add("u", unit, send_events=False)
    unit.set_data({"municipality_code": "072006"})
    assert (unit.municipality, unit.ats_code) == ("Bari", "BA-01")
