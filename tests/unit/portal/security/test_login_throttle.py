"""Property test of the login throttle over a real ZODB FileStorage.

Random sequences of attempts (right or wrong password, known or unknown login,
several client addresses) and clock advances, each attempt in its own committed
transaction as in the app. A small model of the rules (counters by login string
and by address, growing delay, success resets the account) predicts every answer.
"""
from datetime import UTC, datetime, timedelta

import pytest
import transaction
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ZODB import DB
from ZODB.FileStorage import FileStorage

from content_types.users import User, UserFolder
from portal.security.login import LoginError, authenticate
from portal.security.throttle import Policy, ThrottleStore

POLICY = Policy(free_login=2, free_address=4, base=2, cap=60, forget=3600)
KNOWN = {"anna": "password-di-anna", "bruno": "password-di-bruno"}
LOGINS = [*KNOWN, "zoe", "Anna"]  # unknown ones too, one differing only by case
ADDRESSES = ["192.0.2.1", "192.0.2.2", "198.51.100.3"]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: real argon2, cheaper parameters than production so the test runs in seconds
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

attempts = st.tuples(st.just("attempt"), st.sampled_from(LOGINS), st.booleans(),
                     st.sampled_from(ADDRESSES))
advances = st.tuples(st.just("advance"), st.sampled_from([1, 2, 5, 30, 61, 300, 4000]))
scripts = st.lists(st.one_of(attempts, attempts, advances), min_size=1, max_size=24)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """One FileStorage for the module; every example starts from fresh counters."""
    directory = tmp_path_factory.mktemp("throttle")
    db = DB(FileStorage(str(directory / "Data.fs")))
    yield db
    db.close()


class Model:
    """The rules restated: what the throttle must answer, from counters kept by string."""

    def __init__(self):
        self.counters = {}

    def _live(self, key, now):
        count, last = self.counters.get(key, (0, None))
        if last is None or now - last >= timedelta(seconds=3600):
            return 0, None
        return count, last

    def wait(self, keys, now):
        longest = 0
        for kind, key in keys:
            count, last = self._live(key, now)
            free = {"login": 2, "address": 4}[kind]
            if last is None or count < free:
                continue
            delay = min(60, 2 * 2 ** (count - free))
            left = (last + timedelta(seconds=delay) - now).total_seconds()
            longest = max(longest, -(-left // 1))
        return int(longest)

    def answer(self, login, right, address, now):
        keys = [("login", ("login", login)), ("address", ("address", address))]
        wait = self.wait(keys, now)
        if wait:
            return ("refused", wait)
        if right and login in KNOWN:
            count, last = self.counters.get(("login", login), (0, None))
            self.counters[("login", login)] = (0, last)
            return ("ok", 0)
        for _kind, key in keys:
            count, _last = self._live(key, now)
            self.counters[key] = (count + 1, now)
        return ("wrong", self.wait(keys, now))


def run(db, script, users_exist=True):
    """Play ``script``; yields ``(step, expected, actual, message)`` for every attempt."""
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        with tm:
            root = conn.root()
            root["throttle"] = ThrottleStore()
            users = root["users"] = UserFolder()
            for login, password in KNOWN.items() if users_exist else ():
                user = User(title=login)
                user.password_hash = CHEAP.hash(password)
                users.add(login, user, send_events=False)
        model, now = Model(), START
        for step in script:
            if step[0] == "advance":
                now += timedelta(seconds=step[1])
                continue
            _, login, right, address = step
            password = KNOWN.get(login, "indovina") if right else "sbagliata"
            expected = model.answer(login, right, address, now)
            with tm:
                try:
                    authenticate(conn.root()["users"], login, password, conn.root()["throttle"],
                                 address, now=now, policy=POLICY)
                    actual, message = ("ok", 0), None
                except LoginError as exc:
                    kind = "refused" if "troppi tentativi" in str(exc.message) else "wrong"
                    actual, message = (kind, exc.retry_after or 0), exc.message
            yield step, expected, actual, message
    finally:
        conn.close()


HYPOTHESIS = settings(max_examples=25, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@HYPOTHESIS
@given(script=scripts)
def test_throttle_invariants_over_random_attempts(database, script):
    for step, expected, actual, message in run(database, script):
        assert actual == expected, (step, script)
        assert 0 <= actual[1] <= POLICY.cap  # never stricter than the cap
        if actual[0] == "ok":
            assert step[1] in KNOWN
            assert step[2]
        else:
            assert "bloccato" not in message.default.lower()


@settings(HYPOTHESIS, max_examples=12)  # each unknown login costs a full argon2 check
@given(script=scripts)
def test_known_and_unknown_logins_get_identical_answers(database, script):
    """Without a right password, a world where the logins exist answers exactly like one where they do not."""
    wrong = [(s[0], s[1], False, s[3]) if s[0] == "attempt" else s for s in script]
    with_users = [(a, m) for _s, _e, a, m in run(database, wrong, users_exist=True)]
    without = [(a, m) for _s, _e, a, m in run(database, wrong, users_exist=False)]
    assert with_users == without


def test_success_resets_the_account_not_the_address(database):
    script = ([("attempt", "anna", False, "192.0.2.1")] * 2
              + [("advance", 2), ("attempt", "anna", True, "192.0.2.1"),
                 ("attempt", "anna", False, "192.0.2.2"), ("attempt", "anna", False, "192.0.2.2")])
    results = [actual for _step, _expected, actual, _message in run(database, script)]
    assert results == [("wrong", 0), ("wrong", 2), ("ok", 0), ("wrong", 0), ("wrong", 2)]


def test_known_and_unknown_logins_answer_alike_step_by_step(database):
    def answers(login):
        script = [("attempt", login, False, ADDRESSES[0]), ("advance", 1)] * 6
        return [(actual, message) for _s, _e, actual, message in run(database, script)]

    assert answers("anna") == answers("zoe")
