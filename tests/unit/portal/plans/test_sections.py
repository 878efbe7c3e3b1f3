"""Reading the editor's sections: every wrong cell named with its reason, all or nothing."""
from decimal import Decimal

import pytest

from portal.plans.rules import model, sections
from portal.plans.rules.errors import InvalidPlanData
from portal.plans.rules.model import Municipality

YEARS = (2025, 2026, 2027)
MUNICIPALITIES = (Municipality("072006", "Bari", 316_000), Municipality("072027", "Modugno", 37_000))


def refused(read, *args):
    with pytest.raises(InvalidPlanData) as caught:
        read(*args)
    return {k: v.interpolate() if hasattr(v, "interpolate") else v
            for k, v in caught.value.fields.items()}


def test_sources_read_per_year_and_the_municipal_source_takes_no_typed_amount():
    rows = [{"code": "fnps", "title": "FNPS", "kind": "statale", "fund": "fnps",
             "amounts": {"2025": "350.000,00", "2026": "", "2027": "1.000"}},
            {"code": "COM", "title": "Comuni", "kind": "comunale",
             "amounts": {"2025": "999"}}]
    found, availability = sections.read_sources(rows, YEARS)
    assert [s["code"] for s in found] == ["FNPS", "COM"]
    assert found[0]["fund"] == "FNPS"
    assert availability == {("FNPS", 2025): Decimal("350000.00"),
                            ("FNPS", 2027): Decimal("1000.00")}


def test_the_regions_transfers_stand_whatever_the_ats_types():
    rows = [{"code": "FNPS", "title": "FNPS", "kind": "statale",
             "amounts": {"2025": "1,00", "2026": "2,00", "2027": "3,00"}}]
    _found, availability = sections.read_sources(
        rows, YEARS, transfers={("FNPS", 2025): Decimal("350000.00")})
    assert availability[("FNPS", 2025)] == Decimal("350000.00")
    assert availability[("FNPS", 2026)] == Decimal("2.00")


def test_bad_source_rows_are_named_cell_by_cell():
    rows = [{"code": "fnps", "title": "", "kind": "boh", "amounts": {"2025": "-3"}},
            {"code": "FNPS", "title": "Doppia", "kind": "statale", "amounts": {"2026": "x"}},
            {"code": "con spazio", "title": "T", "kind": "altre"}]
    fields = refused(sections.read_sources, rows, YEARS)
    assert set(fields) == {"fonti.0.titolo", "fonti.0.tipo", "fonti.0.2025", "fonti.1.codice",
                           "fonti.1.2026", "fonti.2.codice"}
    assert "negativo" in fields["fonti.0.2025"]
    assert "già usato" in fields["fonti.1.codice"]


def test_cofinancing_from_another_ats_municipality_is_refused_by_its_code():
    rows = [{"istat": "072006", "amounts": {"2025": "1.580.000,00"}},
            {"istat": "073027", "amounts": {"2025": "10"}}]
    fields = refused(sections.read_cofinancing, rows, YEARS, MUNICIPALITIES)
    assert list(fields) == ["cofinanziamento.1.comune"]
    assert "073027" in fields["cofinanziamento.1.comune"]
    assert "non appartiene a questo Ambito" in fields["cofinanziamento.1.comune"]


def test_cofinancing_reads_amounts_per_municipality_and_year():
    rows = [{"istat": "072027", "amounts": {"2026": "185.000"}}]
    assert sections.read_cofinancing(rows, YEARS, MUNICIPALITIES) == {
        ("072027", 2026): Decimal("185000.00")}


def test_interventions_keep_municipalities_only_when_municipal():
    rows = [{"code": "cdm", "title": "Centri diurni", "level": "COMUNALE",
             "municipalities": ["072006", "072006", ""], "voucher_series": ["abc", " "]},
            {"code": "PSW", "title": "Servizio sociale", "level": "AMBITO",
             "municipalities": ["072006"]}]
    found = sections.read_interventions(rows, MUNICIPALITIES)
    assert found[0]["code"] == "CDM"
    assert found[0]["municipalities"] == ("072006",)
    assert found[0]["voucher_series"] == ("abc",)
    assert found[1]["municipalities"] == ()


def test_bad_interventions_are_named():
    rows = [{"code": "", "title": "", "level": "REGIONALE"},
            {"code": "X", "title": "Uno", "level": "COMUNALE", "municipalities": ["016024"]},
            {"code": "X", "title": "Due"}]
    fields = refused(sections.read_interventions, rows, MUNICIPALITIES)
    assert set(fields) == {"interventi.0.codice", "interventi.0.titolo", "interventi.0.valenza",
                           "interventi.1.comuni", "interventi.2.codice"}


def test_allocations_add_up_repeated_cells_and_name_unknown_ones():
    interventions = ({"code": "PSW"},)
    sources = ({"code": "FNPS"},)
    rows = [{"intervention": "PSW", "source": "FNPS", "year": "2025", "amount": "100,00"},
            {"intervention": "PSW", "source": "FNPS", "year": "2025", "amount": "50"},
            {"intervention": "PSW", "source": "FNPS", "year": "2026", "amount": ""}]
    assert sections.read_allocations(rows, YEARS, interventions, sources) == {
        ("PSW", "FNPS", 2025): Decimal("150.00")}
    bad = [{"intervention": "ZZZ", "source": "FNA", "year": "1999", "amount": "1,001"}]
    fields = refused(sections.read_allocations, bad, YEARS, interventions, sources)
    assert set(fields) == {"allocazioni.0.intervento", "allocazioni.0.fonte",
                           "allocazioni.0.anno", "allocazioni.0.importo"}
    assert "2025, 2026, 2027" in fields["allocazioni.0.anno"]


def test_a_plan_keeps_every_section_it_was_given():
    plan = model.from_dicts(YEARS, [{"code": "FNPS", "title": "FNPS", "kind": "statale",
                                     "fund": "FNPS"}],
                            {("FNPS", 2025): Decimal(10)},
                            interventions=[{"code": "PSW", "title": "T", "municipalities": [],
                                            "voucher_series": ["s"]}])
    assert plan.source("FNPS").ordinary
    assert plan.intervention("PSW").voucher_series == ("s",)
    assert plan.available("FNPS", 2025) == Decimal(10)
    assert plan.available("FNPS", 2026) == Decimal("0.00")
