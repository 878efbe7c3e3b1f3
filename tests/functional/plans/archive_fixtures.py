"""PDFs for the archive tests (reportlab, pypdf, the dev signer) and TA-01's officer.

``archive_app`` is ``plan_app`` with one more user, «rup-ta01», officer of another ATS.
"""
import io

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from content_types.events import LocalRolesChanged
from content_types.security import ATS_OFFICER, set_local_roles
from content_types.users import User
from portal import main
from portal.demo import demo_password
from portal.documents import get_service
from tests.conftest import csrf_token, make_settings
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import build_plan

OTHER_ATS_OFFICER = "rup-ta01"


def make_pdf(*lines):
    """A one-page PDF holding ``lines`` as text (what the service extracts)."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 18 * number, line)
    page.showPage()
    page.save()
    return out.getvalue()


def encrypted(data, password="segreta"):  # noqa: S107 - a test file's password
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed(app, data):
    """``data`` signed PAdES by the app's dev signer (trusted by the same portal)."""
    return get_service(app.registry).signer.sign(data).data


def add_other_ats_officer(app):
    def work(portal):
        user = User(title="RUP Ambito TA-01", email="rup-ta01@example.it", roles=(),
                    creator="admin")
        user.set_password(demo_password(OTHER_ATS_OFFICER))
        portal["utenti"].add(OTHER_ATS_OFFICER, user, registry=app.registry)
        district = portal["ambiti"]["ta-01"]
        set_local_roles(district, "user:" + OTHER_ATS_OFFICER, {ATS_OFFICER})
        app.registry.notify(LocalRolesChanged(district))
    run_in_app(app, work)


def upload(client, folder_url, title, data, filename="documento.pdf", status=303,
           description=""):
    """POST the folder's upload form as a browser does."""
    return client.post(folder_url + "/@@carica",
                       {"csrf_token": csrf_token(client), "title": title,
                        "description": description},
                       upload_files=[("file", filename, data)], status=status)


#: the upload limit of ``small_upload_app``: 1 MB
SMALL_LIMIT = 1024 * 1024


@pytest.fixture
def small_upload_app(app_dir):
    """Use for the size limit: the plan's portal with uploads limited to ``SMALL_LIMIT`` bytes."""
    app = main({}, **make_settings(app_dir), **{"documents.max_upload_bytes": str(SMALL_LIMIT)})
    run_in_app(app, lambda portal: build_plan(portal, app.registry))
    yield app
    app.registry._zodb_databases[""].close()


@pytest.fixture
def archive_app(plan_app):
    """Use for archive pages: BA-01's plan with its archive, and TA-01's officer «rup-ta01»."""
    add_other_ats_officer(plan_app)
    plan_app.archive_path = plan_app.plan_path + "/archivio"
    return plan_app


# -- the archive's rows of the role × view matrix (walked by test_archive_authorization) --
ANON, CIT, DEL, PRO, ATS, REG, ADM, OATS = (
    "anonymous", "citizen", "delegate", "provider", "ats_officer", "region_officer", "admin",
    OTHER_ATS_OFFICER)
ARCHIVE = "/ambiti/ba-01/piani/2025-2027/archivio"
#: a document of the official folder and one of the working material (made by the walk)
OFFICIAL_DOC = ARCHIVE + "/delibere/delibera-del-coordinamento"
WORKING_DOC = ARCHIVE + "/lavoro/bozza-di-lavoro"
#: (method, path, allowed, status when allowed); posts without a file are refused (422)
#: after the permission check, which is what these rows are about; deny = 303 to the login
#: page for an anonymous GET, 403 otherwise. The admin holds no right in the archive.
ARCHIVE_MATRIX = [
    ("GET", ARCHIVE, {ATS, REG}, 200),
    ("GET", ARCHIVE + "/delibere", {ATS, REG}, 200),
    ("GET", ARCHIVE + "/lavoro", {ATS, REG}, 200),
    ("POST", ARCHIVE + "/delibere/@@carica", {ATS, REG}, 422),
    ("GET", OFFICIAL_DOC, {ATS, REG}, 200),
    ("GET", OFFICIAL_DOC + "/@@scarica", {ATS, REG}, 200),
    ("GET", OFFICIAL_DOC + "/@@scarica?versione=1", {ATS, REG}, 200),
    ("POST", OFFICIAL_DOC + "/@@carica-versione", {ATS, REG}, 422),
    # official documents are never deleted (409 to whoever may edit them); working material
    # only by the ATS (the Region may edit, not delete: 403 from the view)
    ("GET", OFFICIAL_DOC + "/@@elimina-documento", {ATS}, 409),
    ("GET", WORKING_DOC + "/@@elimina-documento", {ATS}, 200),
    ("POST", WORKING_DOC + "/@@elimina-documento", {ATS}, 303),
]
