"""Growing delays after failed logins, per login string and per client address (ASVS V2.2).

No hard lockout: once a key has ``free`` failures, each further attempt waits
``base · 2^(failures - free)`` seconds (capped) from the last failure; an attempt inside that window
is refused without looking at the password, and the refusal writes nothing. Keys are
hashes of the login *string*, so unknown logins behave exactly like known ones.

Stored in ZODB (not in process memory) so that several processes on one database
share the counters. One small persistent record per key, in an ``OOBTree`` keyed by
the hash: concurrent failures on different keys touch different objects, and two
failures on the same key merge in ``_p_resolveConflict``.
"""
import hashlib
import math
from datetime import timedelta

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid_zodbconn import get_connection

THROTTLE_KEY = "login_throttle"


class Policy:
    """How many failures are free, how the delay grows, when failures are forgotten."""

    def __init__(self, free_login=5, free_address=20, base=2, cap=900, forget=86400):
        self.free = {"login": free_login, "address": free_address}
        self.base = base
        self.cap = cap
        self.forget = timedelta(seconds=forget)

    @classmethod
    def from_settings(cls, settings):
        return cls(
            free_login=int(settings.get("portal.login_free_attempts", 5)),
            free_address=int(settings.get("portal.login_free_attempts_address", 20)),
            cap=int(settings.get("portal.login_max_delay", 900)),
        )

    def delay(self, kind, failures):
        """Seconds to wait after the last of ``failures`` failures on a key of ``kind``."""
        extra = failures - self.free[kind]
        if extra < 0:
            return 0
        return min(self.cap, self.base * 2 ** min(extra, 32))


def key_for(kind, value):
    """The stored key: a hash, so the database holds no typed logins (often passwords)."""
    digest = hashlib.blake2b(str(value or "").encode(), digest_size=16,
                             person=b"portal-throttle").hexdigest()
    return f"{kind}:{digest}"


class Failures(Persistent):
    """Failures on one key since the last reset, and when the last one happened."""

    def __init__(self):
        self.count = 0
        self.last = None

    def _p_resolveConflict(self, old, committed, new):
        """Concurrent failures add up; a reset on one side counts only the other's failure."""
        before, mine, theirs = old.get("count", 0), committed.get("count", 0), new.get("count", 0)
        if mine >= before and theirs >= before:
            count = mine + theirs - before
        elif mine < before and theirs < before:
            count = mine + theirs
        else:
            count = min(mine, theirs) + 1
        lasts = [s["last"] for s in (committed, new) if s.get("last") is not None]
        return {"count": count, "last": max(lasts) if lasts else None}


class ThrottleStore(Persistent):
    def __init__(self):
        self.records = OOBTree()

    def _current(self, key, policy, now):
        record = self.records.get(key)
        if record is None or record.last is None or now - record.last >= policy.forget:
            return None
        return record

    def wait(self, keys, policy, now):
        """Whole seconds before an attempt on these ``(kind, key)`` pairs is allowed (0: now)."""
        longest = 0.0
        for kind, key in keys:
            record = self._current(key, policy, now)
            if record is None:
                continue
            opens = record.last + timedelta(seconds=policy.delay(kind, record.count))
            longest = max(longest, (opens - now).total_seconds())
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, keys, policy, now):
        for _kind, key in keys:
            record = self.records.get(key)
            if record is None:
                record = self.records[key] = Failures()
            if record.last is None or now - record.last >= policy.forget:
                record.count = 0
            record.count += 1
            record.last = now

    def succeeded(self, key):
        """The account's counter starts again (the address's does not: see the README)."""
        record = self.records.get(key)
        if record is not None and record.count:
            record.count = 0

    def purge(self, policy, now):
        """Drop records whose failures are forgotten; how many (for a periodic job)."""
        stale = [k for k, r in self.records.items() if r.last is None or now - r.last >= policy.forget]
        for key in stale:
            del self.records[key]
        return len(stale)


def get_store(request):
    return get_connection(request).root().get(THROTTLE_KEY)


def policy(registry):
    cached = getattr(registry, "login_throttle_policy", None)
    if cached is None:
        cached = registry.login_throttle_policy = Policy.from_settings(registry.settings)
    return cached
