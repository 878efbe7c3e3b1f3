"""Server-side login sessions: one record per login, revocable, with idle and absolute lifetimes.

The signed cookie only carries ``(login, session id)``; the record in ZODB is what
makes it valid, so logout, a password change or an administrator can end it.

Conflicts: records are keyed ``(login, hash of a random id)`` in one ``OOBTree``, so
concurrent logins, even of the same user, insert different keys, which BTrees merge
(different users land in different buckets; no per-user index to create). A request
reads its record without writing; ``last_seen`` is rewritten only when it is older
than the refresh interval, and that write touches the record alone (two refreshes of
the same record merge in ``_p_resolveConflict``).
"""
import hashlib
import secrets
from datetime import timedelta

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid_zodbconn import get_connection
from ZODB.POSException import ConflictError

from content_types.values import aware, utcnow

SESSIONS_KEY = "sessions"
DEFAULT_IDLE = 1800
DEFAULT_MAX_AGE = 12 * 3600
#: ``last_seen`` is written at most this often (seconds), so reads stay reads
MAX_REFRESH = 60
#: above every hex key: the end of one user's range
LAST = "~"


def session_key(sid):
    """The store key of a session id: a database copy does not hold usable ids."""
    return hashlib.sha256(sid.encode()).hexdigest()[:32]


class SessionRecord(Persistent):
    """One logged-in browser: who, since when, last seen when and from where."""

    def __init__(self, key, login, token, now, address="", agent=""):
        self.key = key
        self.login = login
        self.token = token
        self.created = now
        self.last_seen = now
        self.address = address
        self.agent = agent

    def _p_resolveConflict(self, old, committed, new):
        """Two requests refreshed ``last_seen`` at once: keep the later one."""
        others = (set(old) | set(committed) | set(new)) - {"last_seen"}
        if any(not old.get(n) == committed.get(n) == new.get(n) for n in others):
            raise ConflictError("session record changed beyond last_seen")
        merged = dict(new)
        merged["last_seen"] = max(committed["last_seen"], new["last_seen"])
        return merged


class Lifetimes:
    """Idle and absolute lifetimes from the settings (seconds)."""

    def __init__(self, settings):
        self.idle = timedelta(seconds=int(settings.get("portal.session_timeout", DEFAULT_IDLE)))
        self.max_age = timedelta(
            seconds=int(settings.get("portal.session_max_age", DEFAULT_MAX_AGE)))
        self.refresh = min(timedelta(seconds=MAX_REFRESH), self.idle / 4)

    def alive(self, record, now):
        return now - record.created < self.max_age and now - record.last_seen < self.idle


class SessionStore(Persistent):
    """All live login sessions, keyed ``(login, hash of the id)``: a user's sessions sit together."""

    def __init__(self):
        self.records = OOBTree()

    def create(self, login, token, now, address="", agent=""):
        """A new session; returns the id for the cookie (never stored as such)."""
        sid = secrets.token_urlsafe(32)
        key = session_key(sid)
        self.records[(login, key)] = SessionRecord(key, login, token, now, address, agent)
        return sid

    def get(self, login, sid):
        return self.records.get((login, session_key(sid)))

    def revoke_key(self, login, key):
        return self.records.pop((login, key), None)

    def revoke(self, login, sid):
        return self.revoke_key(login, session_key(sid))

    def for_user(self, login):
        return list(self.records.values(min=(login, ""), max=(login, LAST)))

    def revoke_user(self, login):
        """End every session of ``login``; how many were ended."""
        records = self.for_user(login)
        for record in records:
            self.revoke_key(login, record.key)
        return len(records)

    def purge_user(self, login, lifetimes, now):
        """Drop the user's expired records (done on login, a write anyway)."""
        for record in self.for_user(login):
            if not lifetimes.alive(record, now):
                self.revoke_key(login, record.key)

    def purge(self, lifetimes, now):
        """Drop every expired record; how many (for a periodic job)."""
        expired = [k for k, r in self.records.items() if not lifetimes.alive(r, now)]
        for key in expired:
            del self.records[key]
        return len(expired)


def get_store(request):
    return get_connection(request).root().get(SESSIONS_KEY)


def now(registry):
    """The security clock: tests set ``registry.security_clock`` to move time."""
    clock = getattr(registry, "security_clock", None) or utcnow
    value = clock()
    return aware(value)


def lifetimes(registry):
    cached = getattr(registry, "session_lifetimes", None)
    if cached is None:
        cached = registry.session_lifetimes = Lifetimes(registry.settings)
    return cached


def valid_record(request, login, sid, user):
    """The record behind the cookie if it is alive and still the user's; refreshes it rarely."""
    store = get_store(request)
    if store is None or not isinstance(sid, str):
        return None
    record = store.get(login, sid)
    if record is None or record.token != user.auth_token:
        return None
    moment, limits = now(request.registry), lifetimes(request.registry)
    if not limits.alive(record, moment):
        return None
    if moment - record.last_seen >= limits.refresh:
        record.last_seen = moment  # the only write a GET makes, once a minute at most
    return record
