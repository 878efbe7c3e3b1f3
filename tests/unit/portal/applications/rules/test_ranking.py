"""domain.md §5 worked example, exactly, plus versions and scorrimento."""
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from portal.applications.rules.copayment import ChildrenScheme
from portal.applications.rules.errors import InvalidRules, RankingError
from portal.applications.rules.ranking import (
    FUNDED,
    NOT_FUNDED,
    Candidate,
    RankingRules,
    changes,
    compute,
    freeze,
    next_version,
)

D = Decimal
ROME = ZoneInfo("Europe/Rome")


def at(day, hour, minute):
    return datetime(2025, 7, day, hour, minute, tzinfo=ROME).astimezone(UTC)


def candidate(protocol, isee, prio, when):
    share = ChildrenScheme().share(D(isee), D("500"))
    return Candidate(protocol, D(isee), when, share.voucher, 10, priority=prio,
                     priorities=int(prio))


@pytest.fixture
def example():
    return [
        candidate("A", "1800", False, at(1, 9, 12)),
        candidate("B", "12450", True, at(3, 16, 40)),
        candidate("C", "6200", False, at(1, 10, 2)),
        candidate("D", "18000", False, at(2, 8, 30)),
        candidate("E", "6200", False, at(1, 11, 40)),
    ]


def test_worked_example_exactly(example):
    ranking = compute(example, D("15000"))
    rows = [(line.protocol, line.candidate.monthly_voucher, line.candidate.cost, line.cumulative,
             line.outcome)
            for line in ranking.lines]
    assert rows == [
        ("B", D("364.00"), D("3640.00"), D("3640.00"), FUNDED),
        ("A", D("480.00"), D("4800.00"), D("8440.00"), FUNDED),
        ("C", D("446.50"), D("4465.00"), D("12905.00"), FUNDED),
        ("E", D("446.50"), D("4465.00"), None, NOT_FUNDED),
        ("D", D("255.00"), D("2550.00"), None, NOT_FUNDED),
    ]
    e, d = ranking.line("E"), ranking.line("D")
    assert e.first_in_line
    assert not d.first_in_line
    assert e.available_before == D("2095.00")
    assert d.available_before == D("2095.00")
    # C beats E on timestamp only
    assert ranking.line("C").decided_by == "submitted_at"
    assert "Precede il protocollo E per orario di invio." in ranking.line("C").explanation()
    assert ranking.line("B").decided_by == "priority"
    assert ranking.line("A").decided_by == "isee"
    # D does not fit the remaining 2,095 and no skipping is allowed
    assert d.blocked_by == 4
    assert ("Fondi residui € 2.095,00, insufficienti; l'avviso non consente di scavalcare "
            "la domanda in posizione 4 → NON FINANZIATA.") in d.explanation()
    assert "(prima in attesa di scorrimento)" in e.explanation()
    assert ranking.spent == D("12905.00")
    assert ranking.left == D("2095.00")
    b = ranking.line("B").explanation()
    assert b.startswith("Posizione 1: protocollo B; priorità sì; ISEE € 12.450,00; "
                        "inviata il 03/07/2025 alle 16:40. Buono € 364,00 × 10 mesi = "
                        "€ 3.640,00. Fondi disponibili € 15.000,00: la domanda rientra; "
                        "restano € 11.360,00 → FINANZIATA.")


def test_no_skipping_even_when_a_later_one_would_fit(example):
    small = candidate("F", "24000", False, at(4, 9, 0))  # voucher 205 × 10 = 2050 < 2095
    ranking = compute(example + [small], D("15000"))
    line = ranking.line("F")
    assert line.outcome == NOT_FUNDED
    assert "Pur rientrando nei fondi residui" in line.explanation()
    skipping = compute(example + [small], D("15000"), RankingRules(allow_skipping=True))
    assert skipping.line("F").outcome == FUNDED
    assert skipping.line("D").outcome == NOT_FUNDED  # 2550 > 2095


def test_keys_are_configurable(example):
    rules = RankingRules.from_data({"keys": [{"field": "isee", "order": "asc"},
                                             {"field": "submitted_at", "order": "asc"}]})
    ranking = compute(example, D("15000"), rules)
    assert [line.protocol for line in ranking.lines] == ["A", "C", "E", "B", "D"]
    with pytest.raises(InvalidRules):
        RankingRules.from_data({"keys": [{"field": "name"}]})
    with pytest.raises(InvalidRules):
        RankingRules.from_data({"keys": [{"field": "isee", "order": "up"}]})
    with pytest.raises(InvalidRules):
        RankingRules.from_data({"keys": [{"field": "isee"}, {"field": "isee"}]})


def test_bad_inputs_are_refused(example):
    with pytest.raises(RankingError):
        compute(example + [example[0]], D("15000"))
    with pytest.raises(RankingError):
        compute(example, D("-1"))


def freeze_example(example):
    return freeze(compute(example, D("15000")), version=1, district="BA-01", call_uid="c1",
                  call_version=1, created_at=at(10, 9, 0), created_by="rup-ba01")


def test_frozen_snapshot_recomputes_and_has_a_stable_digest(example):
    snap = freeze_example(example)
    again = freeze_example(list(reversed(example)))
    assert snap.digest == again.digest
    assert [line.protocol for line in snap.ranking().lines] == ["B", "A", "C", "E", "D"]
    assert snap.funded_protocols() == {"A", "B", "C"}
    public = snap.ranking().public_rows()
    assert public[0] == {"position": 1, "protocol": "B", "applicant": "", "score": "priorità",
                         "isee": D("12450.00"), "cost": D("3640.00"), "outcome": "FINANZIATA"}


def test_tampered_snapshot_is_detected(example):
    snap = freeze_example(example)
    snap.outcomes = tuple((p, FUNDED, k) for p, _, k in snap.outcomes)
    with pytest.raises(RankingError):
        snap.ranking()


def test_scorrimento_after_withdrawal_funds_the_next_in_line(example):
    first = freeze_example(example)
    remaining = [c for c in example if c.protocol != "A"]
    second = next_version(first, remaining, D("15000"), created_at=at(20, 9, 0),
                          created_by="rup-ba01", reason="Rinuncia del protocollo A")
    assert second.version == 2
    assert second.previous_digest == first.digest
    assert second.funded_protocols() == {"B", "C", "E"}
    found = {(c.protocol, c.kind) for c in changes(first, second)}
    assert ("A", "left") in found
    assert ("E", "newly_funded") in found
    assert ("D", "moved") in found
    messages = [c.message for c in changes(first, second)]
    assert "E: finanziata per scorrimento (posizione 3)." in messages
    with pytest.raises(RankingError):
        next_version(first, remaining, D("15000"), created_at=at(20, 9, 0),
                     created_by="x", reason="")


def test_scorrimento_after_budget_increase_keeps_earlier_funding(example):
    first = freeze_example(example)
    late = candidate("G", "100", True, at(15, 9, 0))  # would rank first
    second = next_version(first, example + [late], D("17100"), created_at=at(20, 9, 0),
                          created_by="rup-ba01", reason="Incremento del budget")
    ranking = second.ranking()
    assert {"A", "B", "C"} <= second.funded_protocols()
    assert ranking.line("B").kept
    assert "Già finanziata" in ranking.line("B").explanation()
    # 17,100 − 12,905 kept = 4,195 left: G (4,800) does not fit, and stops the line
    assert ranking.line("G").outcome == NOT_FUNDED
    assert ranking.line("G").first_in_line
    kinds = {c.kind for c in changes(first, second)}
    assert {"budget", "added"} <= kinds
