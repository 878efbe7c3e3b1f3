"""Uploads are streamed: an oversized body is refused with an Italian message, memory stays flat.

The bodies are generated while the application reads them (``streamed.py``), so
a 150 MB upload costs the test nothing; ``tracemalloc`` measures what the
application allocates while it answers, and nothing may be stored.
"""
import http.client
import json
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
import tracemalloc
import urllib.parse
from datetime import UTC, datetime

import pytest
import webtest

from portal import main
from portal.demo import demo_password
from portal.demo.applications import ROME, dsu_date, fiscal_code, months_before
from tests.conftest import form_token
from tests.functional.applications.conftest import (
    add_drafts,
    applications_settings,
    client,
    csrf_token,
    free_port,
    new_draft,
    run_in_app,
    version_of,
)
from tests.functional.applications.streamed import StreamedUpload

MB = 1024 * 1024
LIMIT = 20 * MB  # documents.max_upload_bytes (the default)
#: what answering may allocate: far below the 20 MB a whole-file read costs
FLAT = 8 * MB
MANUAL = "/ambiti/ba-01/domande/@@isee-manuale"
#: waitress's cap in the served test configuration (portal.max_request_body_size)
SERVER_CAP = 200 * MB


def send(test_client, url, body, status):
    """POST the streamed ``body`` through the real app; returns (response, peak bytes)."""
    request = webtest.TestRequest.blank(url, method="POST")
    request.environ.update({"wsgi.input": body, "CONTENT_LENGTH": str(body.length),
                            "CONTENT_TYPE": body.content_type})
    tracemalloc.start()
    try:
        response = test_client.do_request(request, status=status)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        copy = request.environ.get("wsgi.input")
        copy = getattr(copy, "input", copy)  # under webtest's lint wrapper
        if copy is not body:
            copy.close()  # WebOb's seekable copy of the body (made for replays)
    return response, peak


def text(response):
    return " ".join(response.text.split())


def application_files(app, url):
    """The draft's attachments and stored uploads (what a refusal must leave alone)."""
    def read(portal):
        obj = portal
        for part in url.strip("/").split("/"):
            obj = obj[part]
        return tuple(obj.attachments), tuple((obj.uploads or {}).keys())
    return run_in_app(app, read)


def blob_count(directory):
    return sum(1 for path in (directory / "blobs").rglob("*.blob"))


def draft_form(citizen):
    url = new_draft(citizen)
    version = version_of(citizen.get(url + "/@@allegati"))
    return url, {"csrf_token": csrf_token(citizen), "_version": version, "kind": "altro"}


def test_150_mb_attachment_is_refused_unread(applications_app, applications_dir):
    citizen = client(applications_app, "cittadino")
    url, fields = draft_form(citizen)
    before, blobs = application_files(applications_app, url), blob_count(applications_dir)
    body = StreamedUpload(fields, 150 * MB)
    response, peak = send(citizen, url + "/@@allegati", body, status=413)
    assert "La richiesta supera la dimensione massima consentita di 20 MB" in text(response)
    # the portal's own page, in Italian: no English frame around the message
    assert "Richiesta troppo grande" in text(response)
    assert "Request Entity Too Large" not in text(response)
    assert peak < FLAT, f"answering allocated {peak / MB:.1f} MB"
    assert body.position == 0, "refused on its Content-Length: not a byte read or copied"
    assert application_files(applications_app, url) == before
    assert blob_count(applications_dir) == blobs


def test_attachment_just_over_the_limit_is_refused_while_reading(applications_app,
                                                                 applications_dir):
    citizen = client(applications_app, "cittadino")
    url, fields = draft_form(citizen)
    before, blobs = application_files(applications_app, url), blob_count(applications_dir)
    # within the request cap (one file + 1 MB of form), so the file itself is read and measured
    body = StreamedUpload(fields, LIMIT + 256 * 1024)
    response, peak = send(citizen, url + "/@@allegati", body, status=413)
    assert "Il file supera la dimensione massima consentita di 20 MB." in text(response)
    assert peak < FLAT, f"answering allocated {peak / MB:.1f} MB"
    assert application_files(applications_app, url) == before
    assert blob_count(applications_dir) == blobs


