"""A plan's transitions become notifications just before the commit, like the applications'.

Deferred to the commit (``notifications.subscribers.pending_for``) so that a refused or
aborted request tells nobody anything, and the notes read the version as the request left it.
"""
from pyramid.traversal import find_root

import workflows
from content_types.events import StateChanged
from content_types.security import ATS_OFFICER, REGION_OFFICER, USER_PREFIX
from content_types.values import utcnow
from content_types.zone_plan import PlanVersion
from portal.notifications import service
from portal.notifications.subscribers import jar_of, pending_for
from portal.plans import store
from portal.plans.rules import model, notices
from workflows import zone_plan as workflow


def _holders(obj, role_name):
    """The logins holding ``role_name`` locally on ``obj``."""
    roles = getattr(obj, "__local_roles__", None) or {}
    return tuple(sorted(p.removeprefix(USER_PREFIX) for p, granted in roles.items()
                        if role_name in granted and p.startswith(USER_PREFIX)))


def region_officers(root):
    """The Region's officers: the users with the role, and those granted it on ``regione``."""
    users = root.get("utenti")
    found = [login for login, user in (users.items() if users is not None else ())
             if REGION_OFFICER in (getattr(user, "roles", ()) or ())]
    region = root.get("regione")
    found += _holders(region, REGION_OFFICER) if region is not None else ()
    return tuple(dict.fromkeys(found))


def facts_of(version, transition, comment):
    district = store.district_of(version)
    plan = store.plan_of(version)
    return notices.PlanFacts(
        uid=version.uid, district=getattr(district, "title", ""), period=plan.period,
        number=version.number,
        ats_officers=_holders(district, ATS_OFFICER) if district is not None else (),
        region_officers=region_officers(find_root(version)),
        notes=tuple((s, version.section_notes[s]) for s in model.SECTIONS
                    if s in version.section_notes),
        comment=comment or "",
        round=sum(1 for h in workflows.history(version) if h.get("transition") == transition))


def notify(version, transition, comment, registry, txn, now=None):
    """Deliver the notes of ``transition`` on ``version`` (the stored ones, new only)."""
    if version._p_jar is None:  # created in this transaction: stored with its plan
        jar_of(version).add(version)
    root = find_root(version)
    now = now or utcnow()
    found = []
    for note in notices.plan_notes(transition, facts_of(version, transition, comment)):
        done = service.deliver(note, anchor=version, registry=registry, now=now, txn=txn,
                               to=service.email_of(root, note.recipient))
        if done is not None:
            found.append(done)
    return found


def plan_moved(registry, event):
    """Remember a plan's transition someone is told about, for the commit."""
    version = event.object
    if (event.workflow != workflow.NAME or event.transition not in notices.WATCHED
            or not isinstance(version, PlanVersion)):
        return
    jar = jar_of(version)
    if jar is None:
        return
    transition, comment = event.transition, event.comment
    pending_for(registry, jar.transaction_manager.get()).later.append(
        lambda reg, txn: notify(version, transition, comment, reg, txn))


def includeme(config):
    registry = config.registry
    config.add_subscriber(lambda event: plan_moved(registry, event), StateChanged)
