"""The abbinamento window: deadline arithmetic in Rome time, the call's field, the lapse itself."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import colander
import pytest

import workflows
from content_types.application import Application
from content_types.call import MATCHING_DAYS_DEFAULT, Call, CallPublished, CallSchema
from content_types.values import ROME
from portal.applications.rules import lapse, matching
from portal.applications.rules.errors import BenefitError, InvalidRules
from portal.applications.rules.submission import Situation, submit
from tests.unit.portal.applications.rules.conftest import draft

NOW = datetime(2025, 7, 3, 14, 40, tzinfo=UTC)  # 16:40 in Rome


def sent(when, **kw):
    """An application as submission leaves it (only what the deadline reads)."""
    return Application(title="Domanda", submitted_at=when, protocol="2025/0000001", **kw)


def call(days=None):
    extra = {} if days is None else {"matching_days": days}
    return Call(title="Buoni 2025", code="buoni-2025", **extra)


def rome(*args):
    return datetime(*args, tzinfo=ROME)


# -- the arithmetic ------------------------------------------------------------------------

def test_submission_day_is_not_counted_and_the_last_day_runs_to_midnight_in_rome():
    app = sent(rome(2025, 9, 10, 9, 30))
    deadline = lapse.match_deadline(app, call(15))
    assert deadline.tzinfo is UTC
    assert lapse.last_day(app, call(15)).isoformat() == "2025-09-25"
    # 23:59:59.999999 CEST is 21:59:59.999999 UTC
    assert deadline == datetime(2025, 9, 25, 21, 59, 59, 999999, tzinfo=UTC)
    assert not lapse.overdue(app, call(15), rome(2025, 9, 25, 23, 59, 59))
    assert lapse.overdue(app, call(15), rome(2025, 9, 26, 0, 0))


def test_the_hour_of_submission_does_not_matter_only_the_day_in_rome():
    early = sent(rome(2025, 9, 10, 0, 1))
    late = sent(rome(2025, 9, 10, 23, 58))
    assert lapse.match_deadline(early, call(5)) == lapse.match_deadline(late, call(5))


def test_the_day_is_the_rome_day_not_the_utc_day():
    # 22:30 UTC on 9 September is already 00:30 of 10 September in Rome
    app = sent(datetime(2025, 9, 9, 22, 30, tzinfo=UTC))
    assert lapse.last_day(app, call(1)).isoformat() == "2025-09-11"


def test_spring_dst_change_inside_the_window():
    # sent in winter time (UTC+1), the term ends in summer time (UTC+2) on 30 March 2025
    app = sent(rome(2025, 3, 25, 10, 0))
    deadline = lapse.match_deadline(app, call(10))
    assert deadline == datetime(2025, 4, 4, 21, 59, 59, 999999, tzinfo=UTC)
    assert deadline.astimezone(ROME).hour == 23
    # adding 10 × 24 hours to the end of the submission day would end the term an hour late
    end_of_first_day = datetime(2025, 3, 25, 22, 59, 59, 999999, tzinfo=UTC)  # 23:59 CET
    assert deadline == end_of_first_day + timedelta(days=10) - timedelta(hours=1)
    assert lapse.overdue(app, call(10), datetime(2025, 4, 4, 22, 0, tzinfo=UTC))


def test_autumn_dst_change_inside_the_window():
    # sent in summer time (UTC+2), the term ends in winter time (UTC+1) on 26 October 2025
    app = sent(rome(2025, 10, 20, 18, 0))
    deadline = lapse.match_deadline(app, call(15))
    assert deadline == datetime(2025, 11, 4, 22, 59, 59, 999999, tzinfo=UTC)
    assert not lapse.overdue(app, call(15), datetime(2025, 11, 4, 22, 30, tzinfo=UTC))
    assert lapse.overdue(app, call(15), datetime(2025, 11, 4, 23, 0, tzinfo=UTC))


def test_a_draft_has_no_deadline_and_never_lapses():
    app = Application(title="Bozza")
    assert lapse.match_deadline(app, call()) is None
    assert not lapse.overdue(app, call(), datetime(2100, 1, 1, tzinfo=UTC))


def test_naive_times_are_refused():
    with pytest.raises(BenefitError) as excinfo:
        lapse.match_deadline(sent(datetime(2025, 9, 10, 9, 30)), call())
    assert "senza fuso orario" in str(excinfo.value.message)
    with pytest.raises(ValueError, match="timezone-aware"):
        lapse.overdue(sent(rome(2025, 9, 10, 9, 30)), call(), datetime(2025, 9, 30))


# -- the call's field ---------------------------------------------------------------------

def test_calls_stored_before_the_field_use_the_default():
    old = Call(title="Avviso 2024", code="buoni-2024")
    old.__dict__.pop("matching_days", None)  # as unpickled from an older database
    assert "matching_days" not in old.__dict__
    assert MATCHING_DAYS_DEFAULT == 15
    assert lapse.matching_days(old) == 15
    app = sent(rome(2025, 9, 10, 9, 30))
    assert lapse.last_day(app, old).isoformat() == "2025-09-25"


def test_the_window_is_a_rule_frozen_by_publication_and_carried_by_corrections():
    c = call(20)
    c.set_data({"matching_days": 30})  # a draft is edited directly
    c.publish("regione", NOW)
    with pytest.raises(CallPublished) as excinfo:
        c.set_data({"matching_days": 10})
    assert excinfo.value.details["fields"] == ["matching_days"]
    corrected = c.new_version("Termine troppo lungo", "regione", matching_days=10)
    assert (corrected.matching_days, c.matching_days) == (10, 30)
    assert c.new_version("Altro", "regione", title="x").matching_days == 30


CSTRUCT = {"title": "Avviso", "description": "", "code": "buoni-2025",
           "target": "children_0_36", "period_start": "2025-09-01",
           "period_end": "2026-06-30", "opens_at": "2025-07-01T08:00:00+00:00",
           "closes_at": "2025-09-15T10:00:00+00:00", "max_months": "10"}


def test_schema_default_and_range():
    schema = CallSchema()
    assert schema.deserialize(CSTRUCT)["matching_days"] == 15
    assert schema.deserialize({**CSTRUCT, "matching_days": "1"})["matching_days"] == 1
    assert schema.deserialize({**CSTRUCT, "matching_days": "90"})["matching_days"] == 90


@pytest.mark.parametrize(("value", "message"), [
    ("0", "Almeno 1 giorno per l'abbinamento."),
    ("-3", "Almeno 1 giorno per l'abbinamento."),
    ("91", "Al massimo 90 giorni per l'abbinamento."),
])
def test_schema_refuses_windows_out_of_range_in_italian(value, message):
    with pytest.raises(colander.Invalid) as excinfo:
        CallSchema().deserialize({**CSTRUCT, "matching_days": value})
    assert excinfo.value.asdict()["matching_days"] == message


def test_schema_refuses_text():
    with pytest.raises(colander.Invalid) as excinfo:
        CallSchema().deserialize({**CSTRUCT, "matching_days": "quindici"})
    assert "matching_days" in excinfo.value.asdict()


@pytest.mark.parametrize("bad", [0, 91, -1, "15", 1.5, True])
def test_bad_stored_values_are_refused_not_guessed(bad):
    c = call()
    c.matching_days = bad
    with pytest.raises(InvalidRules) as excinfo:
        lapse.match_deadline(sent(rome(2025, 9, 10, 9, 30)), c)
    assert "da 1 a 90 giorni" in str(excinfo.value.message)


# -- the lapse on a real workflow ------------------------------------------------------------

def submitted(tree, name="d1", **changes):
    app = draft(tree, name, **changes)
    submit(Situation(app, tree.call, tree.folder, entry=tree.entry,
                     counters=tree.domande.protocol_counters, isee_provider=tree.isee),
           fee=Decimal("500.00"), now=NOW, by="cittadino", fire=tree.fire)
    assert app.state == "submitted"
    return app


def test_an_unanswered_application_lapses_once_with_the_reason(tree):
    app = submitted(tree)
    assert tree.call.matching_days == 15  # the fixture's call predates the field
    on_time = datetime(2025, 7, 18, 21, 59, tzinfo=UTC)  # 18/07 23:59 in Rome
    assert not lapse.lapse(app, tree.call, now=on_time, fire=tree.fire)
    assert app.state == "submitted"
    later = datetime(2025, 7, 18, 22, 0, tzinfo=UTC)
    assert lapse.lapse(app, tree.call, now=later, fire=tree.fire)
    assert app.state == "lapsed"
    entry = workflows.history(app)[-1]
    assert entry["transition"] == "lapse"
    assert entry["who"] is None
    assert entry["comment"] == ("Termine per l'abbinamento scaduto il 18/07/2025: "
                                "la struttura non ha risposto.")
    # idempotent: a second run finds nothing to do
    assert not lapse.lapse(app, tree.call, now=later, fire=tree.fire)
    assert [h["transition"] for h in workflows.history(app)].count("lapse") == 1


def test_a_matched_application_never_lapses(tree):
    app = submitted(tree)
    matching.accept(app, tree.entry, who="girasole", when=NOW, fire=tree.fire)
    assert app.state == "matched"
    assert not lapse.lapse(app, tree.call, now=NOW + timedelta(days=365), fire=tree.fire)
    assert app.state == "matched"


def test_an_accepted_match_not_yet_moved_does_not_lapse(tree):
    app = submitted(tree)
    app.match_decision = {"accepted": True, "who": "girasole", "when": NOW, "reason": ""}
    assert not lapse.lapsable(app, tree.call, NOW + timedelta(days=30))


def test_a_refusal_left_waiting_lapses_with_the_refusal_as_reason(tree):
    app = submitted(tree)
    matching.decline(app, who="girasole", when=NOW, reason="Nessun posto a tempo pieno")
    assert app.state == "submitted"
    assert lapse.lapse(app, tree.call, now=NOW + timedelta(days=20), fire=tree.fire)
    assert workflows.history(app)[-1]["comment"] == (
        "Termine per l'abbinamento scaduto il 18/07/2025: la struttura ha rifiutato "
        "l'abbinamento (Nessun posto a tempo pieno).")


def test_the_lapse_mail_names_the_protocol_and_the_last_day(tree):
    app = submitted(tree)
    to, subject, body = lapse.lapse_mail(app, tree.call)
    assert to == "maria@example.it"
    assert subject == f"Domanda {app.protocol} decaduta"
    assert "entro il 18/07/2025 (ora italiana)" in body
    assert tree.call.title in body
