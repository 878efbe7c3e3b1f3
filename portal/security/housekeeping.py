"""Periodic clean-up of the security stores: expired sessions and forgotten login failures.

Without it the session store keeps a user's dead records until their next login, and
the throttle store keeps one record per login name ever mistyped. ``portal-serve``
runs it with each pass of its clock thread, in a transaction of its own.
"""
import logging

import transaction
from ZODB.POSException import ConflictError

from portal.security import sessions, throttle
from portal.write_lock import writing

log = logging.getLogger(__name__)


def purge_expired(db, registry):
    """Drop what no request can use any more; ``(sessions, counters)`` dropped."""
    now = sessions.now(registry)
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        with writing(db):
            tm.begin()
            root = conn.root()
            session_store = root.get(sessions.SESSIONS_KEY)
            throttle_store = root.get(throttle.THROTTLE_KEY)
            dropped = (
                session_store.purge(sessions.lifetimes(registry), now) if session_store is not None else 0,
                throttle_store.purge(throttle.policy(registry), now) if throttle_store is not None else 0,
            )
            try:
                tm.commit()
            except ConflictError:  # a login wrote the same bucket: the next pass tries again
                log.info("pulizia sessioni rinviata: scrittura concorrente")
                return (0, 0)
            return dropped
    finally:
        tm.abort()
        conn.close()
