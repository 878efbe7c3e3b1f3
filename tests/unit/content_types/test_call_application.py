"""Call (Avviso) versioning and the Application type: ACLs, tampering, parties."""
from datetime import UTC, date, datetime

import colander
import pytest
from pyramid import testing
from pyramid.authorization import ACLHelper

from content_types.application import ADD_APPLICATION, Application, ProtectedField
from content_types.application_folder import CallApplicationFolder
from content_types.call import Call, CallNotPublished, CallPublished, CallSchema
from content_types.registry import get_content_registry
from content_types.security import (
    OWNER,
    VIEW,
    Authenticated,
    Everyone,
    get_local_roles,
    role,
    user_principal,
)


@pytest.fixture
def registry():
    config = testing.setUp()
    config.include("content_types")
    config.include("workflows")
    config.commit()
    yield config.registry
    testing.tearDown()


def make_call():
    call = Call(title="Buoni 2025", creator="regione", code="buoni-2025",
                target="children_0_36", max_months=10)
    call.set_rules(eligibility={"target": "children_0_36", "isee_types": ["minorenni"],
                                "isee_max": "40000"},
                   copayment={"scheme": "children", "bands": [{"up_to": None, "fixed": "20"}]},
                   ranking={"keys": [{"field": "isee", "order": "asc"}]})
    return call


def test_types_are_registered(registry):
    content = get_content_registry(registry)
    assert content.get("Call").title == "Avviso"
    info = content.get("Application")
    assert info.workflow == "application"
    assert info.add_permission == ADD_APPLICATION
    assert info.addable_to == ("CallApplicationFolder",)
    folder = CallApplicationFolder(title="x")
    assert "Application" in {i.name for i in content.addable_types(folder)}


def test_citizens_and_delegates_may_add_applications_in_a_call_folder():
    folder = CallApplicationFolder(title="Buoni 2025")
    helper = ACLHelper()
    for who in ("citizen", "delegate", "ats_officer"):
        assert helper.permits(folder, [Everyone, Authenticated, role(who)], ADD_APPLICATION)
    for who in ("provider", "region_officer"):
        assert not helper.permits(folder, [Everyone, Authenticated, role(who)], ADD_APPLICATION)


def test_published_call_rules_cannot_change_in_place():
    call = make_call()
    call.set_data({"max_months": 11})  # a draft is edited directly
    call.publish("regione", datetime(2025, 6, 1, tzinfo=UTC))
    with pytest.raises(CallPublished) as excinfo:
        call.set_data({"max_months": 12})
    assert "nuova versione" in str(excinfo.value.message)
    with pytest.raises(CallPublished):
        call.set_rules(eligibility={"target": "elderly"})
    rules = call.rules()
    rules["eligibility"]["isee_max"] = "1"  # a copy: the stored call is untouched
    assert call.eligibility["isee_max"] == "40000"
    call.set_data({"description": "Testo aggiornato"})  # not a rule
    with pytest.raises(CallPublished):
        call.publish("regione")


def test_a_correction_is_a_new_version_with_a_reason():
    call = make_call()
    with pytest.raises(CallNotPublished):
        call.new_version("motivo", "regione")
    call.set_budget("BA-01", "15000", reason="", who="regione")
    call.publish("regione")
    with pytest.raises(CallPublished):
        call.new_version("  ", "regione", max_months=12)
    with pytest.raises(CallPublished):
        call.new_version("motivo", "regione", budgets={})
    fixed = call.new_version("Refuso sulla soglia ISEE", "regione",
                             eligibility={**call.eligibility, "isee_max": "45000"})
    assert (fixed.version, fixed.series, fixed.previous_uid) == (2, call.series, call.uid)
    assert fixed.correction_reason == "Refuso sulla soglia ISEE"
    assert not fixed.published
    assert fixed.eligibility["isee_max"] == "45000"
    assert call.eligibility["isee_max"] == "40000"
    assert fixed.budget_for("BA-01") == "15000"
    other = make_call()
    other.publish("regione")
    with pytest.raises(CallNotPublished):
        fixed.publish("regione", previous=other)
    fixed.publish("regione", previous=call)
    assert call.superseded_by_uid == fixed.uid
    assert not call.current
    assert fixed.current
    with pytest.raises(CallPublished):
        call.new_version("ancora", "regione")


def test_budget_changes_after_publication_need_a_reason_and_are_logged():
    call = make_call()
    call.publish("regione")
    with pytest.raises(CallPublished):
        call.set_budget("BA-01", "20000", reason="", who="regione")
    call.set_budget("BA-01", "20000", reason="Economie 2024", who="regione")
    assert call.budget_for("BA-01") == "20000"
    assert call.budget_for("LE-01") == "0"
    assert call.budget_log[-1]["reason"] == "Economie 2024"


def test_call_schema_checks_dates():
    schema = CallSchema()
    cstruct = {"title": "Avviso", "description": "", "code": "buoni-2025",
               "target": "children_0_36", "period_start": "2025-09-01",
               "period_end": "2026-06-30", "opens_at": "2025-07-01T08:00:00+00:00",
               "closes_at": "2025-09-15T10:00:00+00:00", "max_months": "10"}
    assert schema.deserialize(cstruct)["period_start"] == date(2025, 9, 1)
    with pytest.raises(colander.Invalid) as excinfo:
        schema.deserialize({**cstruct, "closes_at": "2025-06-01T10:00:00+00:00"})
    assert "La chiusura deve seguire l'apertura." in str(excinfo.value.asdict())
    with pytest.raises(colander.Invalid):
        schema.deserialize({**cstruct, "code": "Buoni 2025"})


def test_application_parties_and_data_subject(registry):
    folder = CallApplicationFolder(title="Buoni 2025")
    app = folder.add("d1", Application(title="Bozza", creator="caf"), registry=registry)
    assert app.state == "draft"  # the workflow initialised it
    app.assign_parties("cittadino", "caf", {"document_uid": "delega-1"})
    roles = get_local_roles(app)
    assert roles[user_principal("cittadino")] == frozenset({OWNER})
    assert roles[user_principal("caf")] == frozenset({"delegate"})
    assert app.data_subject == "cittadino"
    assert app.personal_data
    assert app.owner == "cittadino"
    helper = ACLHelper()
    # in the draft, the region officer and the ATS officer see nothing
    assert not helper.permits(app, [Everyone, role("region_officer")], VIEW)
    assert not helper.permits(app, [Everyone, role("ats_officer")], VIEW)
    assert helper.permits(app, [Everyone, role("owner")], VIEW)


def test_application_refuses_system_fields_and_odd_values():
    app = Application(title="Bozza")
    app.set_data({"months": 10, "priority_siblings": True})
    assert app.priority
    assert app.priorities == 1
    with pytest.raises(ProtectedField) as excinfo:
        app.set_data({"protocol": "2025/0000001", "state": "funded"})
    assert excinfo.value.code == "protected_field"
    assert excinfo.value.details["fields"] == ["protocol", "state"]
    with pytest.raises(ProtectedField):
        app.set_data({"months": [1, 2]})
