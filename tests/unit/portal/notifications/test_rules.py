"""The notification rules and the integration deadline: pure, no app."""
from datetime import UTC, date, datetime, timedelta

import pytest

import workflows.application as wf
from content_types.i18n import interpolated
from content_types.values import ROME
from portal.applications.rules import integration
from portal.applications.rules.errors import InvalidRules
from portal.applications.rules.review import REASONS
from portal.notifications import rules

FACTS = rules.Facts(uid="u1", protocol="BA01-2026-000007", call_title="Buoni minori",
                    state=wf.AWAITING_INTEGRATION, applicant="cittadino", delegate="caf",
                    operators=("girasole", "girasole2"), match_day=date(2026, 3, 25),
                    integration_day=date(2026, 3, 20), integration_round=1,
                    comment="Allegare la certificazione sanitaria.")


def test_deadline_ends_the_last_day_in_rome_and_skips_the_request_day():
    asked = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 in Rome, still the 10th
    end = integration.deadline(asked, 10)
    assert end.astimezone(ROME).date() == date(2026, 3, 20)
    assert end.astimezone(ROME).strftime("%H:%M:%S") == "23:59:59"
    # across the change to summer time the day still ends at 23:59 in Rome
    end = integration.deadline(datetime(2026, 3, 25, 12, tzinfo=UTC), 10)
    assert (end.astimezone(ROME).date(), end.utcoffset()) == (date(2026, 4, 4), timedelta(0))
    assert end.astimezone(ROME).hour == 23


def test_check_open_refuses_only_after_the_deadline():
    end = integration.deadline(datetime(2026, 3, 10, 9, tzinfo=UTC), 10)
    integration.check_open(end, end)  # the last instant still counts
    integration.check_open(None, end)  # no deadline: open
    with pytest.raises(integration.IntegrationClosed) as refused:
        integration.check_open(end, end + timedelta(microseconds=1))
    assert "scaduto il 20/03/2026" in str(refused.value.message)
    assert refused.value.http_status == 409
    with pytest.raises(ValueError, match="timezone-aware"):
        integration.check_open(end, datetime(2026, 3, 1))  # naive


class OldCall:
    title = "Avviso"


@pytest.mark.parametrize(("days", "ok"), [(None, True), (1, True), (60, True), (0, False),
                                          (61, False), (True, False), ("10", False)])
def test_integration_days_of_a_call(days, ok):
    call = OldCall()
    if days is not None:
        call.integration_days = days
    if ok:
        assert integration.integration_days(call) == (days or 10)
    else:
        with pytest.raises(InvalidRules):
            integration.integration_days(call)


def test_integration_request_goes_to_applicant_and_delegate_with_the_deadline():
    notes = rules.notes_for(wf.REQUEST_INTEGRATION, FACTS)
    assert [n.recipient for n in notes] == ["cittadino", "caf"]
    note = notes[0]
    assert note.key == "integrazione:u1:1"
    assert "20/03/2026" in interpolated(note.body)
    assert note.details == FACTS.comment
    assert (note.target_view, note.target_permission) == ("integrazione", wf.INTEGRATE)
    subject, body = rules.mail_text(note, "http://portale/@@messaggi/x")
    assert subject == "Richiesta di integrazione per la domanda BA01-2026-000007"
    assert "http://portale/@@messaggi/x" in body
    assert "20/03/2026" in body
    assert "sanitaria" not in body  # free text never leaves by mail


def test_not_admitted_gives_the_reason_titles_and_keeps_the_officer_text_in_the_portal():
    facts = rules.Facts(**{**FACTS.__dict__, "state": wf.INELIGIBLE,
                           "reason_titles": (REASONS["isee"], REASONS["documenti"]),
                           "reason_text": "Dichiarazione incompleta."})
    (first, _) = rules.notes_for(wf.DECLARE_INELIGIBLE, facts)
    text = interpolated(first.body)
    assert "ISEE non conforme; Documentazione incompleta" in text
    assert first.details == "Dichiarazione incompleta."
    assert first.kind == rules.NOT_ADMITTED
    auto = rules.notes_for(wf.REJECT_AUTO, facts)[0]
    assert auto.details == FACTS.comment


@pytest.mark.parametrize(("transition", "words"), [
    (wf.FUND, "ed è finanziata"), (wf.ADMIT_UNFUNDED, "non finanziata"),
    (wf.SCROLL, "per scorrimento")])
def test_ranking_outcome_with_its_position(transition, words):
    facts = rules.Facts(**{**FACTS.__dict__, "delegate": None,
                           "ranking": {"version": 2, "position": 4, "outcome": "x"}})
    (note,) = rules.notes_for(transition, facts)
    assert note.key == "graduatoria:u1:2"
    assert words in interpolated(note.body)
    assert "posizione 4" in interpolated(note.body)


def test_provider_is_asked_only_while_the_application_waits_for_it():
    facts = rules.Facts(**{**FACTS.__dict__, "state": wf.SUBMITTED})
    notes = rules.notes_for(wf.SUBMIT, facts)
    assert [n.recipient for n in notes] == ["girasole", "girasole2"]
    assert "25/03/2026" in interpolated(notes[0].body)
    rejected = rules.Facts(**{**FACTS.__dict__, "state": wf.AUTO_INELIGIBLE})
    assert rules.notes_for(wf.SUBMIT, rejected) == []
    assert rules.notes_for(wf.START_REVIEW, facts) == []
    assert [n.key for n in rules.reminder_notes(facts)] == ["promemoria-abbinamento:u1"] * 2
    assert rules.reminder_notes(rejected) == []


def test_lapse_mail_shares_the_lapse_jobs_key():
    (note, _) = rules.notes_for(wf.LAPSE, FACTS)
    assert note.mail_key == "decadenza:u1"
    assert interpolated(note.title) == "Domanda BA01-2026-000007 decaduta"


def test_reminder_due_in_the_last_days_only():
    end = datetime(2026, 3, 25, 22, 59, tzinfo=UTC)
    assert not rules.reminder_due(end, end - timedelta(days=3, seconds=1), 3)
    assert rules.reminder_due(end, end - timedelta(days=3), 3)
    assert rules.reminder_due(end, end, 3)
    assert not rules.reminder_due(end, end + timedelta(seconds=1), 3)
    assert not rules.reminder_due(None, end, 3)


def test_freeze_and_thaw_keep_nested_messages():
    note = rules.notes_for(wf.DECLARE_INELIGIBLE, rules.Facts(
        **{**FACTS.__dict__, "reason_titles": (REASONS["isee"],)}))[0]
    frozen = rules.freeze(note.body)
    assert isinstance(frozen["mapping"]["reason"], dict)
    assert interpolated(rules.thaw(frozen)) == interpolated(note.body)
    assert rules.thaw("plain") == "plain"
