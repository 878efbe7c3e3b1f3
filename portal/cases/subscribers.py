"""The case manager hears of what changes for a person in care, at the commit.

Deferred to the commit (``notifications.subscribers.pending_for``) like every note: a refused
or aborted request tells nobody anything. Watched: an application submitted where the person
is beneficiary or applicant, a change of ISEE or household, a benefit granted, suspended,
resumed, ended or cancelled. The missed PAI reviews are a periodic pass (``reviews``).
"""
import uuid

from pyramid.traversal import find_root

import workflows.application as wf
from content_types.application import Application
from content_types.events import StateChanged
from portal.applications import services
from portal.cases import notify
from portal.cases.rules import notices
from portal.notifications.subscribers import pending_for
from portal.people import store as people
from portal.people.events import BenefitChanged, PersonChanged


def _jar_of(obj):
    while obj is not None:
        jar = getattr(obj, "_p_jar", None)
        if jar is not None:
            return jar
        obj = getattr(obj, "__parent__", None)
    return None


def _later(registry, obj, work):
    jar = _jar_of(obj)
    if jar is not None:
        pending_for(registry, jar.transaction_manager.get()).later.append(work)


def _root(obj):
    return find_root(obj)


def _call_title(application):
    try:
        return services.call_of(application).title
    except (AttributeError, KeyError, TypeError):
        return ""


def application_submitted(registry, event):
    """An application reached «submitted»: tell the case managers of its people in care."""
    application = event.object
    if (event.workflow != wf.NAME or event.new_state != wf.SUBMITTED
            or not isinstance(application, Application)):
        return

    def work(reg, txn):
        root = _root(application)
        seen = set()
        for role, code in (("beneficiary", application.beneficiary_fiscal_code),
                           ("applicant", application.applicant_fiscal_code)):
            person, case = notify.in_care_by_code(root, (code or "").upper())
            if case is None or case.uid in seen:
                continue
            seen.add(case.uid)
            note = notices.application_note(
                notify.facts_of(case, person), application.protocol or "",
                _call_title(application), application.uid, role)
            notify.deliver(case, note, reg, txn)
    _later(registry, application, work)


def person_changed(registry, event):
    """A change of ISEE or household of a person in care, or of a member of their household."""
    person, what = event.person, event.what
    if what not in (notices.ISEE, notices.HOUSEHOLD):
        return
    details = dict(event.details)
    stamp = uuid.uuid4().hex[:12]

    def work(reg, txn):
        case = notify.case_in_care(person)
        if case is not None:
            notify.deliver(case, notices.person_note(notify.facts_of(case, person), what,
                                                     stamp, details), reg, txn)
        if what != notices.HOUSEHOLD or not details.get("household"):
            return
        household = people.find_household(_root(person), details["household"])
        for member, _relationship in (people.members_of(household) if household else ()):
            other = notify.case_in_care(member) if member is not person else None
            if other is not None:
                notify.deliver(other, notices.household_member_note(
                    notify.facts_of(other, member), person.full_name, True, stamp), reg, txn)
    _later(registry, person, work)


def benefit_changed(registry, event):
    """A benefit of a person in care was granted, suspended, resumed, ended or cancelled."""
    benefit, action = event.benefit, event.what
    if action not in notices.BENEFIT_ACTIONS:
        return
    step = len(benefit.history)

    def work(reg, txn):
        person, case = notify.in_care_by_code(_root(benefit), benefit.fiscal_code)
        if case is None:
            return
        note = notices.benefit_note(notify.facts_of(case, person), action, benefit.title,
                                    benefit.uid, step)
        notify.deliver(case, note, reg, txn)
    _later(registry, benefit, work)


def includeme(config):
    registry = config.registry
    config.add_subscriber(lambda event: application_submitted(registry, event), StateChanged)
    config.add_subscriber(lambda event: person_changed(registry, event), PersonChanged)
    config.add_subscriber(lambda event: benefit_changed(registry, event), BenefitChanged)
