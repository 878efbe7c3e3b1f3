"""Deliver the case manager's notes (``rules.notices``) into the inbox, and by e-mail.

Transaction-aware, no request: the subscribers and the review pass share it. The note is
anchored on the case, so the inbox links to it and only its readers can open it.
"""
from pyramid.traversal import find_root

from content_types.values import utcnow
from portal.cases import store
from portal.cases.rules import notices, status
from portal.notifications import service
from portal.people import store as people


def facts_of(case, person=None):
    person = person if person is not None else case.__parent__
    return notices.CaseFacts(uid=case.uid, person=getattr(person, "full_name", ""),
                             manager=case.manager or "")


def case_in_care(person):
    """The person's case when it is taken in charge and has a case manager, else None."""
    case = store.case_of(person) if person is not None else None
    return case if status.in_care(case) and case.manager else None


def in_care_by_code(root, fiscal_code):
    """(person, case) of a person in care found by codice fiscale, or (None, None)."""
    person = people.find_person(root, fiscal_code) if fiscal_code else None
    case = case_in_care(person)
    return (person, case) if case is not None else (None, None)


def deliver(case, note, registry, txn, now=None):
    """The stored note (None when this key was delivered already)."""
    if case._p_jar is None:  # created in this transaction: stored with its person
        node = case.__parent__
        while node is not None and getattr(node, "_p_jar", None) is None:
            node = node.__parent__
        if node is None:
            return None
        node._p_jar.add(case)
    root = find_root(case)
    return service.deliver(note, anchor=case, registry=registry, now=now or utcnow(),
                           txn=txn, to=service.email_of(root, note.recipient))
