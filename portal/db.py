"""Opening ZODB and finding the portal root in it."""
import transaction
from pyramid_zodbconn import get_connection
from zc.lockfile import LockError

from portal import evolve, moved
from portal.bootstrap import create_portal
from portal.errors import DatabaseLocked
from portal.i18n import _

ROOT_KEY = "portal"
AUDIT_KEY = "audit"
DOCUMENTS_KEY = "documents_registry"
JOBS_KEY = "jobs"
SOCIAL_KEY = "social_index"


def include_zodb(config):
    """Open the databases named in the settings, turning a lock into a clear message."""
    try:
        config.include("pyramid_zodbconn")
    except LockError as exc:
        uri = config.registry.settings.get("zodbconn.uri", "")
        raise DatabaseLocked(
            _("Il database è già in uso da un altro processo del portale (${uri}). Fermare l'altro "
              "processo o usare un'altra configurazione (per più processi usare RelStorage).",
              mapping={"uri": uri.split("?")[0]})
        ) from exc
    for db in config.registry._zodb_databases.values():
        moved.install(db)  # databases written before layout 2 name the old modules


def get_database(registry):
    return registry._zodb_databases[""]


def documents_registry(request):
    """The registry of issued and uploaded documents (outside the content tree)."""
    return get_connection(request).root().get(DOCUMENTS_KEY)


def social_index_of(obj):
    """The social index (``portal.people.index``) of the database ``obj`` is stored in."""
    node = obj
    while node is not None and getattr(node, "_p_jar", None) is None:
        node = getattr(node, "__parent__", None)
    if node is None:
        raise LookupError("the object is not stored: no social index")
    return node._p_jar.root()[SOCIAL_KEY]


def root_factory(request):
    """Traversal root: the ``Portal`` object stored in ZODB."""
    return get_connection(request).root()[ROOT_KEY]


def app_root(request):
    """The portal root even before traversal (e.g. for the security policy)."""
    return get_connection(request).root()[ROOT_KEY]


def ensure_root(db, registry):
    """Create the portal tree on first start; returns True if it was created."""
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        tm.begin()
        root = conn.root()
        if ROOT_KEY in root:
            tm.abort()
            return False
        root[ROOT_KEY] = portal = create_portal(registry)
        # a new database runs every evolve step, so it looks like an evolved one
        evolve.run_pending(root, portal, registry, commit=lambda note: tm.commit(), log=lambda msg: None)
        tm.commit()
        return True
    finally:
        conn.close()


def pending_steps(db):
    """Evolve steps the stored data still needs."""
    conn = db.open()
    try:
        portal = conn.root().get(ROOT_KEY)
        return [n for n, _ in evolve.pending(portal)] if portal is not None else []
    finally:
        conn.close()


def savepoint_for(obj):
    """A savepoint of the transaction ``obj`` is stored in (under pyramid_tm: the request's
    own manager, not the thread-local one ``transaction.get()`` would give)."""
    node = obj
    while node is not None and getattr(node, "_p_jar", None) is None:
        node = getattr(node, "__parent__", None)
    manager = node._p_jar.transaction_manager if node is not None else transaction.manager
    return manager.get().savepoint()
