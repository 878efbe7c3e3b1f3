"""The officer's counts are the catalog's, for their own ATS only, after any sequence of changes."""
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workflows.application as wf
from content_types.application import Application
from content_types.events import ObjectModified
from portal.demo.applications import CALL_CODE, ENTRY_PATH
from tests.functional.applications.conftest import client, run_in_app
from workflows import get_workflow

STATES = (wf.SUBMITTED, wf.MATCHED, wf.UNDER_REVIEW, wf.AWAITING_INTEGRATION, wf.ELIGIBLE,
          wf.FUNDED, wf.INELIGIBLE, wf.WITHDRAWN)
#: (ATS, state) of one new application, or (ATS, None): move the first one of that ATS on
ACTIONS = st.lists(st.tuples(st.sampled_from(("ba-01", "ta-01")), st.sampled_from(STATES)),
                   min_size=1, max_size=6)


def count_of(page, label):
    match = re.search(label + r':\s*<strong class="portal-count">(\d+)</strong>', page)
    assert match, label
    return int(match.group(1))


def apply(app, actions, serial):
    workflow = get_workflow(app.registry, "application")

    def work(portal):
        for index, (ats, state) in enumerate(actions):
            folder = portal["ambiti"][ats]["domande"][CALL_CODE]
            moved = [a for a in folder.values() if isinstance(a, Application)
                     and a.__name__.startswith("prop-")]
            if moved and index % 2:
                application = moved[0]  # an earlier one changes state
            else:
                application = Application(title="Domanda", creator="famiglia",
                                          call_uid=folder.call_uid)
                folder.add(f"prop-{serial}-{index}", application, registry=app.registry)
                application.assign_parties("famiglia")
                application.set_data({"catalogue_entry_path": ENTRY_PATH})
            application.state = state
            workflow.apply_acl(application, registry=app.registry)
            application.touch()
            app.registry.notify(ObjectModified(application, ("state",)))
    run_in_app(app, work)


def expected(app):
    def work(portal):
        folder = portal["ambiti"]["ba-01"]["domande"][CALL_CODE]
        states = [a.state for a in folder.values() if isinstance(a, Application)]
        return (sum(s in (wf.SUBMITTED, wf.MATCHED, wf.UNDER_REVIEW) for s in states),
                states.count(wf.AWAITING_INTEGRATION))
    return run_in_app(app, work)


def test_counts_match_the_tree_of_the_officers_ats(applications_app):
    officer = client(applications_app, "rup-ba01")
    serial = iter(range(10_000))

    @settings(max_examples=8, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ACTIONS)
    def check(actions):
        apply(applications_app, actions, next(serial))
        page = officer.get("/@@area-personale").text
        to_review, awaiting = expected(applications_app)
        assert count_of(page, "Domande da esaminare") == to_review
        assert count_of(page, "Integrazioni attese") == awaiting
        assert 'id="ambito-TA-01"' not in page

    check()
