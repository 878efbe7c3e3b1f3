"""Crea l'archivio delle sessioni e i contatori dei tentativi di accesso; toglie il blocco degli account."""
from portal.security.sessions import SESSIONS_KEY, SessionStore
from portal.security.throttle import THROTTLE_KEY, ThrottleStore


def evolve(zodb_root, portal):
    if SESSIONS_KEY not in zodb_root:
        zodb_root[SESSIONS_KEY] = SessionStore()
    if THROTTLE_KEY not in zodb_root:
        zodb_root[THROTTLE_KEY] = ThrottleStore()
    users = portal.get("utenti")
    for user in users.values() if users is not None else ():
        # the old hard lockout: its state means nothing now
        user._p_activate()
        # a list, not a generator: both attributes are popped (C419 would stop at the first)
        if any([user.__dict__.pop(name, None) is not None  # noqa: C419
                for name in ("failed_logins", "locked_until")]):
            user._p_changed = True
