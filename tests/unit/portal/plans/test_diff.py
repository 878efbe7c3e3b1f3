"""The difference between two versions: by source, by intervention and cell by cell."""
from decimal import Decimal

from portal.plans.rules import diff
from tests.unit.portal.plans.test_worked_example import INTERVENTIONS, worked_plan


def test_two_equal_versions_have_no_difference():
    assert diff.diff(worked_plan(), worked_plan()).empty


def test_a_moved_allocation_shows_by_source_by_intervention_and_in_its_cell():
    older = worked_plan()
    allocations = dict(older.allocations)
    allocations[("PSW", "FNPS", 2024)] = Decimal(100_000)  # was 150,000
    allocations[("CDM", "FNPS", 2024)] = Decimal(150_000)  # was 100,000
    changes = diff.diff(older, worked_plan(allocations=allocations))
    assert not changes.empty
    by_source = {line.code: line for line in changes.allocated}
    assert not by_source["FNPS"].changed  # 50k moved between interventions of the same source
    by_intervention = {line.code: (line.before, line.after, line.delta)
                       for line in changes.interventions if line.changed}
    assert by_intervention == {"PSW": (Decimal(750_000), Decimal(700_000), Decimal(-50_000)),
                               "CDM": (Decimal(1_000_000), Decimal(1_050_000), Decimal(50_000))}
    assert [(c.intervention, c.source, c.year, c.delta) for c in changes.cells] == [
        ("CDM", "FNPS", 2024, Decimal(50_000)), ("PSW", "FNPS", 2024, Decimal(-50_000))]


def test_added_and_removed_interventions_are_named():
    older = worked_plan()
    kept = INTERVENTIONS[1:]
    newer = worked_plan(interventions=kept,
                        allocations={k: v for k, v in older.allocations.items() if k[0] != "PSW"})
    changes = diff.diff(older, newer)
    assert changes.removed == (INTERVENTIONS[0].title,)
    assert diff.diff(newer, older).added == (INTERVENTIONS[0].title,)
    line = next(line for line in changes.interventions if line.code == "PSW")
    assert (line.before, line.after, line.delta) == (Decimal(750_000), None, Decimal(-750_000))
    fnps = next(line for line in changes.allocated if line.code == "FNPS")
    assert fnps.delta == Decimal(-450_000)
