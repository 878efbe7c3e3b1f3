"""The citizens' accounts by codice fiscale, so registering a person never walks every user.

The map lives in the social index (``accounts``: codice fiscale -> login, and
``accounts_users``: how many users it reflects); it is built from the users folder when it is
missing (databases older than it) or when the number of users is not the one it reflects (an
account added or removed without events), and otherwise kept in step by the subscriber below.
A hit is checked against the account itself, so an account removed, renamed or given another
code is never linked by a stale entry.
"""
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from pyramid.events import subscriber

from content_types.events import ObjectAdded, ObjectModified, ObjectMoved
from content_types.users import User
from portal.db import social_index_of

USERS_NAME = "utenti"


def _code(user):
    return (getattr(user, "fiscal_code", "") or "").strip().upper()


def accounts(root):
    """The social index's map, (re)built from ``root["utenti"]`` when missing or out of step."""
    social = social_index_of(root)
    users = root.get(USERS_NAME)
    count = len(users) if users is not None else 0
    if social.accounts is None or social.accounts_users() != count:
        found = OOBTree()
        for login, user in (users.items() if users is not None else ()):
            if _code(user) and _code(user) not in found:
                found[_code(user)] = login
        social.accounts, social.accounts_users = found, Length(count)
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
    if not isinstance(user, User):
        return
    try:
        social = social_index_of(user)
    except (LookupError, KeyError):
        return  # not stored yet, or a database before the social index
    if social.accounts is None:
        return
    if _code(user) and social.accounts.get(_code(user)) != user.__name__:
        social.accounts[_code(user)] = user.__name__
    users = user.__parent__
    if isinstance(event, ObjectAdded) and social.accounts_users() == len(users) - 1:
        social.accounts_users.change(1)  # a Length: two accounts added at once both count

