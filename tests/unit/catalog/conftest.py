"""Fixtures for the catalog contract suite: a portal over FileStorage, both backends."""
import os
import shutil
import tempfile
import uuid

import pytest
import transaction
from pyramid import testing
from pyramid.authorization import DENY_ALL
from ZODB import DB
from ZODB.FileStorage import FileStorage

from catalog import Query, get_catalog
from content_types.base import Content
from content_types.district import District
from content_types.events import LocalRolesChanged
from content_types.folder import DistrictFolder, Folder
from content_types.page import Page
from content_types.portal_root import Portal
from content_types.security import (
    ADMIN,
    ATS_OFFICER,
    OWNER,
    REGION_OFFICER,
    VIEW,
    Allow,
    Authenticated,
    Everyone,
    role,
    set_local_roles,
)
from tests.unit.catalog.es_server import ElasticsearchServer, ServerUnavailable

ANON = (Everyone,)
ALICE = (Everyone, Authenticated, "user:alice", "role:citizen")
CAROL = (Everyone, Authenticated, "user:carol", "role:citizen")
BOB = (Everyone, Authenticated, "user:bob")            # ATS officer of BA-01 (local role)
RITA = (Everyone, Authenticated, "user:rita", "role:region_officer")


class Application(Content):
    """An application-like type: private to its owner and the officers."""

    type_name = "TestApplication"
    description = ""
    body = ""
    attachment_text = ""  # text extracted from an uploaded PDF
    municipality = None
    __acl__ = (
        (Allow, role(OWNER), VIEW),
        (Allow, role(ATS_OFFICER), VIEW),
        (Allow, role(REGION_OFFICER), VIEW),
        (Allow, role(ADMIN), VIEW),
        DENY_ALL,
    )


@pytest.fixture(scope="session")
def es_server():
    """Use for tests of the Elasticsearch backend: one real node per session (CI=true: must start)."""
    workdir = tempfile.mkdtemp(prefix="portal-es-")
    try:
        server = ElasticsearchServer.obtain(workdir).start()
    except (ServerUnavailable, OSError) as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        if os.environ.get("CI") == "true":
            pytest.fail(f"Elasticsearch test server unavailable: {exc}")
        pytest.skip(f"Elasticsearch test server unavailable: {exc}")
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def db(tmp_path):
    """Use for catalog tests that need persistence: a ZODB over a FileStorage in a temporary directory."""
    database = DB(FileStorage(str(tmp_path / "Data.fs")))
    yield database
    database.close()


class PortalHarness:
    """A portal root in ZODB with the catalog subscribers and one backend."""

    def __init__(self, db, backend, es_url=None, worker="process"):
        self.backend = backend
        settings = {"catalog.backend": backend}
        if backend == "elasticsearch":
            self.prefix = f"test-{uuid.uuid4().hex[:12]}"
            settings.update({
                "catalog.elasticsearch.url": es_url,
                "catalog.elasticsearch.index_prefix": self.prefix,
                "catalog.elasticsearch.worker": worker,
                "catalog.elasticsearch.poll_interval": "0.2",
            })
        self.config = testing.setUp(settings=settings)
        self.registry = self.config.registry
        self.config.include("content_types")
        self.config.add_content_type(
            "TestApplication", Application, title="Domanda", addable_to=("Folder",),
            catalog_attributes=("title", "description", "body", "attachment_text"),
        )
        self.config.include("catalog.subscribers")
        self.db = db
        self.conn = db.open()
        self.root = Portal(title="Portale")
        self.conn.root()["app_root"] = self.root
        transaction.commit()

    @property
    def catalog(self):
        return get_catalog(self.root, self.registry)

    def commit(self):
        transaction.commit()
        self.catalog.flush()
        transaction.begin()

    def search(self, principals, **kw):
        return self.catalog.search(Query(**kw), principals)

    def uids(self, principals, **kw):
        return [hit.uid for hit in self.search(principals, **kw).items]

    def close(self):
        transaction.abort()
        if self.backend == "elasticsearch":
            # the Elasticsearch client costs 0.2 s to import: only when that backend runs
            from catalog.elastic import client_for, drop, stop_workers  # noqa: PLC0415
            stop_workers(self.registry)
            try:
                drop(client_for(self.registry), self.prefix)
            except Exception:  # noqa: BLE001, S110 - the server may be down in the kill test
                pass
            client_for(self.registry).close()
        self.conn.close()
        testing.tearDown()


def make_harness(request, db, backend, **kw):
    es_url = request.getfixturevalue("es_server").url if backend == "elasticsearch" else None
    harness = PortalHarness(db, backend, es_url, **kw)
    request.addfinalizer(harness.close)
    return harness


@pytest.fixture(params=["embedded", "elasticsearch"])
def portal(request, db):
    """Use for the backend contract: a small portal tree, the test runs once per backend."""
    return make_harness(request, db, request.param)


def build_tree(root, registry):
    """Two ATS with citizens' applications, and public pages."""
    ambiti = root.add("ambiti", DistrictFolder(title="Ambiti"), registry=registry)
    objs = {}
    for code, municipality, owner in (("BA-01", "Bari", "alice"), ("BA-02", "Modugno", "carol")):
        district = ambiti.add(code.lower(), District(title=f"Ambito {code}", code=code), registry=registry)
        domande = district.add("domande", Folder(title="Domande"), registry=registry)
        for i, (title, body) in enumerate((
            ("Domanda di assistenza domiciliare", ("Richiesta per anziani non autosufficienti "
             "residenti nella città, con servizio di assistenza a domicilio.")),
            ("Domanda buono servizio infanzia", ("Buono per l'asilo nido dei bambini "
             "della famiglia, ISEE allegato.")),
        )):
            app = Application(title=f"{title} {owner}", body=body, creator=f"user:{owner}",
                              municipality=municipality, state="draft" if i else "submitted")
            set_local_roles(app, f"user:{owner}", {OWNER})
            domande.add(f"{owner}-{i}", app, registry=registry)
            objs[f"{owner}-{i}"] = app
        objs[code] = district
    set_local_roles(ambiti["ba-01"], "user:bob", {ATS_OFFICER})
    registry.notify(LocalRolesChanged(ambiti["ba-01"]))
    docs = root.add("documenti", Folder(title="Documenti"), registry=registry)
    objs["guida"] = docs.add("guida", Page(
        title="Guida ai servizi per gli anziani",
        body="Come chiedere l'assistenza domiciliare: la domanda si presenta al Comune."), registry=registry)
    objs["privacy"] = docs.add("privacy", Page(
        title="Informativa privacy", body="Trattamento dei dati personali."), registry=registry)
    return objs