def test_manual_isee_attestation_over_the_limit_is_refused_while_reading(applications_app,
                                                                         applications_dir):
    officer = client(applications_app, "rup-ba01")
    today = datetime.now(UTC).astimezone(ROME).date()
    code = fiscal_code("VRD", "GLI", months_before(today, 14))
    fields = {"csrf_token": csrf_token(officer), "codice_fiscale": code,
              "protocollo_dsu": f"INPS-ISEE-{today.year}-00000042B-00", "tipo_isee": "minorenni",
              "valore_isee": "7300,00", "data_dsu": dsu_date(today).isoformat()}
    blobs = blob_count(applications_dir)
    body = StreamedUpload(fields, LIMIT + 256 * 1024)
    response, peak = send(officer, MANUAL, body, status=400)
    assert "Il file supera la dimensione massima consentita di 20 MB." in text(response)
    assert peak < FLAT, f"answering allocated {peak / MB:.1f} MB"
    stored = run_in_app(applications_app, lambda portal: portal["ambiti"]["ba-01"]["domande"]
                        .isee_registry.attestations(code))
    assert stored == ()
    assert blob_count(applications_dir) == blobs


# --- the same through a real waitress server (portal-serve) -------------------------------

class Browser:
    """A tiny HTTP client with a cookie jar, enough to log in and upload."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, StreamedUpload):
            conn.putrequest(method, path)
            for key, value in {**headers, "Content-Type": body.content_type,
                               "Content-Length": str(body.length)}.items():
                conn.putheader(key, value)
            conn.endheaders()
            for chunk in body.chunks():
                conn.send(chunk)
        else:
            conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data.decode("utf-8", "replace")

    def login(self, username):
        _, page = self.request("GET", "/@@accedi")
        form = urllib.parse.urlencode({"login": username, "password": demo_password(username),
                                       "came_from": "", "csrf_token": form_token(page),
                                       "accedi": "accedi"})
        status, _ = self.request("POST", "/@@accedi", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303
        return json.loads(self.request("GET", "/api/sessione")[1])["csrf_token"]


def peak_rss(pid):
    """The process's peak resident memory (VmHWM), in bytes."""
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024


def wait_for(port, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "portal-serve stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("portal-serve did not start")


@pytest.fixture
def served(applications_dir, smtp_server):
    """portal-serve over the test's database, with one draft of the citizen's ready."""
    settings = applications_settings(applications_dir, smtp_server[0].port)
    app = main({}, **settings)
    ((url, version),) = run_in_app(app, lambda portal: add_drafts(portal, app.registry, 1))
    app.registry._zodb_databases[""].close()
    port = free_port()
    settings.update({"portal.port": str(port), "portal.lapse_interval_minutes": "0",
                     "portal.max_request_body_size": str(SERVER_CAP)})
    ini = applications_dir / "serve.ini"
    ini.write_text("[app:main]\nuse = egg:portale-sociale\n"
                   + "".join(f"{key} = {value}\n" for key, value in settings.items()))
    command = shutil.which("portal-serve", path=str(pathlib.Path(sys.executable).parent))
    server = subprocess.Popen([command, str(ini)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)

    def stop():
        if server.poll() is None:
            server.terminate()
            server.wait(30)
            server.stdout.close()
    try:
        wait_for(port, server)
        yield {"port": port, "pid": server.pid, "url": url, "version": version,
               "settings": settings, "stop": stop}
    finally:
        stop()


def test_real_server_refuses_150_mb_in_italian_with_flat_memory(served, applications_dir):
    browser = Browser(served["port"])
    token = browser.login("cittadino")
    fields = {"csrf_token": token, "_version": served["version"], "kind": "altro"}
    path = served["url"] + "/@@allegati"
    # warm up the same code paths with a small refused upload
    status, page = browser.request("POST", path, StreamedUpload(fields, 64 * 1024))
    assert status == 400
    assert "non è stato accettato" in page
    blobs = blob_count(applications_dir)
    before = peak_rss(served["pid"])
    status, page = browser.request("POST", path, StreamedUpload(fields, 150 * MB))
    grown = peak_rss(served["pid"]) - before
    assert status == 413
    assert "La richiesta supera la dimensione massima consentita di 20 MB" in page
    assert grown < 32 * MB, f"the server grew by {grown / MB:.0f} MB for a refused upload"
    # waitress's own cap (portal.max_request_body_size): refused before the body is sent
    conn = http.client.HTTPConnection("127.0.0.1", served["port"], timeout=20)
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", "application/pdf")
    conn.putheader("Content-Length", str(SERVER_CAP + 1))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()
    served["stop"]()  # FileStorage: one process at a time
    app = main({}, **served["settings"])
    try:
        assert application_files(app, served["url"]) == ((), ())
    finally:
        app.registry._zodb_databases[""].close()
    assert blob_count(applications_dir) == blobs
