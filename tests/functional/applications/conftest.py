"""Fixtures for applications: the real app with the catalogue, the applications and their demo.

The demo (catalogue + call + ISEE rows + three matched applications) is built once
per run on a copy of the session's demo database; each test gets its own copy.
"""
import json
import re
import shutil
from datetime import UTC, datetime

import pytest
import webtest
from aiosmtpd.controller import Controller
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

from content_types.application import Application
from content_types.values import rome_today
from portal import main
from portal.applications.rules.isee import make_attestation
from portal.applications.rules.protocol import format_protocol
from portal.demo.applications import (
    CALL_CODE,
    ENTRY_PATH,
    ROME,
    add_applications_demo,
    dsu_date,
    fiscal_code,
    months_before,
    people,
)
from portal.demo.providers import add_catalogue_demo
from portal.documents.devcert import ensure_dev_signer
from tests.conftest import PROPOSALS_JOB, csrf_token, drain_jobs, login, make_settings
from tests.smtp import Inbox, free_port

CALL = "/ambiti/ba-01/domande/buoni-minori-2026"



@pytest.fixture(scope="session")
def smtp_server():
    """Use when the app under test must send mail: a real loopback SMTP server for the run."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def inbox(smtp_server):
    """Use to read the mail a test caused: the loopback SMTP inbox, emptied for this test."""
    smtp_server[1].messages.clear()
    return smtp_server[1]


def applications_settings(directory, smtp_port=None):
    """Settings of an applications test app: mail to the test SMTP server on ``smtp_port``."""
    settings = make_settings(directory)
    settings["mail.host"] = "127.0.0.1"
    settings["mail.port"] = str(smtp_port or free_port())
    settings["mail.sender"] = "portale@example.it"
    settings["mail.timeout"] = "5"
    return settings


def run_in_app(app, work):
    """Run ``work(portal_root)`` in a transaction of ``app`` (test set-up, as a script would)."""
    env = prepare(registry=app.registry)
    try:
        request = env["request"]
        with request.tm:
            return work(get_connection(request).root()["portal"])
    finally:
        env["closer"]()


def next_protocol(portal, district):
    """The number the ATS's register gives next this year (the demo takes some before the tests)."""
    year = rome_today().year
    counters = portal["ambiti"][district]["domande"].protocol_counters
    return format_protocol(year, counters.last(year) + 1)


