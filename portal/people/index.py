"""The social index: one codice fiscale, one person, everywhere in the portal.

Stored at the ZODB root (``portal.db.SOCIAL_KEY``), outside the content tree, because it
crosses ATS: the duplicate check of a grant in BA-01 must see a benefit granted in TA-01,
and the citizen's file gathers benefits from every ATS. It holds references (paths) and the
few fields the duplicate check compares, never case data. Every mapping is a BTree keyed by
codice fiscale or code, so two writers on different people touch different buckets.
"""
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent


class SocialIndex(Persistent):
    """People, household membership, open cases and benefits by codice fiscale."""

    #: fiscal code -> login of the account with that code, and the number of users it
    #: reflects (a Length): ``portal.people.accounts``
    accounts = None
    accounts_users = None

    def __init__(self):
        self.people = OOBTree()  # fiscal code -> person path
        self.households = OOBTree()  # household code -> household path
        self.member_of = OOBTree()  # fiscal code -> household code
        self.cases = OOBTree()  # fiscal code -> case path (the open or last case)
        self.benefits = OOBTree()  # fiscal code -> tuple of BenefitRef dicts
        self.logins = OOBTree()  # login -> fiscal code (accounts linked to a person)
        self.people_count = Length()

    # -- people -------------------------------------------------------------------------
    def person_path(self, fiscal_code):
        return self.people.get(fiscal_code)

    def add_person(self, fiscal_code, path):
        if fiscal_code not in self.people:
            self.people_count.change(1)
        self.people[fiscal_code] = path

    # -- households ---------------------------------------------------------------------
    def household_of(self, fiscal_code):
        return self.member_of.get(fiscal_code)

    def join(self, fiscal_code, code):
        self.member_of[fiscal_code] = code

    def leave(self, fiscal_code):
        self.member_of.pop(fiscal_code, None)

    # -- benefits -----------------------------------------------------------------------
    def benefits_of(self, fiscal_code):
        return self.benefits.get(fiscal_code, ())

    def put_benefit(self, fiscal_code, ref):
        """Add or replace (same uid) the reference of one benefit."""
        others = tuple(r for r in self.benefits.get(fiscal_code, ()) if r["uid"] != ref["uid"])
        self.benefits[fiscal_code] = (*others, dict(ref))

    def drop_benefit(self, fiscal_code, uid):
        kept = tuple(r for r in self.benefits.get(fiscal_code, ()) if r["uid"] != uid)
        if kept:
            self.benefits[fiscal_code] = kept
        else:
            self.benefits.pop(fiscal_code, None)
