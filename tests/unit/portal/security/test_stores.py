"""Session and throttle stores on their own: lifetimes, purges, the evolve step that creates them."""
from datetime import UTC, datetime, timedelta

from pyramid.registry import Registry
from pyramid.request import Request

from content_types.users import User, UserFolder
from portal.evolve import step0005_sessions_and_login_throttle as step
from portal.security.client import agent_summary, client_address
from portal.security.sessions import Lifetimes, SessionStore
from portal.security.throttle import Policy, ThrottleStore, key_for

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LIMITS = Lifetimes({"portal.session_timeout": "600", "portal.session_max_age": "3600"})


def test_lifetimes_idle_absolute_and_refresh():
    store = SessionStore()
    record = store.get("anna", store.create("anna", "t", NOW))
    assert LIMITS.alive(record, NOW + timedelta(seconds=599))
    assert not LIMITS.alive(record, NOW + timedelta(seconds=600))
    record.last_seen = NOW + timedelta(seconds=3500)
    assert LIMITS.alive(record, NOW + timedelta(seconds=3599))
    assert not LIMITS.alive(record, NOW + timedelta(seconds=3600))
    assert LIMITS.refresh == timedelta(seconds=60)
    assert Lifetimes({"portal.session_timeout": "120"}).refresh == timedelta(seconds=30)


def test_purges_drop_only_what_is_over():
    store = SessionStore()
    old = store.create("anna", "t", NOW - timedelta(hours=2))
    fresh = store.create("anna", "t", NOW)
    other = store.create("bruno", "t", NOW - timedelta(hours=2))
    store.purge_user("anna", LIMITS, NOW)
    assert store.get("anna", old) is None
    assert store.get("anna", fresh) is not None
    assert store.get("bruno", other) is not None
    assert store.purge(LIMITS, NOW) == 1
    assert store.get("bruno", other) is None
    assert store.get("anna", other) is None  # an id is only good with its own login
    assert [r.login for r in store.for_user("anna")] == ["anna"]
    counters, policy = ThrottleStore(), Policy()
    counters.failed([("login", key_for("login", "x"))], policy, NOW - timedelta(days=2))
    counters.failed([("login", key_for("login", "y"))], policy, NOW)
    assert counters.purge(policy, NOW) == 1
    assert len(counters.records) == 1


def test_the_delay_doubles_from_the_free_attempts_up_to_the_cap():
    policy = Policy(free_login=5, cap=900)
    assert [policy.delay("login", n) for n in range(4, 14)] == [
        0, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    assert policy.delay("login", 15) == 900
    assert policy.delay("login", 10 ** 6) == 900


def test_evolve_creates_the_stores_and_drops_the_lockout_state():
    users = UserFolder()
    user = User(title="Anna")
    user.failed_logins, user.locked_until = 4, NOW
    users.add("anna", user, send_events=False)
    root = {}
    step.evolve(root, {"utenti": users})
    assert isinstance(root["sessions"], SessionStore)
    assert isinstance(root["login_throttle"], ThrottleStore)
    assert "failed_logins" not in user.__dict__
    assert "locked_until" not in user.__dict__


def test_agent_summary_names_browser_and_system():
    assert agent_summary("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                         "(KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0") == "Edge / Windows"
    assert agent_summary("curl/8.5.0") == "curl"
    assert agent_summary("") == ""


def test_the_client_address_believes_forwarded_for_only_from_the_trusted_proxy():


    def address(remote, forwarded, trusted=""):
        request = Request.blank("/", environ={"REMOTE_ADDR": remote},
                                headers={"X-Forwarded-For": forwarded} if forwarded else {})
        request.registry = Registry()
        request.registry.settings = {"portal.trusted_proxy": trusted}
        return client_address(request)

    assert address("203.0.113.5", "10.9.9.9") == "203.0.113.5"
    assert address("127.0.0.1", "10.9.9.9, 198.51.100.4", "127.0.0.1 ::1") == "198.51.100.4"
    assert address("127.0.0.1", "", "127.0.0.1") == "127.0.0.1"
