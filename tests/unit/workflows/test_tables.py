"""Every (state x role x permission) and (state x role x transition) cell of the shipped workflows.

The EXPECTED tables are written out by hand from the requirements, not derived
from the definitions, so a wrong permission map fails here. A role missing
from a state's row may do nothing there; ``admin`` may always do everything.
Permissions are computed with Pyramid's ACLHelper on an object whose parent
grants every permission to everyone: managed permissions must not leak through.
"""
import pytest
from pyramid.authorization import ALL_PERMISSIONS, ACLHelper, Allow, Authenticated, Everyone

from content_types.base import Container
from content_types.security import MANAGE
from tests.unit.workflows.support import Doc, make_request
from workflows import application, attestation, catalogue_entry, zone_plan

ANON, AUTH = "anonymous", "authenticated"
ROLES = (ANON, AUTH, "citizen", "delegate", "provider", "ats_officer", "region_officer",
         "admin", "owner")

# ---------------------------------------------------------------------------- catalogue
CATALOGUE = {
    "workflow": catalogue_entry.WORKFLOW,
    "permissions": "view edit delete submit accredit withdraw",
    "may": {
        "draft": {
            "provider": "view edit delete submit",
            "owner": "view edit delete submit",
        },
        "submitted": {
            "provider": "view",
            "owner": "view",
            "region_officer": "view accredit",
        },
        "published": {
            ANON: "view", AUTH: "view", "citizen": "view", "delegate": "view",
            "ats_officer": "view",
            "provider": "view withdraw",
            "owner": "view withdraw",
            "region_officer": "view accredit withdraw",
        },
        "suspended": {
            "provider": "view withdraw",
            "owner": "view withdraw",
            "region_officer": "view accredit withdraw",
        },
        "withdrawn": {
            "provider": "view", "owner": "view", "region_officer": "view",
        },
    },
    "fires": {
        "draft": {"provider": "submit", "owner": "submit", "admin": "submit"},
        "submitted": {"region_officer": "publish send_back", "admin": "publish send_back"},
        "published": {"provider": "withdraw", "owner": "withdraw",
                      "region_officer": "suspend withdraw", "admin": "suspend withdraw"},
        "suspended": {"provider": "withdraw", "owner": "withdraw",
                      "region_officer": "reinstate withdraw",
                      "admin": "reinstate withdraw"},
        "withdrawn": {},
    },
}

# ---------------------------------------------------------------------------- application
R = "view view_personal_data "
OPEN = {  # a submitted application under way: family, delegate, RUP, provider, Region
    "owner": R + "withdraw", "delegate": R, "ats_officer": R + "review annul",
    "provider": R, "region_officer": "view",
}
CLOSED = {"owner": R, "delegate": R, "ats_officer": R + "annul", "provider": R,
          "region_officer": "view"}
FINAL = {**CLOSED, "ats_officer": R}  # concluded or annulled: nothing more to annul

APPLICATION = {
    "workflow": application.WORKFLOW,
    "permissions": "view edit delete view_personal_data add_content submit withdraw match "
                "integrate review activate annul system_transition",
    "may": {
        "draft": {
            "owner": R + "edit delete submit withdraw",
            "delegate": R + "edit delete submit",
        },
        "submitted": {
            "owner": R + "withdraw", "delegate": R, "ats_officer": R + "annul",
            "provider": "view match", "region_officer": "view",
        },
        "auto_ineligible": CLOSED,
        "matched": OPEN,
        "lapsed": CLOSED,
        "under_review": OPEN,
        "awaiting_integration": {
            **OPEN, "owner": R + "withdraw integrate", "delegate": R + "integrate",
        },
        "eligible": OPEN,
        "ineligible": CLOSED,
        "funded": {**OPEN, "provider": R + "activate"},
        "admitted_unfunded": OPEN,
        "active": {**OPEN, "provider": R + "add_content"},
        "concluded": FINAL,
        "revoked": CLOSED,
        "withdrawn": CLOSED,
        "annulled": FINAL,
    },
    "fires": {
        "draft": {"owner": "submit withdraw", "delegate": "submit",
                  "admin": "submit withdraw"},
        "submitted": {"owner": "withdraw", "provider": "match decline_match",
                    "ats_officer": "annul",
                    "admin": "reject_auto match lapse decline_match withdraw annul"},
        "auto_ineligible": {"ats_officer": "annul", "admin": "annul"},
        "matched": {"owner": "withdraw", "ats_officer": "start_review annul",
                     "admin": "start_review withdraw annul"},
        "lapsed": {"ats_officer": "annul", "admin": "annul"},
        "under_review": {
            "owner": "withdraw",
            "ats_officer": "request_integration declare_eligible declare_ineligible annul",
            "admin": "request_integration declare_eligible declare_ineligible withdraw annul",
        },
        "awaiting_integration": {
            "owner": "integrate withdraw", "delegate": "integrate",
            "ats_officer": "declare_ineligible annul",
            "admin": "integrate declare_ineligible withdraw annul",
        },
        "eligible": {"owner": "withdraw", "ats_officer": "fund admit_unfunded revoke annul",
                        "admin": "fund admit_unfunded revoke withdraw annul"},
        "ineligible": {"ats_officer": "annul", "admin": "annul"},
        "funded": {"owner": "withdraw", "ats_officer": "revoke annul",
                               "provider": "activate",
                               "admin": "activate revoke withdraw annul"},
        "admitted_unfunded": {"owner": "withdraw", "ats_officer": "scroll revoke annul",
                                   "admin": "scroll revoke withdraw annul"},
        "active": {"owner": "withdraw", "ats_officer": "revoke annul",
                   "admin": "conclude revoke withdraw annul"},
        "concluded": {},
        "revoked": {"ats_officer": "annul", "admin": "annul"},
        "withdrawn": {"ats_officer": "annul", "admin": "annul"},
        "annulled": {},
    },
}

