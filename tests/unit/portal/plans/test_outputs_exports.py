"""The exports and the summary's figures over random plans: every cent written once, and what is
left is always available minus allocated (property-based: money)."""
import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from content_types.values import ZERO
from portal.plans import exports
from portal.plans.rules import budget, model
from portal.plans.rules.model import Intervention, Source

YEARS = (2025, 2026, 2027)
SOURCES = (Source("FNPS", "Fondo nazionale", model.STATALE, "FNPS"),
           Source("FGSA", "Fondo regionale", model.REGIONALE, "FGSA"),
           Source("PNRR", "PNRR", model.ALTRE, "ALT"))
INTERVENTIONS = (Intervention("PSW", "Servizio sociale", "PSW", "MULBEN", "1A"),
                 Intervention("SAD", "=SOMMA(A1:A9)", "HOMECARE", "ELD", "2D"),
                 Intervention("CDM", "Centri diurni", "DAYC", "FAM", "3G"))
CENTS = st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c) / 100)
CELLS = st.tuples(st.sampled_from([i.code for i in INTERVENTIONS]),
                  st.sampled_from([s.code for s in SOURCES]), st.sampled_from(YEARS))
PLANS = st.builds(
    lambda availability, allocations: model.Plan(
        years=YEARS, sources=SOURCES, interventions=INTERVENTIONS,
        availability=availability, allocations=allocations),
    st.dictionaries(st.tuples(st.sampled_from([s.code for s in SOURCES]),
                              st.sampled_from(YEARS)), CENTS),
    st.dictionaries(CELLS, CENTS, max_size=27))


@given(PLANS)
def test_the_csv_writes_every_allocation_once_to_the_cent(plan):
    text = exports.to_csv(plan)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    found = {(r["codice_intervento"], r["fonte"], int(r["anno"])): Decimal(r["importo_eur"])
             for r in rows}
    assert len(found) == len(rows)
    assert found == plan.allocations
    for r in rows:  # the one spelling: dot, two decimals
        key = (r["codice_intervento"], r["fonte"], int(r["anno"]))
        assert r["importo_eur"] == f"{plan.allocations[key]:.2f}"
    assert {r["intervento"] for r in rows if r["codice_intervento"] == "SAD"} <= {"'=SOMMA(A1:A9)"}


@given(PLANS)
def test_the_source_rows_leave_available_minus_allocated_and_sum_to_the_totals(plan):
    rows = exports.source_rows(plan)
    assert len(rows) == len(SOURCES) * len(YEARS)
    for row in rows:
        assert row["da_assegnare_eur"] == row["disponibile_eur"] - row["assegnato_eur"]
    ordinary = budget.ordinary_total(plan)
    assert sum((r["assegnato_eur"] for r in rows if r["bilancio_ordinario"] == "sì"),
               ZERO) == ordinary.allocated
    assert sum((r["disponibile_eur"] for r in rows if r["bilancio_ordinario"] == "sì"),
               ZERO) == ordinary.available
    assert sum((r["assegnato_eur"] for r in rows), ZERO) == sum(plan.allocations.values(), ZERO)


@given(PLANS)
def test_each_intervention_s_ordinary_and_other_resources_add_up_to_its_allocations(plan):
    for row in exports.intervention_rows(plan):
        mine = {k: v for k, v in plan.allocations.items() if k[0] == row["codice_intervento"]}
        assert row["ordinario_eur"] == sum((v for k, v in mine.items() if k[1] != "PNRR"), ZERO)
        assert row["altre_risorse_eur"] == sum((v for k, v in mine.items() if k[1] == "PNRR"),
                                               ZERO)


def test_the_xlsx_keeps_amounts_as_numbers_and_neutralises_formulas():
    plan = model.Plan(years=YEARS, sources=SOURCES, interventions=INTERVENTIONS,
                      availability={("FNPS", 2025): Decimal("1000.10")},
                      allocations={("SAD", "FNPS", 2025): Decimal("1000.10")})
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(plan)))
    header, row = list(workbook["Allocazioni"].iter_rows(values_only=True))
    record = dict(zip(header, row, strict=True))
    assert record["importo_eur"] == 1000.1
    assert record["intervento"] == "'=SOMMA(A1:A9)"
    assert workbook["Allocazioni"]["I2"].number_format == exports.MONEY_FORMAT
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
