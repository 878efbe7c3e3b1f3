"""Verification page and API in a minimal Pyramid app (the lead reruns them in the real one)."""
import json
import os
from types import SimpleNamespace

import pytest
import webtest
from pyramid.config import Configurator
from pyramid.csrf import CookieCSRFStoragePolicy, get_csrf_token
from pyramid.events import BeforeRender
from pyramid.renderers import get_renderer

from portal.documents import get_service, layouts
from portal.documents.registry import DocumentRegistry
from tests.unit.portal.documents import badpdfs, tampered
from tests.unit.portal.documents.pki import P12_PASSWORD, build_pki

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]
HERE = os.path.dirname(__file__)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    pki = build_pki(str(tmp_path_factory.mktemp("pki")))
    yield pki
    pki.stop()


@pytest.fixture(scope="module")
def site(pki):
    registry = DocumentRegistry()
    root = {"documenti": registry}
    settings = {
        "documents.signer": "pkcs12", "documents.pkcs12_file": pki.p12["office"],
        "documents.pkcs12_password_file": "", "documents.pkcs12_password_env": "TEST_P12",
        "documents.trust_roots": pki.root_pem, "documents.max_upload_bytes": "2000000",
        "documents.verify_base_url": "http://localhost/verifica",
    }
    os.environ["TEST_P12"] = P12_PASSWORD.decode()
    with Configurator(settings=settings, root_factory=lambda request: root) as config:
        config.include("pyramid_chameleon")
        config.set_csrf_storage_policy(CookieCSRFStoragePolicy())
        config.set_default_csrf_options(require_csrf=True)
        config.include("portal.documents")
        config.include("portal.web.documents")
        config.include("portal.web.errors")  # the portal's one error mapper answers errors
        config.include("portal.web.request_body")  # as portal.web: uploads' copies are closed

        def add_layout(event):
            request = event["request"]
            macro = get_renderer(os.path.join(HERE, "layout.pt")).implementation()
            event["layout"] = SimpleNamespace(
                macro=macro.macros["layout"], csrf_token=get_csrf_token(request),
                page_title=(event.rendering_val or {}).get("page_title", ""))
        config.add_subscriber(add_layout, BeforeRender)
        app = config.make_wsgi_app()
    service = get_service(config.registry)  # the IDocumentService utility
    return SimpleNamespace(app=webtest.TestApp(app), registry=registry, service=service)


@pytest.fixture(scope="module")
def issued(site):
    return site.service.issue(
        site.registry, layouts.payment_act, {"act_number": "LIQ-1", "rows": []},
        kind="liquidazione", title="Atto di liquidazione n. 1", protocol="2025/0000009",
        object_uid="act-1")


def test_form_is_public(site):
    page = site.app.get("/verifica")
    assert "Verifica di un documento firmato" in page.text
    assert page.forms[0].method.lower() == "post"


def test_upload_issued_document_shows_valid_verdict(site, issued):
    form = site.app.get("/verifica").forms[0]
    form["file"] = webtest.Upload("atto.pdf", issued.read(), "application/pdf")
    page = form.submit()
    assert page.status_int == 200
    assert "Documento integro" in page.text
    assert "Atto di liquidazione n. 1" in page.text
    assert issued.sha256 in page.text


def test_upload_without_csrf_token_is_refused(site, issued):
    site.app.post("/verifica", upload_files=[("file", "a.pdf", issued.read())], status=400)


def test_upload_not_a_pdf_shows_refusal(site):
    form = site.app.get("/verifica").forms[0]
    form["file"] = webtest.Upload("finto.pdf", b"ciao, non sono un pdf", "application/pdf")
    page = form.submit()
    assert "non è un PDF" in page.text


def test_record_page_by_id_and_hash(site, issued):
    page = site.app.get(f"/verifica/{issued.doc_id}")
    assert "Atto di liquidazione n. 1" in page.text
    assert "2025/0000009" in page.text
    assert issued.sha256 in site.app.get(f"/verifica/{issued.sha256}").text
    missing = site.app.get("/verifica/0000", status=404)
    assert "Nessun documento" in missing.text


def test_api_verify_json(site, issued):
    res = site.app.post("/api/verify", upload_files=[("file", "atto.pdf", issued.read())])
    body = res.json
    assert body["status"] == "valid"
    assert body["valid"] is True
    assert body["issued"]["doc_id"] == issued.doc_id
    assert body["signatures"][0]["signer_name"] == "Ambito BA-01 (TEST)"
    raw = site.app.post("/api/verify", params=issued.read(),
                        content_type="application/pdf")
    assert raw.json["status"] == "valid"


def test_api_verify_tampered_and_bad_inputs(site, issued):
    data = bytearray(issued.read())
    data[data.index(b"Atto di liquidazione")] = ord("X")
    body = site.app.post("/api/verify", params=bytes(data),
                         content_type="application/pdf").json
    assert body["status"] == "invalid"
    assert "modificato" in body["verdict"]
    js = site.app.post("/api/verify", params=badpdfs.launch_action_pdf(),
                       content_type="application/pdf").json
    assert js["status"] == "refused"
    assert js["refusal_code"] == "active_content"


def test_api_errors_have_the_shape(site):
    res = site.app.post("/api/verify", params={"x": "1"}, status=400)
    assert res.json["error"]["code"] == "empty_upload"
    big = site.app.post("/api/verify", params=b"%PDF-" + b"0" * 2_200_000,
                        content_type="application/pdf", status=413)
    assert big.json["error"]["code"] == "file_too_large"
    assert json.dumps(big.json)  # plain JSON


@pytest.mark.parametrize("name", tampered.NAMES)
def test_page_and_api_never_call_a_tampered_file_integro(site, issued, name):
    data = tampered.variants(issued.read())[name]
    body = site.app.post("/api/verify", params=data, content_type="application/pdf").json
    assert body["valid"] is False, body["verdict"]
    assert body["status"] != "valid", body["verdict"]
    assert "Documento integro" not in body["verdict"]
    form = site.app.get("/verifica").forms[0]
    form["file"] = webtest.Upload(f"{name}.pdf", data, "application/pdf")
    page = form.submit()
    verdict = page.html.find(id="verdetto").get_text()
    assert "Documento integro" not in verdict
    assert verdict == body["verdict"]
    assert "alert-success" not in page.text
    if name in tampered.ADDITIONS:
        addition = tampered.ADDITIONS[name]
        assert any(addition in p for p in body["signatures"][0]["additions"])
        listed = [li.get_text() for li in page.html.select("ul.aggiunte li")]
        assert any(addition in text for text in listed), listed
        cells = [td.get_text() for td in page.html.select("table td")]
        assert "modificato" in cells
