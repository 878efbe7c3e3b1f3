"""The officer's istruttoria as plain writes: checklist record, ineligibility decision, place given back."""
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_types.application import Application
from portal.applications.rules import review
from portal.applications.rules.errors import BenefitError
from tests.unit.portal.applications.rules.conftest import Entry

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Fired:
    """Records the transitions the rules ask for, as the portal's ``fire`` would run them."""

    def __init__(self):
        self.calls = []

    def __call__(self, obj, name, comment):
        self.calls.append((name, comment))


@given(st.lists(st.sampled_from([*review.CHECKLIST, "sconosciuto", "check-x"])), st.text())
def test_the_checklist_keeps_known_checks_in_order_and_the_notes_cut(ticked, notes):
    application = Application(title="Domanda")
    application.review = {"other": 1}
    review.record_checklist(application, ticked, notes, who="rup", when=WHEN)
    assert application.review["checklist"] == [k for k in review.CHECKLIST if k in ticked]
    assert application.review["notes"] == notes.strip()[:review.MAX_NOTES]
    assert (application.review["who"], application.review["when"]) == ("rup", WHEN)
    assert application.review["other"] == 1  # what was recorded before stays


def test_ineligibility_needs_a_known_reason_and_writes_nothing_without_one():
    application, fired = Application(title="Domanda"), Fired()
    with pytest.raises(BenefitError) as refused:
        review.declare_ineligible(application, ["inventato"], "x", who="rup", when=WHEN,
                                  entry=None, fire=fired)
    assert refused.value.http_status == 400
    assert refused.value.fields == {"motivo": "obbligatorio"}
    assert application.decision is None
    assert fired.calls == []


def test_ineligibility_is_recorded_fired_in_italian_and_gives_the_place_back():
    application, fired = Application(title="Domanda"), Fired()
    entry = Entry(title="Nido", places=2)
    entry.taken = 1
    application.match_decision = {"accepted": True}
    comment = review.declare_ineligible(application, ["documenti", "isee", "x"], "  Manca. ",
                                        who="rup", when=WHEN, entry=entry, fire=fired)
    assert comment == ("Documentazione incompleta o non integrata nei termini; ISEE non "
                       "conforme. Manca.")
    assert fired.calls == [("declare_ineligible", comment)]
    assert application.decision == {"outcome": "ineligible",
                                     "reason_codes": ("documenti", "isee"),
                                     "reason_text": "Manca.", "who": "rup", "when": WHEN}
    assert entry.taken == 0
    assert application.match_decision["released"] is True


def test_a_reason_alone_ends_the_comment_with_a_full_stop():
    assert review.ineligibility_comment(["altro"], "") == "Altro motivo (vedere il testo)."
