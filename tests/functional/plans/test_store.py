"""The store of the plans: versions, frozen states, tokens, transfers, removals that cascade."""
from decimal import Decimal

import pytest

from portal.plans import store
from portal.plans.rules import model
from portal.plans.rules.errors import (
    InvalidPeriod,
    PlanExists,
    PlanFrozen,
    PlanNotEditable,
    SectionConflict,
    VersionOpen,
)
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import allocation_rows, fire, source_rows


def plan_in(portal):
    return portal["ambiti"]["ba-01"]["piani"]["2025-2027"]


def test_a_second_plan_for_the_same_period_or_a_bad_period_is_refused(plan_app):
    def attempt(portal):
        district = portal["ambiti"]["ba-01"]
        errors = []
        for period in ("2025-2027", "2025-2026", "duemila", "1990-1992"):
            try:
                store.create_plan(district, period, who="rup-ba01")
            except (PlanExists, InvalidPeriod) as exc:
                errors.append(type(exc).__name__)
        return errors, [p.period for p in store.plans_of(district)]

    assert run_in_app(plan_app, attempt) == (
        ["PlanExists", "InvalidPeriod", "InvalidPeriod", "InvalidPeriod"], ["2025-2027"])


def test_a_stale_token_is_a_conflict_and_changes_nothing(plan_app):
    def attempt(portal):
        version = store.latest(plan_in(portal))
        sent = store.token(version, model.ALLOCAZIONI)
        store.save_allocations(version, allocation_rows(), sent_token=sent, who="anna")
        before = dict(version.allocations)
        with pytest.raises(SectionConflict):
            store.save_allocations(version, [], sent_token=sent, who="bruno")
        # another section's token is its own: saving the sources is not a conflict
        store.save_sources(version, source_rows(version),
                           sent_token=store.token(version, model.FONTI), who="bruno")
        return version.allocations == before, version.last_saved["who"]

    assert run_in_app(plan_app, attempt) == (True, "bruno")


def test_removing_a_source_or_an_intervention_removes_its_allocations(plan_app):
    def attempt(portal):
        version = store.latest(plan_in(portal))
        rows = [r for r in source_rows(version) if r["code"] != "PNRR"]
        store.save_sources(version, rows, sent_token=None, who="x")
        after_source = {k[1] for k in version.allocations}
        kept = [i for i in version.interventions if i["code"] != "CDM"]
        store.save_interventions(version, kept, sent_token=None, who="x")
        return "PNRR" in after_source, {k[0] for k in version.allocations}

    assert run_in_app(plan_app, attempt) == (False, {"PSW", "SAD"})


def test_a_sent_version_is_not_editable_an_approved_one_is_frozen_and_a_revision_copies_it(
        plan_app):
    path = plan_app.plan_path + "/versione-1"
    fire(plan_app, path, "submit")

    def sent(portal):
        with pytest.raises(PlanNotEditable):
            store.save_allocations(store.latest(plan_in(portal)), [], sent_token=None, who="x")
        with pytest.raises(VersionOpen):
            store.new_version(plan_in(portal), who="x")

    run_in_app(plan_app, sent)
    fire(plan_app, path, "take_in_charge", "approve")

    def approved(portal):
        plan = plan_in(portal)
        first = store.latest(plan)
        with pytest.raises(PlanFrozen):
            store.save_sources(first, [], sent_token=None, who="x")
        second = store.new_version(plan, who="rup-ba01", registry=plan_app.registry)
        return (second.__name__, second.state, second.based_on,
                second.allocations == first.allocations, store.approved(plan).number)

    assert run_in_app(plan_app, approved) == ("versione-2", "draft", 1, True, 1)


def test_the_regions_transfers_replace_availability_and_survive_the_ats_save(plan_app):
    def attempt(portal):
        version = store.latest(plan_in(portal))
        store.set_transfers(version, {("FNPS", 2025): Decimal("400000.00"),
                                      ("NOPE", 2025): Decimal(1)}, who="regione")
        store.save_sources(version, source_rows(version), sent_token=None, who="rup-ba01")
        notes = store.set_section_notes(version, {"fonti": " Rivedere i residui ",
                                                  "interventi": "", "altro": "x"})
        store.record_review(version, who="regione", comment="Da rivedere")
        return (version.availability[("FNPS", 2025)], version.availability[("FNPS", 2026)],
                "NOPE" in {k[0] for k in version.transfers}, notes,
                version.reviews[-1]["notes"])

    assert run_in_app(plan_app, attempt) == (
        Decimal("400000.00"), Decimal("350000.00"), False, {"fonti": "Rivedere i residui"},
        {"fonti": "Rivedere i residui"})


def test_submission_through_the_guard_lists_how_many_problems(plan_app):
    def attempt(portal):
        version = store.latest(plan_in(portal))
        rows = allocation_rows({("PSW", "FNPS"): "400.000,00"})
        store.save_allocations(version, rows, sent_token=None, who="x")
        found = store.problems_of(version)
        return len(found), store.submission_message(found).interpolate()

    count, message = run_in_app(plan_app, attempt)
    assert count == 3  # FNPS over by 50k in each of the three years
    assert message.startswith("Il piano ha 3 problemi da correggere prima dell'invio")
