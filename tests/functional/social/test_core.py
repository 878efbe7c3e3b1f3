"""The social side's core: one person per codice fiscale, one household per person, the case
file's ACL (the team and the office only, whatever role one holds in the tree)."""
import pytest

from portal.demo.social import ELDER_CODE
from portal.people import store as people
from portal.people.rules.errors import AlreadyInHousehold, InvalidPersonData, PersonExists
from tests.conftest import login
from tests.functional.applications.conftest import run_in_app


def test_a_codice_fiscale_is_one_person(wsgi_app):
    def again(portal):
        with pytest.raises(PersonExists):
            people.register_person(portal, {
                "fiscal_code": ELDER_CODE.lower(), "first_name": "Giovanni", "last_name": "Greco",
                "address": {"kind": "residence", "street": "Via Roma 1", "istat": "072027",
                            "region": "16"}}, "comune-bari")
    run_in_app(wsgi_app, again)


def test_an_invalid_code_is_refused_and_an_omocodic_one_accepted(wsgi_app):
    def register(portal, code):
        return people.register_person(portal, {
            "fiscal_code": code, "first_name": "Luca", "last_name": "Rossi",
            "address": {"kind": "residence", "street": "Via Roma 1", "istat": "072006",
                        "region": "16"}}, "comune-bari")

    def work(portal):
        with pytest.raises(InvalidPersonData) as wrong:
            register(portal, "RSSLCU23S02A662X")
        assert "controllo" in str(wrong.value.fields["fiscal_code"])
        # RSSLCU23S02A662V with its last digit of the place (2) written as omocode «N»
        person = register(portal, "RSSLCU23S02A66NK")
        assert person.birth_place == "A662"
        return person.fiscal_code
    assert run_in_app(wsgi_app, work) == "RSSLCU23S02A66NK"


def test_a_person_is_in_one_household_at_a_time(wsgi_app, social):
    def work(portal):
        elder = people.find_person(portal, ELDER_CODE)
        citizen = portal
        for part in social.household.strip("/").split("/"):
            citizen = citizen[part]
        with pytest.raises(AlreadyInHousehold):
            people.add_member(citizen, elder, "parent")
    run_in_app(wsgi_app, work)


@pytest.mark.parametrize(("who", "status"), [
    ("social_worker", 200), ("other_social_worker", 403), ("ats_officer", 403),
    ("municipal_operator", 403), ("admin", 403), ("citizen", 403)])
def test_the_case_file_is_for_its_team(testapp, social, who, status):
    login(testapp, who)
    testapp.get(social.note, status=status)
    testapp.get(social.case, status=status)


@pytest.mark.parametrize(("who", "status"), [
    ("municipal_operator", 200), ("ats_officer", 200), ("social_worker", 200),
    ("other_social_worker", 403),  # Modugno's: not Bari's registry
    ("region_officer", 403), ("provider", 403), ("anonymous", 303)])
def test_the_person_is_seen_in_the_municipality(testapp, social, who, status):
    login(testapp, who)
    testapp.get(social.elder, status=status)
