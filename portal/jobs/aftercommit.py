"""The one "after the commit, in a transaction of its own, replayed on conflict" helper of the portal."""
import logging

import transaction
from ZODB.POSException import ConflictError

from portal.write_lock import writing

log = logging.getLogger(__name__)
ATTEMPTS = 5


def in_new_transaction(db, work, attempts=ATTEMPTS):
    """``work(connection)`` in a short transaction of its own; replayed on ConflictError.

    It holds the process's write lock (re-entrant: an after-commit hook of a request
    already holds it), so it takes its turn with the requests of this process.
    """
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        for attempt in range(attempts):
            try:
                with writing(db), tm:
                    return work(conn)
            except ConflictError:
                if attempt == attempts - 1:
                    raise
        return None  # attempts < 1
    finally:
        conn.close()


def read(db, work):
    """``work(connection)`` on a fresh snapshot, written nothing, without the write lock."""
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        tm.begin()
        return work(conn)
    finally:
        tm.abort()
        conn.close()


def run_after_commit(txn, work):
    """Call ``work()`` once ``txn`` has committed (never after an abort); errors are logged."""

    def hook(committed):
        if not committed:
            return
        try:
            work()
        except Exception:  # the committed transaction stands whatever happens here
            log.exception("after-commit work failed")

    txn.addAfterCommitHook(hook)
