"""Pending provider registrations and colleague invitations (persistent, outside the tree)."""
import secrets
from datetime import timedelta

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from content_types.base import ensure_attr
from content_types.values import utcnow
from portal.i18n import _

REGISTRATIONS_ATTR = "catalogue_registrations"
INVITATIONS_ATTR = "catalogue_invitations"
INVITATION_DAYS = 7
PENDING, ACTIVATED, REJECTED = "in attesa", "attivata", "respinta"
#: the stored statuses (codes) as shown to users
STATUS_TITLES = {PENDING: _("in attesa"), ACTIVATED: _("attivata"), REJECTED: _("respinta")}


class Registration(Persistent):
    """A provider's self-registration: legal data and the operator's login, until decided."""

    status = PENDING
    decided_by = None
    decided_at = None
    reason = ""
    provider_path = ""

    def __init__(self, provider_data, login, operator_title):
        self.id = secrets.token_hex(8)
        self.provider_data = dict(provider_data)
        self.login = login
        self.operator_title = operator_title
        self.created = utcnow()

    @property
    def title(self):
        return self.provider_data.get("title", "")

    def decide(self, status, who, reason="", provider_path=""):
        self.status = status
        self.decided_by = who
        self.decided_at = utcnow()
        self.reason = reason
        self.provider_path = provider_path


def registrations(folder, create=False):
    """``id -> Registration`` stored on ``/catalogo`` (None until the first one)."""
    return ensure_attr(folder, REGISTRATIONS_ATTR, OOBTree, create)


def pending_tax_codes(folder):
    store = registrations(folder)
    if store is None:
        return set()
    return {r.provider_data.get("tax_code") for r in store.values() if r.status == PENDING}


class Invitation(Persistent):
    """A single-use link for a colleague to become an operator of the same provider."""

    used_by = None
    used_at = None

    def __init__(self, title, email, invited_by, days=INVITATION_DAYS):
        self.title = title
        self.email = email
        self.invited_by = invited_by
        self.created = utcnow()
        self.expires = self.created + timedelta(days=days)

    def usable(self, now=None):
        return self.used_by is None and (now or utcnow()) < self.expires

    def use(self, login):
        self.used_by = login
        self.used_at = utcnow()


def new_token():
    return secrets.token_urlsafe(24)


def invitations(provider, create=False):
    return ensure_attr(provider, INVITATIONS_ATTR, OOBTree, create)
