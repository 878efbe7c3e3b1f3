"""domain.md §6's worked example: ATS «BA-99», 4 municipalities, 100,000 inhabitants, 2022–24.

The availability, allocation and left figures per source, the ordinary total, and the FNPS
monitoring (850k allocated, 700k committed, 520k paid → economia 150k, residuo 180k) come
out exactly. The example gives amounts over the period; the years below split them so that
no year is over-allocated.
"""
from decimal import Decimal

import pytest

from portal.plans.rules import budget, model, monitoring
from portal.plans.rules.model import Intervention, Movement, Municipality, Source

YEARS = (2022, 2023, 2024)
K = Decimal(1000)

SOURCES = (
    Source("RES", "Residui del precedente PdZ", model.RESIDUO),
    Source("FNPS", "Fondo nazionale politiche sociali", model.STATALE, "FNPS"),
    Source("FNA", "Fondo non autosufficienze", model.STATALE, "FNA"),
    Source("POV", "Fondo povertà (quota servizi)", model.STATALE, "POV"),
    Source("FGSA", "Fondo globale socio-assistenziale", model.REGIONALE, "FGSA"),
    Source("COM", "Cofinanziamento comunale", model.COMUNALE, "COM"),
)
#: 100,000 inhabitants over 4 municipalities; €5 per inhabitant per year [A]
MUNICIPALITIES = (
    Municipality("072001", "Acquaviva", 40_000), Municipality("072002", "Binetto", 30_000),
    Municipality("072003", "Cassano", 20_000), Municipality("072004", "Grumo", 10_000),
)
AVAILABLE = {  # per year: × 3 = the example's "Available"
    "RES": (420 * K, 0, 0), "FNPS": (350 * K, 350 * K, 350 * K),
    "FNA": (260 * K, 260 * K, 260 * K), "POV": (450 * K, 450 * K, 450 * K),
    "FGSA": (180 * K, 180 * K, 180 * K),
}
INTERVENTIONS = (
    Intervention("PSW", "Servizio sociale professionale e segretariato", "PSW", "MULBEN", "1A"),
    Intervention("SAD", "Assistenza domiciliare (quota sociale SAD/ADI)", "HOMECARE", "ELD", "2D"),
    Intervention("PIS", "Pronto intervento sociale", "EMERG", "POV", "1C"),
    Intervention("INC", "Servizi per i progetti di inclusione", "INCLUS", "POV", "5I"),
    Intervention("CDM", "Centri diurni per minori, art. 52", "DAYC", "FAM", "3G",
                 model.COMUNALE_LEVEL, ("072001", "072002")),
    Intervention("RET", "Integrazione rette per strutture residenziali", "RESFEE", "ELD", "4H",
                 model.COMUNALE_LEVEL, ("072003", "072004")),
)
#: (intervention, source) -> per year; the sums are the example's "Amount and sources"
ALLOCATED = {
    ("PSW", "FNPS"): (150 * K, 150 * K, 150 * K),   # 450k
    ("PSW", "COM"): (100 * K, 100 * K, 100 * K),    # 300k
    ("SAD", "FNA"): (240 * K, 230 * K, 230 * K),    # 700k
    ("SAD", "FGSA"): (70 * K, 65 * K, 65 * K),      # 200k
    ("PIS", "POV"): (100 * K, 100 * K, 100 * K),    # 300k
    ("INC", "POV"): (340 * K, 330 * K, 330 * K),    # 1,000k
    ("CDM", "FNPS"): (150 * K, 150 * K, 100 * K),   # 400k
    ("CDM", "COM"): (200 * K, 200 * K, 200 * K),    # 600k
    ("RET", "COM"): (190 * K, 180 * K, 180 * K),    # 550k
    ("RET", "FGSA"): (100 * K, 100 * K, 100 * K),   # 300k
    ("RET", "RES"): (400 * K, 0, 0),                # 400k
}


def worked_plan(**changes):
    availability = {(code, year): Decimal(amount)
                    for code, amounts in AVAILABLE.items()
                    for year, amount in zip(YEARS, amounts, strict=True)}
    cofinancing = {(m.istat, year): m.inhabitants * Decimal(5)
                   for m in MUNICIPALITIES for year in YEARS}
    allocations = {(i, s, year): Decimal(amount)
                   for (i, s), amounts in ALLOCATED.items()
                   for year, amount in zip(YEARS, amounts, strict=True) if amount}
    values = {"years": YEARS, "sources": SOURCES, "availability": availability,
              "cofinancing": cofinancing, "interventions": INTERVENTIONS,
              "allocations": allocations, "municipalities": MUNICIPALITIES,
              "min_cofinancing": Decimal(5)}
    return model.Plan(**{**values, **changes})


def test_the_worked_example_has_its_sources_available_allocated_and_left():
    figures = {s.code: f for s, f in budget.by_source(worked_plan())}
    expected = {  # source: (available, allocated, left)
        "RES": (420_000, 400_000, 20_000), "FNPS": (1_050_000, 850_000, 200_000),
        "FNA": (780_000, 700_000, 80_000), "POV": (1_350_000, 1_300_000, 50_000),
        "FGSA": (540_000, 500_000, 40_000), "COM": (1_500_000, 1_450_000, 50_000),
    }
    assert {code: (f.available, f.allocated, f.remaining) for code, f in figures.items()} == {
        code: tuple(Decimal(v) for v in values) for code, values in expected.items()}


