"""Preview and submit share one Situation: what the summary shows is what the submission stores."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal.applications import sending
from portal.applications.rules.errors import BenefitError, DuplicateApplication
from portal.applications.rules.submission import Situation
from tests.unit.portal.applications.rules.conftest import Entry, draft, tree  # noqa: F401 - fixture

NOW = datetime(2025, 7, 3, 14, 40, tzinfo=UTC)


def situation_of(tree, app, **changes):  # noqa: F811 - the fixture's name
    values = {"entry": tree.entry, "counters": tree.domande.protocol_counters,
              "isee_provider": tree.isee, "service_day": date(2025, 9, 1),
              "municipalities": frozenset({"072006"}), "domande": tree.domande,
              "district": tree.district, **changes}
    return Situation(app, tree.call, tree.folder, **values)


def test_the_preview_is_what_the_submission_stores(tree):  # noqa: F811
    app = draft(tree)
    situation = situation_of(tree, app)
    seen = sending.preview(situation, NOW)
    assert seen["problems"] == []
    assert seen["fee"] == Decimal("500.00")
    done = sending.submit(situation, by="cittadino", now=NOW, fire=tree.fire, translate=str)
    assert done.protocol == app.protocol == "2025/0000001"
    assert (app.fee_monthly, app.family_share_monthly, app.voucher_monthly) == (
        seen["share"].fee, seen["share"].family, seen["share"].voucher)


def test_a_refusal_tells_every_problem_the_preview_finds_and_writes_nothing(tree):  # noqa: F811
    app = draft(tree, residence_municipality="075035", household_code="")
    situation = situation_of(tree, app)
    problems = sending.preview(situation, NOW)["problems"]
    assert len(problems) >= 2
    before = dict(app.__dict__)
    with pytest.raises(BenefitError) as refused:
        sending.submit(situation, by="cittadino", now=NOW, fire=tree.fire, translate=str)
    assert all(str(problem) in refused.value.message.interpolate() for problem in problems)
    assert dict(app.__dict__) == before
    assert app.state == "draft"


def test_one_problem_is_told_as_the_rules_told_it(tree):  # noqa: F811
    sending.submit(situation_of(tree, draft(tree)), by="cittadino", now=NOW, fire=tree.fire,
                   translate=str)
    situation = situation_of(tree, draft(tree, "d2"))
    with pytest.raises(DuplicateApplication) as refused:
        sending.submit(situation, by="cittadino", now=NOW, fire=tree.fire, translate=str)
    assert [refused.value.message] == sending.preview(situation, NOW)["problems"]


def test_an_entry_without_a_tariff_is_refused_on_the_entry_field(tree):  # noqa: F811
    class NoPartTime(Entry):
        def tariff_at(self, day, full_time):
            from content_types.errors import ContentError  # noqa: PLC0415

            raise ContentError("Tariffa non disponibile.")

    app = draft(tree)
    situation = situation_of(tree, app, entry=NoPartTime(title="Nido"))
    with pytest.raises(BenefitError) as refused:
        sending.submit(situation, by="cittadino", now=NOW, fire=tree.fire, translate=str)
    assert refused.value.fields == {"catalogue_entry_path": "tariffa"}
    assert "Tariffa non disponibile." in sending.preview(situation, NOW)["problems"]
