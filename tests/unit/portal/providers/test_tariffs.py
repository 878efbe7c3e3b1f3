"""Tariff history: a past date resolves to the tariff then in force; revisions never act backwards."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from content_types.catalogue_entry import CatalogueEntry, RevisionError, TariffNotFound


def make_entry():
    entry = CatalogueEntry(title="Asilo nido — tempo pieno", creator="girasole")
    entry.set_data({"service_type": "asilo-nido", "age_min_months": 3, "age_max_months": 36,
                    "tariff_full": Decimal(500), "tariff_part": Decimal("350.555"),
                    "places_offered": 10})
    return entry


def test_money_is_decimal_rounded_half_up_to_cents():
    entry = make_entry()
    assert entry.tariff_full == Decimal("500.00")
    assert entry.tariff_part == Decimal("350.56")


def test_a_past_date_resolves_to_the_tariff_then_in_force():
    entry = make_entry()
    entry.publish_tariff(date(2025, 9, 1), who="regione")
    entry.record_tariff(date(2026, 1, 1), Decimal(520), Decimal(360), who="regione")
    entry.record_tariff(date(2026, 3, 15), Decimal("540.004"), None, who="regione")
    assert entry.tariff_at(date(2025, 9, 1)) == Decimal("500.00")
    assert entry.tariff_at(date(2025, 12, 31)) == Decimal("500.00")
    assert entry.tariff_at(date(2025, 12, 31), full_time=False) == Decimal("350.56")
    assert entry.tariff_at(date(2026, 1, 1)) == Decimal("520.00")
    assert entry.tariff_at(date(2026, 3, 14), full_time=False) == Decimal("360.00")
    assert entry.tariff_at(date(2026, 3, 15)) == Decimal("540.00")
    assert entry.tariff_at(date(2030, 1, 1)) == Decimal("540.00")
    # an aware datetime is read in Rome time: 23:30 UTC on 31/12 is already 1 January
    late = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert entry.tariff_at(late) == Decimal("520.00")
    with pytest.raises(TariffNotFound):
        entry.tariff_at(date(2026, 4, 1), full_time=False)  # part time no longer offered
    with pytest.raises(TariffNotFound) as info:
        entry.tariff_at(date(2025, 8, 31))
    assert info.value.code == "tariff_not_found"
    assert [r.full_time for r in entry.tariff_history()] == [
        Decimal("500.00"), Decimal("520.00"), Decimal("540.00")]


def test_publishing_twice_does_not_duplicate_the_history():
    entry = make_entry()
    entry.publish_tariff(date(2025, 9, 1))
    entry.publish_tariff(date(2025, 10, 1))
    assert len(entry.tariff_history()) == 1


def test_an_approved_revision_applies_from_the_later_of_request_and_approval():
    entry = make_entry()
    entry.publish_tariff(date(2025, 9, 1), who="regione")
    entry.propose_revision(Decimal(600), Decimal(400), 12, date(2025, 10, 1), "girasole")
    # until approved the published values stay in force
    assert entry.tariff_full == Decimal("500.00")
    assert entry.places_offered == 10
    with pytest.raises(RevisionError):
        entry.propose_revision(Decimal(700), None, 12, date(2025, 10, 1), "girasole")
    decided = entry.approve_revision("regione", today=date(2025, 11, 20))
    assert decided["effective"] == date(2025, 11, 20)  # asked for October: not retroactive
    assert entry.tariff_at(date(2025, 11, 19)) == Decimal("500.00")
    assert entry.tariff_at(date(2025, 11, 20)) == Decimal("600.00")
    assert entry.tariff_full == Decimal("600.00")
    assert entry.places_offered == 12
    assert entry.pending_revision is None
    assert entry.revision_history[-1]["outcome"] == "approvata"


def test_a_rejected_revision_needs_a_reason_and_changes_nothing():
    entry = make_entry()
    entry.publish_tariff(date(2025, 9, 1))
    with pytest.raises(RevisionError):
        entry.propose_revision(Decimal(500), Decimal("350.56"), 10, date(2025, 9, 1), "g")
    entry.propose_revision(Decimal(900), None, 10, date(2026, 1, 1), "girasole")
    with pytest.raises(RevisionError):
        entry.reject_revision("regione", "  ")
    entry.reject_revision("regione", "Aumento non motivato")
    assert entry.tariff_at(date(2026, 2, 1)) == Decimal("500.00")
    assert entry.revision_history[-1]["decision_reason"] == "Aumento non motivato"
    with pytest.raises(RevisionError):
        entry.approve_revision("regione")
