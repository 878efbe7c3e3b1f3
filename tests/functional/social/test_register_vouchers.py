"""Vouchers in the register: one benefit per funded application, with its amounts, ISEE and
protocol; paid months follow the payment acts; an annulment cancels it, an early end ends it;
the citizen's file shows benefits from every ATS and nothing of a case."""
from datetime import date

from pyramid.traversal import find_resource, resource_path

import workflows
import workflows.application as wf
from content_types.application import Application
from content_types.values import ZERO, cents, euro
from portal.applications import services as application_services
from portal.cases import store as cases
from portal.demo.cycle import CALL_CODE, FAMILY_LOGIN
from portal.demo.social import CITIZEN_CODE, SON_CODE
from portal.payments import service_end
from portal.payments.attestations import attestations_of
from portal.people import store as people
from portal.register import grant, vouchers
from portal.register.vouchers import AUTOMATIC_REASON
from tests.conftest import login
from tests.functional.applications.conftest import run_in_app
from workflows import attestation as attestation_workflow


def cycle_applications(portal):
    folder = portal["ambiti"]["ba-01"]["domande"][CALL_CODE]
    return [a for a in folder.values() if isinstance(a, Application)]


def test_each_funded_application_is_one_voucher_with_its_amounts(wsgi_app):
    def check(portal):
        funded = [a for a in cycle_applications(portal) if a.state in wf.HOLDS_FUNDING]
        assert len(funded) == 2
        for application in funded:
            refs = list(people.index(portal).benefits_of(
                application.beneficiary_fiscal_code))
            assert len(refs) == 1
            benefit = find_resource(portal, refs[0]["path"])
            assert benefit.application_uid == application.uid
            assert benefit.source == "voucher"
            assert benefit.siuss_code == "A1.NN"
            assert benefit.monthly_amount == benefit.public_share == application.voucher_monthly
            assert benefit.user_share == application.family_share_monthly
            assert benefit.public_share + benefit.user_share == application.fee_monthly
            assert benefit.protocol == application.protocol
            assert benefit.means_test == "1"
            assert benefit.isee["protocol"] == application.isee["protocol"]
            assert benefit.isee["dsu_date"] == date.fromisoformat(application.isee["dsu_date"])
            assert benefit.isee["year"] == int(application.isee["protocol"].split("-")[2])
            assert benefit.start == application.service_start
            assert benefit.months == application.months
            paid = sorted((a.month, a.voucher_share) for a in attestations_of(application)
                          if a.state == attestation_workflow.PAID)
            assert paid
            assert [(p["month"], p["amount"]) for p in benefit.paid] == paid
            assert benefit.paid_amount == sum((s for _m, s in paid), ZERO)
            # idempotent: funding it again writes nothing
            assert vouchers.record_funded(application, None) is None
            assert len(people.index(portal).benefits_of(
                application.beneficiary_fiscal_code)) == 1
    run_in_app(wsgi_app, check)


def test_a_scrolled_application_is_a_voucher_of_364_and_136(wsgi_app):
    def work(portal):
        waiting = next(a for a in cycle_applications(portal)
                       if a.state == wf.ADMITTED_UNFUNDED)
        waiting.voucher_monthly, waiting.family_share_monthly = cents(364), cents(136)
        waiting.months = 3  # what the budget left can fund
        waiting.ranking_outcome = {**(waiting.ranking_outcome or {}),
                                   "outcome": wf.RANKED_FUNDED}
        workflows.fire(waiting, None, wf.SCROLL, "Scorrimento", registry=wsgi_app.registry)
        benefit = vouchers.benefit_of(waiting)
        call = application_services.call_of(waiting)
        return (str(benefit.monthly_amount), str(benefit.public_share), str(benefit.user_share),
                benefit.start == call.period_start, benefit.months == waiting.months,
                benefit.status, benefit.application_uid == waiting.uid)
    assert run_in_app(wsgi_app, work) == ("364.00", "364.00", "136.00", True, True, "active",
                                          True)


def test_an_annulled_application_cancels_its_voucher(wsgi_app):
    def work(portal):
        application = next(a for a in cycle_applications(portal) if a.state == wf.ACTIVE)
        workflows.fire(application, None, wf.ANNUL, "Dichiarazione non veritiera",
                       registry=wsgi_app.registry)
        benefit = vouchers.benefit_of(application)
        ref = people.index(portal).benefits_of(benefit.fiscal_code)[0]
        return benefit.status, ref["status"], benefit.history[-1]["reason"]
    assert run_in_app(wsgi_app, work) == ("cancelled", "cancelled",
                                          "Dichiarazione non veritiera")


def test_an_early_end_ends_the_voucher_on_its_last_month(wsgi_app):
    def work(portal):
        application = next(a for a in cycle_applications(portal) if a.state == wf.ACTIVE)
        month = max(a.month for a in attestations_of(application))
        service_end.end_early(application, month, "Trasferimento della famiglia",
                              who="rup-ba01", registry=wsgi_app.registry)
        benefit = vouchers.benefit_of(application)
        return benefit.status, benefit.end.strftime("%Y-%m"), month
    status, end, month = run_in_app(wsgi_app, work)
    assert (status, end) == ("ended", month)


