"""The call's rules in plain Italian: every rule kind has a sentence, no code is ever shown."""
from datetime import UTC, date, datetime, timedelta

from content_types.call import TARGETS, Call
from portal.applications.rules import call_text
from portal.applications.rules.eligibility import Rules


def make(**rules):
    call = Call(title="Buoni", code="buoni", target="elderly",
                period_start=date(2027, 1, 1), period_end=date(2027, 12, 31),
                opens_at=datetime(2026, 12, 1, 8, tzinfo=UTC),
                closes_at=datetime(2027, 1, 31, 11, tzinfo=UTC), max_months=12)
    call.eligibility = {"target": "elderly", "isee_types": ["ordinario", "socio_sanitario"],
                        "isee_max": "40000", **rules}
    call.copayment = {"scheme": "elderly", "franchigia": "50",
                      "bands": [{"up_to": "10000", "coverage": "100"},
                                {"up_to": None, "coverage": "60"}]}
    call.ranking = {"keys": [{"field": "isee", "order": "asc"}], "allow_skipping": True}
    call.budgets = {"BA-01": "1000"}
    return call


def text_of(call):
    lines = (call_text.eligibility_lines(call) + call_text.isee_lines(call)
             + call_text.copayment_lines(call) + call_text.ranking_lines(call)
             + call_text.date_lines(call))
    return " ".join(call_text.plain(line) for line in lines)


def test_every_rule_kind_has_a_sentence_and_no_code_shows():
    call = make(age_min_months=780, age_max_months=1200, restricted_isee_max="20000",
                residence_region="16", disability_required=True, reject_discrepancies=True,
                age_reference="2027-01-01", service_types=["centro-diurno-anziani"])
    assert set(Rules.from_data(call.eligibility).to_data()) <= set(call.eligibility) | {
        "age_reference"}
    text = text_of(call)
    for wanted in ("almeno 65 anni e meno di 100 anni", "01/01/2027", "Puglia",
                   "disabilità certificata", "esclude la domanda", "Centro diurno per anziani",
                   "€ 20.000,00", "ISEE ordinario oppure ISEE socio-sanitario",
                   "franchigia mensile di € 50,00", "prima l'ISEE più basso",
                   "protocollo più basso", "successive che vi rientrano", "01/12/2026 09:00"):
        assert wanted in text, wanted
    for code in (*TARGETS, "socio_sanitario", "centro-diurno-anziani", "2026-12-01"):
        assert code not in text
    rows = call_text.band_rows(call)
    assert [r["share"] for r in rows] == ["0 %", "40 %"]
    assert rows[1]["from"] == "€ 10.000,01"


def test_window_state_and_message():
    call = make()
    call.publish("regione", datetime(2026, 11, 1, tzinfo=UTC))
    before = call.opens_at - timedelta(minutes=1)
    assert call_text.window_state(call, before) == call_text.NOT_YET
    assert "apre il 01/12/2026 09:00" in call_text.plain(call_text.window_message(call, before))
    assert call_text.window_state(call, call.opens_at) == call_text.OPEN
    after = call.closes_at + timedelta(seconds=1)
    assert "chiusa" in call_text.plain(call_text.window_message(call, after))


def test_differences_field_by_field():
    old = make(isee_max="25000")
    new = make(isee_max="30000")
    new.integration_days = 20
    changes = {call_text.plain(label): (call_text.plain(a), call_text.plain(b))
               for label, a, b in call_text.differences(old, new, {"BA-01": "Bari"})}
    assert changes["Soglia ISEE"] == ("€ 25.000,00", "€ 30.000,00")
    assert changes["Giorni per le integrazioni"] == ("10", "20")
    assert len(changes) == 2
    assert not call_text.bands_changed(old, new)
