"""The pure rules of case management: the PAI and its reviews, the evaluation sheet, the notes."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_types.i18n import interpolated
from portal.cases.rules import assessment, notices, pai
from portal.cases.rules.errors import InvalidCaseData
from portal.notifications.rules import mail_text

DAY = date(2026, 3, 1)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def plan(reviews, done=()):
    return pai.check(goals="Restare a casa", interventions=[("Assistenza", "Comune")],
                     responsible="as-bari", reviews=reviews, done_reviews=done)


@given(st.lists(days, min_size=1, max_size=10), days, st.data())
def test_missed_reviews_are_the_past_ones_not_done(reviews, today, data):
    done = data.draw(st.lists(st.sampled_from(reviews), max_size=len(reviews)))
    found = pai.missed(plan(reviews, done), today)
    assert found == sorted(d for d in set(reviews) if d < today and d not in done)


@given(st.lists(days, min_size=1, max_size=10), st.data())
def test_marking_reviews_done_only_shrinks_the_missed_ones(reviews, data):
    current = plan(reviews)
    today = max(reviews) + timedelta(days=1)
    missed = pai.missed(current, today)
    for day in data.draw(st.lists(st.sampled_from(reviews), max_size=5)):
        current = pai.mark_done(current, day)
        now = pai.missed(current, today)
        assert set(now) <= set(missed)
        assert day not in now
        missed = now


def test_a_day_not_in_the_plan_cannot_be_marked_done():
    with pytest.raises(InvalidCaseData) as refused:
        pai.mark_done(plan([DAY]), DAY + timedelta(days=1))
    assert "review" in refused.value.fields


def test_a_pai_needs_goals_an_intervention_a_responsible_and_a_review():
    with pytest.raises(InvalidCaseData) as refused:
        pai.check(goals="", interventions=[("", "Comune")], responsible=" ", reviews=["ieri"])
    assert set(refused.value.fields) == {"goals", "interventions", "responsible", "reviews"}


def test_the_sheet_of_a_dependent_person_carries_the_sina_fields():
    values = {"Mobilita": "2", "AttivitaVitaQuotidiana": "2", "DisturbiComportamentali": "1",
              "NecessitaCureSanitarie": "2", "AreaReddituale": "2", "AreaSupporto": "2",
              "FonteDerivazioneValutazione": "2", "StrumentoValutazione": "1"}
    sheet = assessment.check(day=DAY, summary="Vive solo", needs="", dependent=True, who="a",
                             sina_values=values, sina_needs=["a1.04"], invalidity=["1"],
                             known_codes={"A1.04"})
    assert sheet["sina"]["needs"] == ("A1.04",)
    assert sheet["sina"]["Mobilita"] == "2"
    with pytest.raises(InvalidCaseData) as refused:
        assessment.check(day=DAY, summary="x", needs="", dependent=True, who="a",
                         sina_values={**values, "AreaSupporto": ""}, sina_needs=[],
                         invalidity=[], known_codes={"A1.04"})
    assert set(refused.value.fields) == {"sina.AreaSupporto", "sina_needs", "sina_invalidity"}
    plain = assessment.check(day=DAY, summary="x", needs="", dependent=False, who="a")
    assert "sina" not in plain


def test_the_e_mail_of_a_note_names_neither_the_person_nor_the_change():
    facts = notices.CaseFacts(uid="u1", person="Giovanni Greco", manager="as-bari")
    for note in (notices.person_note(facts, notices.ISEE, "s", {"isee": {"value": "9800"}}),
                 notices.benefit_note(facts, "suspend", "Assistenza domiciliare", "b", 2),
                 notices.application_note(facts, "2026/1", "Bando nidi", "a", "beneficiary"),
                 notices.review_note(facts, DAY)):
        subject, body = mail_text(note, "https://portale.example/@@messaggi/1")
        assert "Greco" not in subject + body
        assert "9800" not in body
        assert "Assistenza" not in body
        assert "Bando" not in body
        assert "Giovanni Greco" in note.details
        assert note.recipient == "as-bari"
    assert interpolated(notices.review_note(facts, DAY).title).startswith("Cartella sociale")


def test_one_key_per_review_day_and_per_benefit_step():
    facts = notices.CaseFacts(uid="u1", person="P", manager="m")
    assert notices.review_note(facts, DAY).key == notices.review_note(facts, DAY).key
    assert notices.review_note(facts, DAY).key != notices.review_note(
        facts, DAY + timedelta(days=1)).key
    assert notices.benefit_note(facts, "end", "t", "b", 2).key != notices.benefit_note(
        facts, "end", "t", "b", 3).key