def test_a_voucher_overlapping_another_benefit_is_recorded_not_blocked(wsgi_app):
    def work(portal):
        application = next(a for a in cycle_applications(portal) if a.state == wf.ACTIVE)
        benefit = vouchers.benefit_of(application)
        person = people.find_person(portal, benefit.fiscal_code)
        # the nursery of another ATS in the same months, then the voucher is written again
        other = grant.grant(portal["ambiti"]["ta-01"], person, {
            "siuss_code": "A1.07", "start": benefit.start, "end": benefit.end,
            "protocol": "TA/9", "monthly_amount": "200"}, "rup-ta01",
            reason="prova")
        benefit.__parent__.remove(benefit.__name__, send_events=False)
        people.index(portal).drop_benefit(person.fiscal_code, benefit.uid)
        again = vouchers.record_funded(application, wsgi_app.registry)
        return again.override_reason, [o["path"] for o in again.overlaps], resource_path(other)
    reason, overlaps, other = run_in_app(wsgi_app, work)
    assert reason == AUTOMATIC_REASON
    assert overlaps == [other]


def test_the_citizen_s_file_shows_every_benefit_and_nothing_of_the_case(testapp, wsgi_app):
    def work(portal):
        marco = people.find_person(portal, CITIZEN_CODE)
        son = people.find_person(portal, SON_CODE)
        grant.grant(portal["ambiti"]["ba-01"], marco, {
            "siuss_code": "A2.02", "start": date(2026, 3, 5), "protocol": "BA/77",
            "amount": "450", "granted_by": "Comune di Bari"}, "comune-bari")
        grant.grant(portal["ambiti"]["ta-01"], marco, {
            "siuss_code": "A2.03", "start": date(2025, 2, 1), "protocol": "TA/12",
            "amount": "120", "granted_by": "Comune di Taranto"}, "rup-ta01")
        ended = grant.grant(portal["ambiti"]["ta-01"], son, {
            "siuss_code": "A1.08", "start": date(2025, 1, 1), "end": date(2025, 6, 30),
            "protocol": "TA/13", "monthly_amount": "80", "user_share": "20"}, "rup-ta01")
        grant.change_status(ended, "end", "rup-ta01", "finito")
        gone = grant.grant(portal["ambiti"]["ba-01"], marco, {
            "siuss_code": "A2.01", "start": date(2026, 1, 5), "protocol": "BA/1",
            "amount": "99"}, "comune-bari")
        grant.change_status(gone, "cancel", "comune-bari", "errore")
        case = cases.open_case(marco, "as-bari", wsgi_app.registry, office="ss-bari")
        case.assessment = {"summary": "VALUTAZIONE-RISERVATA"}
        cases.add_note(case, "as-bari", "NOTA-RISERVATA del colloquio",
                       registry=wsgi_app.registry)
        marco.proposals = ({"call_uid": "x", "call_path": "/regione/avvisi/x",
                            "call_title": "Buoni servizio minori 2026/2027", "district": "BA-01",
                            "reason": "Hai un figlio di 7 anni e l'ISEE sotto la soglia.",
                            "apply_path": "/regione/avvisi/x/@@scegli-ambito",
                            "computed_at": None},)
    run_in_app(wsgi_app, work)
    login(testapp, "citizen")
    page = testapp.get("/@@fascicolo")
    section = page.html.select_one("#prestazioni")
    current = " ".join(ul.get_text(" ") for ul in section.select(".prestazioni-in-corso"))
    ended = " ".join(ul.get_text(" ") for ul in section.select(".prestazioni-concluse"))
    assert "Comune di Bari" in current
    assert "Comune di Taranto" in current
    assert "€ 450,00" in current
    assert "€ 120,00" in current
    assert "Centri diurni per minori" in ended
    assert "Luca Conte" in section.get_text()
    assert "€ 99,00" not in section.get_text()  # cancelled
    assert "VALUTAZIONE-RISERVATA" not in page.text
    assert "NOTA-RISERVATA" not in page.text
    proposal = page.html.select_one("#proposte .proposta")
    assert "Potresti avere diritto a" in proposal.get_text()
    assert "ISEE sotto la soglia" in proposal.get_text()
    assert proposal.select_one("a")["href"] == "/regione/avvisi/x/@@scegli-ambito"


def test_the_applicant_s_file_and_the_officer_s_page_show_the_voucher(testapp, wsgi_app):
    def work(portal):
        application = next(a for a in cycle_applications(portal)
                           if a.applicant_login == FAMILY_LOGIN)
        benefit = vouchers.benefit_of(application)
        return resource_path(benefit), benefit.monthly_amount, benefit.isee["protocol"]
    path, monthly, protocol = run_in_app(wsgi_app, work)
    login(testapp, FAMILY_LOGIN)
    page = testapp.get("/@@fascicolo")
    current = page.html.select_one("#prestazioni .prestazioni-in-corso").get_text(" ")
    assert "Matteo Ferri" in page.html.select_one("#prestazioni").get_text()
    assert f"{euro(monthly)} al mese" in " ".join(current.split())
    testapp.get(path, status=403)  # the child's record: the family reads it in the file
    login(testapp, "ats_officer")
    page = testapp.get(path)
    assert protocol in page.html.select_one("#dati-prestazione").get_text()
    assert page.html.select_one("#mesi-pagati") is not None
    assert "€" in page.html.select_one("#quota-utente").get_text()