@pytest.fixture(scope="session")
def applications_database(demo_database, tmp_path_factory):
    """Use only to copy from (``applications_dir`` does): demo + catalogue + applications, built once."""
    directory = tmp_path_factory.mktemp("applications-db")
    shutil.copytree(demo_database, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    app = main({}, **applications_settings(directory))
    ensure_dev_signer(app.registry.settings)  # what portal-init does for a new install

    def demo(portal):
        add_catalogue_demo(portal, app.registry)
        add_applications_demo(portal, app.registry)
    run_in_app(app, demo)
    drain_jobs(app, PROPOSALS_JOB)  # the calls published ask for the «proposte»
    app.registry._zodb_databases[""].close()
    return directory


@pytest.fixture
def applications_dir(applications_database, tmp_path):
    """Use when a test builds its own app or server over the applications demo (its own copy)."""
    target = tmp_path / "db"
    shutil.copytree(applications_database, target,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    return target


@pytest.fixture
def applications_app(applications_dir, smtp_server):
    """Use for application tests through WebTest: the portal with the applications and their demo."""
    app = main({}, **applications_settings(applications_dir, smtp_server[0].port))
    yield app
    app.registry._zodb_databases[""].close()


@pytest.fixture
def codes():
    """Use for the demo's synthetic tax codes by role in the story (see portal.demo.applications)."""
    return people()


def client(app, who=None):
    test_client = webtest.TestApp(app)
    return login(test_client, who) if who else test_client


def api(test_client, method, path, body=None, status=None):
    token = csrf_token(test_client)
    return test_client.request(
        path, method=method, body=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": token},
        status=status)  # webtest checks status only without expect_errors


def post(test_client, path, params=None, status=303, **kw):
    """A form POST with the session's CSRF token."""
    token = csrf_token(test_client)
    return test_client.post(path, {**(params or {}), "csrf_token": token}, status=status, **kw)


def version_of(page):
    match = re.search(r'name="_version"[^>]*value="([^"]*)"', page.text)
    return match.group(1) if match else ""


def new_draft(citizen, folder=CALL, **params):
    """Create a draft through the call page; returns the application's URL."""
    response = post(citizen, folder + "/@@nuova-domanda", params)
    return response.headers["Location"].split("/@@")[0].replace("http://localhost", "")


def fill_people(citizen, url, beneficiary, status=303, **changes):
    page = citizen.get(url + "/@@compila?passo=persone")
    form = page.forms["form-portale"]
    values = {"applicant_name": "Marco Conte", "applicant_fiscal_code": "CNTMRC85P09E506E",
              "email": "cittadino@example.it", "household_code": "FAM-CONTE",
              "beneficiary_name": "Luca Conte", "beneficiary_fiscal_code": beneficiary,
              "residence_municipality": "072006", "residence_region": "16"}
    values.update(changes)
    for key, value in values.items():
        form[key] = value
    return form.submit("salva", status=status)


def fill_service(citizen, url, entry="/catalogo/girasole/nido-girasole/nido-tempo-pieno",
                 status=303, months="10", full_time=True):
    page = citizen.get(url + "/@@compila?passo=servizio")
    form = page.forms["form-portale"]
    form["catalogue_entry_path"].force_value(entry)
    form["months"] = months
    form["full_time"] = full_time
    return form.submit("salva", status=status)


def fill_priorities(citizen, url, status=303, **flags):
    page = citizen.get(url + "/@@compila?passo=priorita")
    form = page.forms["form-portale"]
    for key, value in flags.items():
        form[key] = value
    return form.submit("salva", status=status)


def complete_draft(citizen, beneficiary, folder=CALL, **kw):
    url = new_draft(citizen, folder)
    fill_people(citizen, url, beneficiary)
    fill_service(citizen, url, **kw)
    fill_priorities(citizen, url)
    return url


def submit(citizen, url, status=303):
    page = citizen.get(url + "/@@riepilogo")
    return post(citizen, url + "/@@invia", {"_version": version_of(page)}, status=status)


def add_drafts(portal, registry, count, owner="cittadino", surname="BNC"):
    """``count`` complete drafts of distinct children (ISEE on file), owned by ``owner``.

    For concurrency tests and the benchmark: the drafts are ready to submit;
    returns [(url, version token)].
    """

    today = datetime.now(UTC).astimezone(ROME).date()
    domande = portal["ambiti"]["ba-01"]["domande"]
    folder = domande[CALL_CODE]
    made = []
    for index in range(count):
        name = "".join(chr(65 + (index // 26 ** k) % 26) for k in (2, 1, 0))
        code = fiscal_code(surname, name, months_before(today, 12 + index % 12))
        if not domande.isee_registry.attestations(code):
            domande.isee_registry.add(make_attestation(
                code, f"INPS-ISEE-{today.year}-{index:08d}Z-00", "minorenni",
                f"{1000 + 37 * index}.00", dsu_date(today)))
        draft = Application(title="Domanda in bozza", creator=owner)
        key = f"bozza-{surname.lower()}-{index:05d}"
        folder.add(key, draft, registry=registry)
        draft.assign_parties(owner)
        draft.set_data({
            "applicant_name": "Marco Conte", "applicant_fiscal_code": "CNTMRC85P09E506E",
            "email": f"{owner}@example.it", "household_code": f"FAM-{index:05d}",
            "beneficiary_name": f"Bambino {index}", "beneficiary_fiscal_code": code,
            "residence_municipality": "072006", "residence_region": "16",
            "catalogue_entry_path": ENTRY_PATH, "full_time": True, "months": 10,
        })
        made.append((f"{CALL}/{key}", draft.version_token()))
    return made
