"""The personal area's payment counts: each officer and operator counts only their own items."""
import re

import workflows
from portal.payments import acts
from tests.functional.applications.conftest import client, run_in_app
from tests.functional.payments.authz_fixtures import payment_setup
from tests.functional.payments.review_fixtures import resolve
from workflows import attestation as attestation_workflow


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


def count(page, label):
    """The number after ``label`` in the page's words (None when the label is missing)."""
    found = re.search(re.escape(label) + r"\s*(\d+)", text(page))
    return int(found.group(1)) if found else None


def payable_in(app, district):
    return run_in_app(app, lambda portal: len(acts.payable(portal["ambiti"][district])))


def test_officer_panel_counts_the_payable_attestations_of_their_ats_only(applications_app,
                                                                        codes):
    # the demo's other call has attestations of its own: the figures before the test acts
    payable_before = payable_in(applications_app, "ba-01")
    to_validate_before = count(client(applications_app, "rup-ba01").get("/@@area-personale"),
                               "Attestazioni da validare:")
    paths = payment_setup(applications_app, codes)
    payable = payable_in(applications_app, "ba-01")
    assert payable > payable_before
    area = client(applications_app, "rup-ba01").get("/@@area-personale")
    assert count(area, "Attestazioni validate da liquidare:") == payable
    # Luca's sent month
    assert count(area, "Attestazioni da validare:") == to_validate_before + 1
    link = re.search(r'<li id="liquidazioni-BA-01"><a href="([^"]+)"', area.text)
    assert link is not None
    assert link.group(1).endswith("/ambiti/ba-01/@@liquidazioni")
    # the officer of TA-01 counts nothing of BA-01's
    other = client(applications_app, "rup-ta01").get("/@@area-personale")
    assert count(other, "Attestazioni validate da liquidare:") == 0
    assert count(other, "Attestazioni da validare:") == 0
    assert "liquidazioni-BA-01" not in other.text
    # validating Luca's sent month makes it payable: the count follows the stored state
    # (a trusted workflow call: the month may lie ahead of today, which the page refuses)
    run_in_app(applications_app, lambda portal: workflows.fire(
        resolve(portal, paths["S"]), None, attestation_workflow.VALIDATE,
        registry=applications_app.registry))
    assert payable_in(applications_app, "ba-01") == payable + 1
    area = client(applications_app, "rup-ba01").get("/@@area-personale")
    assert count(area, "Attestazioni validate da liquidare:") == payable + 1
    assert count(area, "Attestazioni da validare:") == to_validate_before
    assert count(client(applications_app, "rup-ta01").get("/@@area-personale"),
                 "Attestazioni validate da liquidare:") == 0


def test_provider_and_family_panels_never_count_someone_elses(applications_app, codes):
    # the demo's other call has girasole's attestations too: the figures before the test acts
    before = client(applications_app, "girasole").get("/@@area-personale")
    drafts_before = count(before, "Bozze in attesa della famiglia:") or 0
    signed_before = count(before, "Firmate da inviare all'Ambito:") or 0
    family_before = count(client(applications_app, "cittadino").get("/@@area-personale"),
                          "Attestazioni da confermare:") or 0
    paths = payment_setup(applications_app, codes)
    states = run_in_app(applications_app, lambda portal: {
        key: resolve(portal, paths[key]).state for key in ("D", "G")})
    assert states == {"D": "draft", "G": "signed"}
    own = client(applications_app, "girasole").get("/@@area-personale")
    assert count(own, "Bozze in attesa della famiglia:") == drafts_before + 1
    assert count(own, "Firmate da inviare all'Ambito:") == signed_before + 1
    other = client(applications_app, "arcobaleno-op").get("/@@area-personale")
    assert count(other, "Bozze in attesa della famiglia:") == 0
    assert count(other, "Firmate da inviare all'Ambito:") == 0
    assert "Il Girasole" not in text(other)
    family = client(applications_app, "cittadino").get("/@@area-personale")
    assert count(family, "Attestazioni da confermare:") == family_before + 1
    stranger = client(applications_app, "altro-cittadino").get("/@@area-personale")
    assert count(stranger, "Attestazioni da confermare:") in (None, 0)
