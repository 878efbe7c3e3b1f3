"""Issue 11 point 10 through the real app: an active application keeps its money in later versions."""
import re
from decimal import Decimal

from content_types.values import euro
from tests.functional.applications.conftest import CALL, client, post, run_in_app, version_of
from tests.functional.applications.test_review_and_ranking import QUEUE, RANKING, luca_submitted, read, uids

BUDGET = "/regione/avvisi/buoni-minori-2026/@@budget"


def first_version_published(app, codes):
    """Luca and the three demo families admitted; version 1 published. Returns Luca's URL."""
    _citizen, url = luca_submitted(app, codes)
    provider = client(app, "girasole")
    page = provider.get(url + "/@@abbinamento")
    post(provider, url + "/@@abbinamento", {"decisione": "accetta", "_version": version_of(page)})
    officer = client(app, "rup-ba01")
    for action, state in (("start_review", "matched"), ("declare_eligible", "under_review")):
        queue = officer.get(QUEUE + "?stato=" + state)
        token = re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)
        officer.post(QUEUE, [("azione", action), ("csrf_token", token)]
                     + [("uid", u) for u in uids(queue)], status=303)
    v1 = post(officer, RANKING).headers["Location"].replace("http://localhost", "").rstrip("/")
    post(officer, v1 + "/@@pubblica", {"atto": "Determinazione n. 12/2026"})
    return url


def money(app):
    """(budget, committed, {protocol: state}) as stored: committed = funded/active/concluded."""
    def work(portal):
        call = portal["regione"]["avvisi"]["buoni-minori-2026"]
        held, states = Decimal(0), {}
        for application in portal["ambiti"]["ba-01"]["domande"]["buoni-minori-2026"].values():
            states[application.protocol] = application.state
            if application.state in ("funded", "active", "concluded"):
                held += application.voucher_monthly * int(application.months)
        return Decimal(call.budget_for("BA-01")), held, states
    return run_in_app(app, work)


def test_active_application_keeps_its_money_after_a_budget_change(applications_app, codes):
    luca = first_version_published(applications_app, codes)
    protocol = read(applications_app, luca, "protocol")["protocol"]
    gallo = CALL + "/domanda-famiglia-gallo"
    assert read(applications_app, gallo, "state")["state"] == "admitted_unfunded"
    # the provider starts the service; the Region adds a little money to the ATS budget
    post(client(applications_app, "girasole"), luca + "/@@transizione",
         {"transition": "activate"})
    assert read(applications_app, luca, "state")["state"] == "active"
    budget, held, _ = money(applications_app)
    post(client(applications_app, "regione"), BUDGET,
         {"ambito": "BA-01", "importo": str(budget + 1000), "motivo": "Risorse aggiuntive"})
    officer = client(applications_app, "rup-ba01")
    preview = " ".join(officer.get(RANKING).text.split())
    assert protocol in preview
    v2 = post(officer, RANKING, {"motivo": "Incremento del budget"}).headers["Location"]
    v2 = v2.replace("http://localhost", "").rstrip("/")
    post(officer, v2 + "/@@pubblica", {"atto": "Determinazione n. 15/2026"})
    page = " ".join(client(applications_app).get(v2).text.split())
    assert f"{protocol}: non è più in graduatoria" not in page
    assert "Già finanziata nella versione precedente" in page
    budget, committed, states = money(applications_app)
    assert committed == held  # the active one still counts; nobody else fits in €1,000
    assert committed <= budget
    assert (f"Budget {euro(budget)}; assegnato {euro(committed)}; "
            f"residuo {euro(budget - committed)}.") in page
    assert states[protocol] == "active"
    assert read(applications_app, gallo, "state")["state"] == "admitted_unfunded"


def test_budget_cannot_go_below_the_money_already_committed(applications_app, codes):
    luca = first_version_published(applications_app, codes)
    post(client(applications_app, "girasole"), luca + "/@@transizione",
         {"transition": "activate"})
    budget, held, _ = money(applications_app)
    region = client(applications_app, "regione")
    refused = post(region, BUDGET, {"ambito": "BA-01", "importo": str(held - 1),
                                    "motivo": "Riduzione"}, status=400)
    assert (f"Il budget dell'Ambito BA-01 non può scendere a {euro(held - 1)}: le domande "
            f"finanziate, attive o concluse impegnano già {euro(held)}.") in refused.text
    assert money(applications_app)[0] == budget  # nothing changed
    post(region, BUDGET, {"ambito": "BA-01", "importo": str(held), "motivo": "Riduzione"})
    assert money(applications_app)[0] == held
