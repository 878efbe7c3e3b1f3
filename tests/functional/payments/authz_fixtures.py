"""Set-up for the payment authorization rows and the scope of the personal area's counts.

Built through the real app, as acts_fixtures does; three more people check scope: another
citizen, an operator of L'Arcobaleno, an officer of TA-01 (password as the demo's).
"""
from pyramid.traversal import find_resource, resource_path

import workflows
import workflows.application as application_workflow
from content_types.events import LocalRolesChanged
from content_types.security import ATS_OFFICER, CITIZEN, PROVIDER, set_local_roles
from content_types.users import User
from portal.demo import demo_password
from portal.payments import attestations
from portal.payments.rules import monthly
from tests.functional.applications.conftest import client, post, run_in_app
from tests.functional.applications.test_money_after_funding import first_version_published
from tests.functional.payments.acts_fixtures import (
    LIST,
    funded_applications,
    split_budget,
    validated,
)
from tests.functional.payments.review_fixtures import make_sent
from workflows import attestation as attestation_workflow

OTHER_LOGINS = ("altro-cittadino", "arcobaleno-op", "rup-ta01")


def other_users(app):
    """Another citizen, an operator of L'Arcobaleno, an officer of TA-01."""
    def work(portal):
        for login_name, roles, grant in (
                ("altro-cittadino", (CITIZEN,), None),
                ("arcobaleno-op", (), (("catalogo", "arcobaleno"), PROVIDER)),
                ("rup-ta01", (), (("ambiti", "ta-01"), ATS_OFFICER))):
            user = User(title=login_name, email=f"{login_name}@example.it", roles=roles,
                        creator="admin")
            user.set_password(demo_password(login_name))
            portal["utenti"].add(login_name, user, registry=app.registry)
            if grant:
                obj = portal
                for part in grant[0]:
                    obj = obj[part]
                set_local_roles(obj, "user:" + login_name, {grant[1]})
                app.registry.notify(LocalRolesChanged(obj))
    run_in_app(app, work)


def payment_setup(app, codes):
    """Every funded application active with two validated attestations; Luca's (the citizen's)
    has one more in each of draft (D), signed (G) and sent (S); an act (A) pays his first month
    (P); V is his second, validated. Returns the paths by letter, L being Luca's application."""
    other_users(app)
    run_in_app(app, split_budget)
    luca = first_version_published(app, codes)

    def work(portal):
        for application in funded_applications(portal):
            if application.state == application_workflow.FUNDED:
                workflows.fire(application, None, application_workflow.ACTIVATE,
                               registry=app.registry)
            validated(portal, app.registry, application, 2)
        application = find_resource(portal, luca)
        funded = attestations.context_of(application).funded
        today = monthly.parse_month(funded[-1])
        made = {"L": luca}
        for key, month, state in (("D", funded[2], attestation_workflow.DRAFT),
                                  ("G", funded[3], attestation_workflow.SIGNED),
                                  ("S", funded[4], attestation_workflow.SENT)):
            made[key] = resource_path(make_sent(application, month, app.registry,
                                                today=today, state=state))
        folder = application["attestazioni"]
        made["P"] = resource_path(folder[funded[0]])
        made["V"] = resource_path(folder[funded[1]])
        return made, folder[funded[0]].uid
    paths, paid_uid = run_in_app(app, work)
    officer = client(app, "rup-ba01")
    issued = post(officer, LIST, {"azione": "emetti", "conferma": "si", "uid": paid_uid})
    paths["A"] = issued.headers["Location"].replace("http://localhost", "")
    return paths
