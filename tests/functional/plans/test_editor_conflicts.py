"""Two people on one section, in any order of loading and saving: a save goes through only
from a form loaded after the last save, and the stored figure is always the last accepted one
(no lost update, never a 5xx)."""
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.plans import store
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import client_as

FIELD = "072027.2026"  # Modugno's co-financing in 2026
ACTIONS = st.lists(st.tuples(st.sampled_from(("load", "save")), st.sampled_from((0, 1)),
                             st.integers(min_value=1, max_value=999_999)),
                   min_size=1, max_size=8)


def stored(app):
    def read(portal):
        version = store.latest(portal["ambiti"]["ba-01"]["piani"]["2025-2027"])
        return version.cofinancing.get(("072027", 2026)), store.token(version, "cofinanziamento")
    return run_in_app(app, read)


@settings(max_examples=12, deadline=None,
          suppress_health_check=(HealthCheck.function_scoped_fixture,))
@given(actions=ACTIONS)
def test_no_save_from_a_stale_form_is_ever_accepted(plan_app, actions):
    clients = getattr(plan_app, "conflict_clients", None)
    if clients is None:
        clients = plan_app.conflict_clients = [client_as(plan_app, "ats_officer"),
                                               client_as(plan_app, "ats_officer")]
    url = plan_app.plan_path + "/versione-1/@@cofinanziamento"
    forms = [None, None]
    for action, who, euros in actions:
        if action == "load" or forms[who] is None:
            forms[who] = clients[who].get(url).forms["form-cofinanziamento"]
            continue
        value_before, token_now = stored(plan_app)
        fresh = forms[who]["_token"].value == token_now
        forms[who][FIELD] = f"{euros},00"
        answer = forms[who].submit(expect_errors=True)
        value_after, token_after = stored(plan_app)
        if fresh:
            assert answer.status_int == 303
            assert value_after == Decimal(euros)
            assert int(token_after) == int(token_now) + 1
            forms[who] = clients[who].get(url).forms["form-cofinanziamento"]
        else:
            assert answer.status_int == 409
            assert (value_after, token_after) == (value_before, token_now)
            assert answer.forms["form-cofinanziamento"][FIELD].value == f"{euros},00"
            forms[who] = answer.forms["form-cofinanziamento"]
