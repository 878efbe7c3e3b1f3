"""Shared fixtures. Each says when to use it.

The functional fixtures run the real WSGI application over a real ZODB
FileStorage in a temporary directory: no mocks of ZODB or Pyramid.
"""
import atexit
import os
import re
import shutil
import tempfile
from datetime import UTC, datetime, timedelta

# Chameleon compiles a template again for every new app (each test builds its own), about a
# second per page; its documented disk cache (keyed by the template's text) compiles each once
# per run. Set before chameleon is imported; servers the tests start inherit it.
if "CHAMELEON_CACHE" not in os.environ:
    os.environ["CHAMELEON_CACHE"] = tempfile.mkdtemp(prefix="chameleon-")
    atexit.register(shutil.rmtree, os.environ["CHAMELEON_CACHE"], ignore_errors=True)

import pytest
import webtest
from hypothesis import HealthCheck, settings
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

from portal import jobs, main
from portal.demo import add_demo_data, demo_password
from portal.documents.devcert import ensure_dev_signer
from portal.register import proposals

# Property-based tests: no per-example deadline and no "too slow" health check (the
# machine is shared, the properties are about results, not speed); in CI the examples
# are derived from each test, so a run that passed passes again; a failure prints the
# blob that reproduces it (@reproduce_failure).
settings.register_profile(
    "portal", deadline=None, print_blob=True, derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("portal")

#: the demo users, one per role (see portal/demo.py)
ROLE_USERS = {
    "anonymous": None,
    "citizen": "cittadino",
    "delegate": "caf",
    "provider": "girasole",
    "ats_officer": "rup-ba01",
    "region_officer": "regione",
    "admin": "admin",
    "municipal_operator": "comune-bari",
    "social_worker": "as-bari",  # the case manager of the demo's case in care
    "other_social_worker": "as-modugno",  # outside that case's team
}


def make_settings(directory):
    return {
        "zodbconn.uri": (
            f"file://{directory}/Data.fs?blobstorage_dir={directory}/blobs"
            "&connection_cache_size=20000"
        ),
        "portal.session_secret": "test-secret-not-for-production-0123456789",
        "documents.pkcs12_file": f"{directory}/documents/dev-signer.p12",
        "documents.pkcs12_password_file": f"{directory}/documents/dev-signer.pass",
        "documents.trust_roots": f"{directory}/documents/dev-signer.pem",
        "retry.attempts": "3",
    }


PROPOSALS_JOB = proposals.KIND


def drain_jobs(app, kind):
    """Run now the waiting jobs of ``kind`` (what the first pass of ``portal-serve`` does), so
    a test starts from an empty queue of them: the demo's calls ask for the «proposte»."""
    db = app.registry._zodb_databases[""]
    waiting = jobs.read(db, lambda conn: [job._p_oid for job in jobs.get_store(conn).jobs(
        (jobs.PENDING,)) if job.kind == kind])
    for oid in waiting:
        jobs.run_job(db, app.registry, oid, force=True)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """Use only to copy from (``app_dir`` does): the demo database, built once per run; never open it."""
    directory = tmp_path_factory.mktemp("demo-db")

    ensure_dev_signer(make_settings(directory))  # as portal-init does: the demo signs receipts
    app = main({}, **make_settings(directory))


    env = prepare(registry=app.registry)
    try:
        request = env["request"]
        with request.tm:
            add_demo_data(get_connection(request).root()["portal"], app.registry)
    finally:
        env["closer"]()
    drain_jobs(app, PROPOSALS_JOB)
    app.registry._zodb_databases[""].close()
    return directory


@pytest.fixture
def app_dir(demo_database, tmp_path):
    """Use when a test builds its own app over the demo database: a private copy, free to change."""
    target = tmp_path / "db"
    shutil.copytree(demo_database, target, ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    return target


@pytest.fixture
def wsgi_app(app_dir):
    """Use when a test needs the WSGI app or its registry; the portal over the test's own demo copy."""
    app = main({}, **make_settings(app_dir))
    yield app
    app.registry._zodb_databases[""].close()


@pytest.fixture
def testapp(wsgi_app):
    """Use for page and API tests through the real app: a WebTest client, anonymous until ``login``."""
    return webtest.TestApp(wsgi_app)


def login(testapp, who):
    """Log in through the real login form; ``who`` is a role key or a login."""
    username = ROLE_USERS.get(who, who)
    if username is None:
        return testapp
    page = testapp.get("/@@accedi")
    form = page.forms["form-portale"]
    form["login"] = username
    form["password"] = demo_password(username)
    response = form.submit("accedi")
    assert response.status_int == 303, response.text[:500]
    return testapp


def csrf_token(testapp):
    """The session's CSRF token, as the API returns it."""
    return testapp.get("/api/sessione").json["csrf_token"]


def form_token(html):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else None


@pytest.fixture
def login_as(testapp):
    """Use when a test logs the client in more than once: ``login_as(role)`` goes through the form."""
    return lambda who: login(testapp, who)


class SecurityClock:
    """The clock of an app's sessions and login throttle; ``advance`` moves it, nothing sleeps."""

    def __init__(self):
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(wsgi_app):
    """Use to move time for session lifetimes and login delays: ``clock.advance(minutes=5)``."""
    wsgi_app.registry.security_clock = clock = SecurityClock()
    return clock
