"""Issue 11 point 11 through the real app: the chosen service must fit the call and the child's age."""
from tests.functional.applications.conftest import (
    client,
    fill_people,
    fill_priorities,
    fill_service,
    new_draft,
    post,
    run_in_app,
)
from tests.functional.applications.test_review_and_ranking import NIDO, read

ELDERLY = "/catalogo/casa-serena/diurno-anziani-modugno/diurno-anziani"
TOO_OLD = ("Il servizio scelto (Centro diurno per anziani) accoglie utenti da 65 a 120 anni: "
           "il beneficiario avrà 12 mesi alla data di riferimento del bando")
NOT_COVERED = "Il servizio scelto (Centro diurno per anziani) non è tra i servizi finanziati"
DRAFT = ("state", "catalogue_entry_path", "catalogue_entry_uid", "modified", "protocol")


def sofia_draft(app, codes):
    """A draft for Sofia, 12 months old today, under the 0–36-month call."""
    citizen = client(app, "cittadino")
    url = new_draft(citizen)
    fill_people(citizen, url, codes["sofia"])
    return citizen, url


def test_the_form_offers_only_services_that_fit(applications_app, codes):
    citizen, url = sofia_draft(applications_app, codes)
    field = citizen.get(url + "/@@compila?passo=servizio").forms["form-portale"][
        "catalogue_entry_path"]
    offered = {value for value, _selected, _text in field.options}
    assert NIDO in offered
    assert ELDERLY not in offered
    assert not any("diurno" in value for value in offered)  # no day centre fits a 1-year-old
    # a forged POST choosing the elderly centre is refused, saying why; nothing is stored
    before = read(applications_app, url, *DRAFT)
    refused = fill_service(citizen, url, entry=ELDERLY, status=422)
    text = " ".join(refused.text.split())
    assert TOO_OLD in text
    assert NOT_COVERED in text
    assert read(applications_app, url, *DRAFT) == before
    fill_service(citizen, url, entry=NIDO)  # a fitting service is saved
    assert read(applications_app, url, "catalogue_entry_path")["catalogue_entry_path"] == NIDO


def test_submission_refuses_a_service_that_does_not_fit(applications_app, codes):
    citizen, url = sofia_draft(applications_app, codes)
    fill_service(citizen, url, entry=NIDO)
    fill_priorities(citizen, url)

    def choose_elderly_centre(portal):  # as a draft saved before the check existed
        draft = portal
        for part in url.strip("/").split("/"):
            draft = draft[part]
        entry = portal["catalogo"]["casa-serena"]["diurno-anziani-modugno"]["diurno-anziani"]
        draft.set_data({"catalogue_entry_path": ELDERLY, "catalogue_entry_uid": entry.uid})
    run_in_app(applications_app, choose_elderly_centre)
    summary = " ".join(citizen.get(url + "/@@riepilogo").text.split())
    assert TOO_OLD in summary
    before = read(applications_app, url, *DRAFT)
    # the summary offers no «Invia» button: a forged POST with the current version token
    token = before["modified"].isoformat()
    refused = post(citizen, url + "/@@invia", {"_version": token}, status="4*")
    assert TOO_OLD in " ".join(refused.text.split())
    assert read(applications_app, url, *DRAFT) == before
    assert before["state"] == "draft"
    assert not before["protocol"]