def test_the_worked_example_has_its_ordinary_total():
    total = budget.ordinary_total(worked_plan())
    assert (total.available, total.allocated, total.remaining) == (
        Decimal(5_640_000), Decimal(5_200_000), Decimal(440_000))


def test_the_worked_example_allocates_each_intervention_its_amount_and_sources():
    rows = budget.by_intervention(worked_plan())
    assert rows == {
        "PSW": {"FNPS": 450 * K, "COM": 300 * K},
        "SAD": {"FNA": 700 * K, "FGSA": 200 * K},
        "PIS": {"POV": 300 * K},
        "INC": {"POV": 1000 * K},
        "CDM": {"FNPS": 400 * K, "COM": 600 * K},
        "RET": {"COM": 550 * K, "FGSA": 300 * K, "RES": 400 * K},
    }
    assert [budget.intervention_total(worked_plan(), i.code) for i in INTERVENTIONS] == [
        750 * K, 900 * K, 300 * K, 1000 * K, 1000 * K, 1250 * K]


def test_the_worked_example_breaks_no_invariant():
    assert budget.problems(worked_plan()) == []


def test_the_worked_example_fnps_monitoring_gives_economia_and_residuo():
    movements = (
        Movement("PSW", "FNPS", 2022, model.IMPEGNO, 400 * K),
        Movement("CDM", "FNPS", 2022, model.IMPEGNO, 300 * K),
        Movement("PSW", "FNPS", 2022, model.LIQUIDAZIONE, 320 * K),
        Movement("CDM", "FNPS", 2022, model.LIQUIDAZIONE, 200 * K),
    )
    figures = monitoring.execution(worked_plan(), movements, source="FNPS")
    assert (figures.allocated, figures.committed, figures.paid) == (850 * K, 700 * K, 520 * K)
    assert figures.economia == 150 * K
    assert figures.residuo == 180 * K
    assert figures.committed_share == Decimal("82.4")
    assert monitoring.below_threshold(figures, Decimal(90))
    assert not monitoring.below_threshold(figures, Decimal(80))


def test_other_resources_stay_outside_the_ordinary_total():
    pnrr = Source("PNRR", "PNRR M5C2", model.ALTRE)
    plan = worked_plan(sources=(*SOURCES, pnrr),
                       availability={**worked_plan().availability, ("PNRR", 2022): 250 * K},
                       allocations={**worked_plan().allocations, ("INC", "PNRR", 2022): 200 * K})
    assert budget.ordinary_total(plan).available == Decimal(5_640_000)
    assert budget.other_total(plan) == budget.Figure(250 * K, 200 * K)
    assert budget.problems(plan) == []


def test_allocating_beyond_a_source_in_a_year_is_a_problem_naming_the_excess():
    plan = worked_plan(allocations={**worked_plan().allocations,
                                    ("PIS", "FNPS", 2024): Decimal("100000.01")})
    found = budget.problems(plan)
    assert [(p.section, p.code, p.key) for p in found] == [
        (model.ALLOCAZIONI, "over_allocated", ("FNPS", 2024))]
    assert "eccedenza di € 0,01" in str(found[0].message.interpolate())


def test_a_municipality_below_the_regional_minimum_is_named_with_its_minimum():
    plan = worked_plan(cofinancing={**worked_plan().cofinancing,
                                    ("072004", 2023): Decimal("49999.99")})
    [problem] = budget.problems(plan)
    assert (problem.section, problem.code, problem.key) == (
        model.COFINANZIAMENTO, "below_minimum", ("072004", 2023))
    assert "minimo regionale di € 50.000,00" in problem.message.interpolate()


def test_a_municipality_of_another_ats_cannot_cofinance():
    plan = worked_plan(cofinancing={**worked_plan().cofinancing, ("016024", 2022): 10 * K})
    assert [p.code for p in budget.problems(plan)] == ["foreign_municipality"]


def test_an_uncoded_intervention_is_listed_for_each_missing_code():
    uncoded = Intervention("X", "Nuovo servizio", service="", area="FAM", objective="")
    found = budget.problems(worked_plan(interventions=(*INTERVENTIONS, uncoded)))
    assert [(p.code, p.key) for p in found] == [("not_coded", ("X",)), ("not_coded", ("X",))]


@pytest.mark.parametrize(("text", "expected"), [
    ("12.450,00", Decimal("12450.00")), ("12450.00", Decimal("12450.00")),
    ("1.250.000", Decimal(1_250_000)), ("1.250", Decimal(1250)), ("€ 7", Decimal("7.00")),
    ("", Decimal("0.00")),
])
def test_amounts_are_read_as_italians_type_them(text, expected):
    assert model.parse_amount(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("abc", "non è un importo"), ("-5", "negativo"), ("1,234", "due decimali"),
    ("9999999999999", "troppo grande"), ("NaN", "non è un importo"),
])
def test_bad_amounts_are_refused_saying_why(text, reason):
    with pytest.raises(model.AmountError) as caught:
        model.parse_amount(text)
    assert reason in caught.value.message.interpolate()
