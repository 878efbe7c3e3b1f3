"""The family confirms a monthly attestation: in its personal area, or with the PDF it signed."""
import html
import io
import re

import pytest
import webtest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from portal import main
from tests.conftest import csrf_token, login
from tests.functional.applications.conftest import applications_settings
from tests.functional.payments.family_fixtures import (
    active_application,
    add_attestation,
    at,
    client,
    post,
    run_in_app,
)
from tests.unit.portal.documents.pki import P12_PASSWORD, build_pki

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]


def stored(app, url):
    """(state, family_confirmation, signed upload sha) of the attestation at ``url``."""
    def work(portal):
        obj = at(portal, url)
        upload = getattr(obj, "signed_upload", None)
        return obj.state, obj.family_confirmation, getattr(upload, "sha256", None)
    return run_in_app(app, work)


def text_of(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


def test_family_sees_and_confirms_the_month_in_its_personal_area(attested):
    app, _url, attestation = attested
    citizen = client(app, "cittadino")
    area = text_of(citizen.get("/@@area-personale"))
    assert "Attestazioni da confermare: 1" in area
    listing = text_of(citizen.get("/@@attestazioni-da-confermare"))
    month = attestation.rsplit("/", 1)[1]
    assert month in listing
    assert "Controlla e conferma" in listing
    facts = run_in_app(app, lambda p: (at(p, attestation).family_share,
                                       at(p, attestation).voucher_share))
    from content_types.values import euro  # noqa: PLC0415
    page = text_of(citizen.get(attestation + "/@@conferma"))
    for shown in ("Giorni di apertura 22", "Giorni di presenza 19", "Assenze 3",
                  f"Quota a carico della famiglia {euro(facts[0])}",
                  f"Quota del buono {euro(facts[1])}", "Conferma l'attestazione"):
        assert shown in page
    post(citizen, attestation + "/@@conferma")
    state, confirmation, _sha = stored(app, attestation)
    assert state == "signed"
    assert confirmation["method"] == "area_personale"
    assert confirmation["who"] == "cittadino"
    assert confirmation["when"].tzinfo is not None
    assert "Attestazioni da confermare: 1" not in text_of(citizen.get("/@@area-personale"))
    # confirmed once: a second confirmation is refused by the workflow, nothing changes
    again = post(citizen, attestation + "/@@conferma", status=403)
    assert stored(app, attestation)[1] == confirmation
    assert again.status_int == 403


@pytest.mark.parametrize("who", ["caf", "girasole", "rup-ba01"])
def test_someone_else_cannot_confirm_the_familys_attestation(attested, who):
    app, _url, attestation = attested
    other = client(app, who)
    refused = post(other, attestation + "/@@conferma", status=403)
    assert "Accesso non consentito" in refused.text
    assert "Non hai i permessi per questa pagina." in text_of(refused)
    assert stored(app, attestation) == ("draft", None, None)
    assert "Attestazioni da confermare" not in text_of(other.get("/@@area-personale"))


def test_the_author_of_the_draft_cannot_confirm_it(applications_app, codes):
    """The drafting operator holds no family role; a draft by the family's login is refused."""
    url = active_application(applications_app, codes)
    attestation = add_attestation(applications_app, url, who="cittadino")
    refused = post(client(applications_app, "cittadino"), attestation + "/@@conferma",
                   status=422)
    assert ("L'attestazione deve essere confermata dalla famiglia, non da chi l'ha redatta."
            in text_of(refused))
    assert stored(applications_app, attestation) == ("draft", None, None)


# -- the signed PDF ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The project's test PKI (certomancer), not served: signatures are checked offline."""
    built = build_pki(str(tmp_path_factory.mktemp("pki")), serve=False)
    yield built
    built.stop()


@pytest.fixture
def signing_app(applications_dir, smtp_server, pki):
    """The portal trusting its own dev signer and the test PKI's root (the families' CA)."""
    settings = applications_settings(applications_dir, smtp_server[0].port)
    settings["documents.trust_roots"] += " " + pki.root_pem
    app = main({}, **settings)
    yield app
    app.registry._zodb_databases[""].close()


def sign(pdf, p12):
    signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=P12_PASSWORD)
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                     signers.PdfSignatureMetadata(field_name="FirmaFamiglia"),
                     signer=signer, output=out)
    return out.getvalue()


def upload(test_client, url, data, status=303):
    return test_client.post(url + "/@@carica-firmata", {"csrf_token": csrf_token(test_client)},
                            upload_files=[("file", "attestazione-firmata.pdf", data)],
                            status=status)


def test_family_uploads_the_attestation_pdf_it_signed(signing_app, codes, pki):
    url = active_application(signing_app, codes)
    attestation = add_attestation(signing_app, url)
    citizen = login(webtest.TestApp(signing_app), "cittadino")
    pdf = citizen.get(attestation + "/@@pdf")
    assert pdf.content_type == "application/pdf"
    assert pdf.body.startswith(b"%PDF")
    signed = sign(pdf.body, pki.p12["office"])
    done = upload(citizen, attestation, signed).follow()
    assert "confermata" in text_of(done)
    state, confirmation, sha = stored(signing_app, attestation)
    assert state == "signed"
    assert confirmation["method"] == "pdf_firmato"
    assert confirmation["who"] == "cittadino"
    assert confirmation["valid"] is True
    assert confirmation["signer_name"] == "Ambito BA-01 (TEST)"
    assert confirmation["document_uid"] == sha[:16]
    assert "Documento integro" in confirmation["verdict"]


def test_unsigned_untrusted_or_another_attestations_pdf_is_refused(signing_app, codes, pki):
    url = active_application(signing_app, codes)
    attestation = add_attestation(signing_app, url)
    citizen = login(webtest.TestApp(signing_app), "cittadino")
    pdf = citizen.get(attestation + "/@@pdf").body
    refused = upload(citizen, attestation, pdf, status=422)
    assert "Il PDF caricato non è firmato digitalmente" in text_of(refused)
    refused = upload(citizen, attestation, sign(pdf, pki.p12["rogue"]), status=422)
    assert "La firma del PDF caricato non è valida" in text_of(refused)
    refused = upload(citizen, attestation, b"not a pdf at all", status=422)
    assert "Il file caricato non è stato accettato" in text_of(refused)
    # a validly signed PDF of another attestation (another application's month)
    def other(portal):
        obj = at(portal, attestation)
        original = obj.uid
        obj.uid = "0" * len(original)  # the same month under another identity
        return original
    original = run_in_app(signing_app, other)
    foreign = sign(citizen.get(attestation + "/@@pdf").body, pki.p12["office"])
    run_in_app(signing_app, lambda p: setattr(at(p, attestation), "uid", original))
    refused = upload(citizen, attestation, foreign, status=422)
    assert "Il PDF caricato non è quello di questa attestazione" in text_of(refused)
    assert stored(signing_app, attestation) == ("draft", None, None)
    # someone else's family: no permission at all
    assert upload(client(signing_app, "caf"), attestation,
                  sign(pdf, pki.p12["office"]), status=403)
    assert stored(signing_app, attestation) == ("draft", None, None)
