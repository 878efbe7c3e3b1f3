"""The portal's generic pages and JSON API on plan objects: readable, never a 5xx, never deleted."""
import pytest

from tests.functional.plans.plan_fixtures import client_as, fire


@pytest.mark.parametrize("suffix", ["", "/versione-1", "/archivio", "/archivio/delibere"])
def test_the_json_api_reads_every_plan_object_for_the_ats_officer(plan_app, suffix):
    client = client_as(plan_app, "ats_officer")
    response = client.get("/api" + plan_app.plan_path + suffix, status="*")
    assert response.status_int == 200, response.text[:300]
    assert response.json["@id"].endswith(plan_app.plan_path + suffix)


def test_a_plan_cannot_be_deleted_by_its_ats_neither_by_page_nor_by_api(plan_app):
    client = client_as(plan_app, "ats_officer")
    assert client.get(plan_app.plan_path + "/@@elimina", status="*").status_int in (403, 404)
    token = client.get("/api/sessione").json["csrf_token"]
    response = client.delete("/api" + plan_app.plan_path, headers={"X-CSRF-Token": token},
                             status="*")
    assert response.status_int == 403
    assert client.get("/api" + plan_app.plan_path).status_int == 200


def test_the_generic_edit_form_of_a_version_is_never_a_server_error(plan_app):
    client = client_as(plan_app, "ats_officer")
    assert client.get(plan_app.plan_path + "/versione-1/@@modifica", status="*").status_int < 500
    fire(plan_app, plan_app.plan_path + "/versione-1", "submit", "take_in_charge", "approve")
    anonymous = client_as(plan_app, "anonymous")
    response = anonymous.get("/api" + plan_app.plan_path + "/versione-1", status="*")
    assert response.status_int == 200  # an approved plan is public
    assert anonymous.get("/api" + plan_app.plan_path + "/archivio", status="*").status_int in (
        401, 403)
