"""One submission at a time per process: the protocol counter is taken without wasted replays.

Concurrent submissions all write the ATS's year counter, so all but one of them
conflict and are replayed by pyramid_retry (see ``portal.benefits.protocol``);
under a burst of 8 clients that wastes several replays per request and can use
up ``retry.attempts``. This tween (placed over pyramid_tm, so the lock is taken
before the transaction and its ZODB snapshot begin) serialises ``@@invia`` POSTs
in this process; the view releases the lock as soon as the transaction commits,
before the receipt is signed. Across processes (RelStorage) conflicts still
happen and are replayed as before.
"""
import threading

RELEASE_KEY = "portal.applications.release_submission_lock"


def is_submission(request):
    return request.method == "POST" and request.path_info.rstrip("/").rsplit("/", 1)[-1] in (
        "@@invia", "invia")


def submission_lock_tween_factory(handler, registry):
    lock = threading.Lock()

    def tween(request):
        if not is_submission(request):
            return handler(request)
        lock.acquire()
        held = [True]

        def release(*_):
            if held[0]:
                held[0] = False
                lock.release()
        request.environ[RELEASE_KEY] = release
        try:
            return handler(request)
        finally:
            release()
    return tween


def release_after_commit(request):
    """Let the next submission in as soon as this transaction has committed."""
    release = request.environ.get(RELEASE_KEY)
    if release is not None:
        request.tm.get().addAfterCommitHook(release)
