"""Money follows the ranking: no officer funds (or admits unfunded) an application by hand."""
import re

import workflows.application as wf
from portal.applications.rules import ranking as ranking_rules
from portal.payments.ledger import ledger_of
from tests.functional.applications.conftest import CALL, client, post, run_in_app
from tests.functional.applications.test_review_and_ranking import QUEUE, uids

GALLO = CALL + "/domanda-famiglia-gallo"


def test_the_guard_reads_the_outcomes_the_ranking_writes():
    assert (wf.RANKED_FUNDED, wf.RANKED_NOT_FUNDED) == (ranking_rules.FUNDED,
                                                       ranking_rules.NOT_FUNDED)


def test_an_officer_cannot_fund_an_eligible_application_without_the_ranking(applications_app):
    officer = client(applications_app, "rup-ba01")
    for action, state in (("start_review", "matched"), ("declare_eligible", "under_review")):
        queue = officer.get(QUEUE + "?stato=" + state)
        token = re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)
        officer.post(QUEUE, [("azione", action), ("csrf_token", token)]
                     + [("uid", u) for u in uids(queue)], status=303)

    def state_and_account(portal):
        application = portal["ambiti"]["ba-01"]["domande"]["buoni-minori-2026"][
            "domanda-famiglia-gallo"]
        return application.state, ledger_of(portal["ambiti"]["ba-01"]).account(application.uid)
    assert state_and_account
    assert run_in_app(applications_app, state_and_account) == (
        wf.ELIGIBLE, None)
    for transition in (wf.FUND, wf.ADMIT_UNFUNDED):
        refused = post(officer, GALLO + "/@@transizione", {"transition": transition},
                       status=422)
        assert "pubblicando la graduatoria" in " ".join(refused.text.split())
    assert run_in_app(applications_app, state_and_account) == (wf.ELIGIBLE, None)