# ---------------------------------------------------------------------------- attestation
ATTESTATION = {
    "workflow": attestation.WORKFLOW,
    "permissions": "view view_personal_data edit delete sign submit validate revise pay",
    "may": {
        "draft": {"provider": R + "edit delete", "owner": R + "sign"},
        "signed": {"provider": R + "submit", "owner": R},
        "sent": {"provider": R, "owner": R, "ats_officer": R + "validate"},
        "validated": {"provider": R, "owner": R, "ats_officer": R + "pay"},
        "rejected": {"provider": R + "revise", "owner": R, "ats_officer": R},
        "paid": {"provider": R, "owner": R, "ats_officer": R},
    },
    "fires": {
        "draft": {"owner": "sign", "admin": "sign"},
        "signed": {"provider": "send", "admin": "send"},
        "sent": {"ats_officer": "validate reject", "admin": "validate reject"},
        "validated": {"ats_officer": "pay", "admin": "pay"},
        "rejected": {"provider": "revise", "admin": "revise"},
        # offered to the admin but refused by its guard: only a correcting act undoes a payment
        "paid": {"admin": "cancel_payment"},
    },
}

# ---------------------------------------------------------------------------- zone plan
ZONE_PLAN = {
    "workflow": zone_plan.WORKFLOW,
    "permissions": "view edit delete submit review",
    "may": {
        "draft": {"ats_officer": "view edit delete submit"},
        "submitted": {"ats_officer": "view", "region_officer": "view review"},
        "under_review": {"ats_officer": "view", "region_officer": "view review"},
        "approved": dict.fromkeys(ROLES, "view"),
        "returned": {"ats_officer": "view edit submit", "region_officer": "view"},
    },
    "fires": {
        "draft": {"ats_officer": "submit", "admin": "submit"},
        "submitted": {"region_officer": "take_in_charge", "admin": "take_in_charge"},
        "under_review": {"region_officer": "approve return", "admin": "approve return"},
        "approved": {},
        "returned": {"ats_officer": "submit", "admin": "submit"},
    },
}

TABLES = {t["workflow"].name: t for t in (CATALOGUE, APPLICATION, ATTESTATION, ZONE_PLAN)}
CELLS = [(name, state, role)
         for name, table in TABLES.items() for state in table["may"] for role in ROLES]


def principals(role):
    if role == ANON:
        return [Everyone]
    found = [Everyone, Authenticated, "user:utente"]
    return found if role == AUTH else found + ["role:" + role]


def placed(workflow, state):
    """A test object in ``state``, under a parent that grants everything to everyone."""
    parent = Container("Genitore")
    parent.__acl__ = [(Allow, Everyone, ALL_PERMISSIONS)]
    obj = Doc("Oggetto", creator="operatore")
    obj.__parent__, obj.__name__ = parent, "oggetto"
    obj.state = state
    obj.__acl__ = workflow.acl_for(state)
    return obj


@pytest.mark.parametrize("name", sorted(TABLES))
def test_tables_cover_the_definition(name):
    table = TABLES[name]
    workflow = table["workflow"]
    assert list(table["may"]) == [s.name for s in workflow.states]
    assert list(table["fires"]) == [s.name for s in workflow.states]
    assert set(workflow.managed_permissions) == set(table["permissions"].split())


@pytest.mark.parametrize(("name", "state", "role"), CELLS)
def test_permission_cell(name, state, role):
    table = TABLES[name]
    obj = placed(table["workflow"], state)
    checked = table["permissions"].split()
    may = {p for p in checked if ACLHelper().permits(obj, principals(role), p)}
    expected = set(checked) if role == "admin" else set(
        table["may"][state].get(role, "").split())
    assert may == expected
    # permissions the workflow does not manage still come from the parent
    assert ACLHelper().permits(obj, principals(role), MANAGE)


@pytest.mark.parametrize(("name", "state", "role"), CELLS)
def test_transition_cell(config, name, state, role):
    table = TABLES[name]
    obj = placed(table["workflow"], state)
    user = None if role == ANON else "utente"
    roles = () if role in (ANON, AUTH) else (role,)
    request = make_request(config.registry, user, roles)
    fires = {o.transition.name for o in table["workflow"].transitions_for(obj, request)}
    assert fires == set(table["fires"][state].get(role, "").split())
