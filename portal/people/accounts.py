"""The citizens' accounts by codice fiscale, so registering a person never walks every user.

The map lives in the social index (``accounts``: codice fiscale -> login); it is built from
the users folder the first time it is needed (databases older than it have none) and then
kept in step by the subscriber below. A hit is checked against the account itself, so an
account removed, renamed or given another code is never linked by a stale entry.
"""
from BTrees.OOBTree import OOBTree
from pyramid.events import subscriber

from content_types.events import ObjectAdded, ObjectModified, ObjectMoved
from content_types.users import User
from portal.db import social_index_of

USERS_NAME = "utenti"


def _code(user):
    return (getattr(user, "fiscal_code", "") or "").strip().upper()


def accounts(root):
    """The social index's map, built from ``root["utenti"]`` when missing."""
    social = social_index_of(root)
    if social.accounts is None:
        found = OOBTree()
        users = root.get(USERS_NAME)
        for login, user in (users.items() if users is not None else ()):
            if _code(user) and _code(user) not in found:
                found[_code(user)] = login
        social.accounts = found
    return social.accounts


def login_of(root, fiscal_code):
    """The login of the account whose codice fiscale is ``fiscal_code``, or None."""
    login = accounts(root).get(fiscal_code)
    users = root.get(USERS_NAME)
    user = users.get(login) if login and users is not None else None
    return login if user is not None and _code(user) == fiscal_code else None


@subscriber(ObjectAdded, ObjectModified, ObjectMoved)
def account_changed(event):
    """A new or edited account: its code points to it (once the map exists)."""
    user = event.object
    if not isinstance(user, User) or not _code(user):
        return
    try:
        social = social_index_of(user)
    except (LookupError, KeyError):
        return  # not stored yet, or a database before the social index
    if social.accounts is not None and social.accounts.get(_code(user)) != user.__name__:
        social.accounts[_code(user)] = user.__name__
