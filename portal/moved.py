"""Where modules holding stored classes went (layout 2), so databases written before still load.

A ZODB record names its class by module path. The classes of ``portal.benefits`` and
``portal.catalogue`` moved; the database's class factory reads the old names through this
table, and evolve step 7 rewrites the records so the table is needed only until it ran.
"""
import transaction
from ZODB.serialize import referencesf
from ZODB.utils import z64

#: old module -> new module, for every module whose classes may be in a stored pickle
MOVED_MODULES = {
    "portal.benefits.copayment": "portal.applications.rules.copayment",
    "portal.benefits.eligibility": "portal.applications.rules.eligibility",
    "portal.benefits.errors": "portal.applications.rules.errors",
    "portal.benefits.fiscal": "portal.applications.rules.fiscal",
    "portal.benefits.isee": "portal.applications.rules.isee",
    "portal.benefits.lapse": "portal.applications.rules.lapse",
    "portal.benefits.mail": "portal.mail",
    "portal.benefits.matching": "portal.applications.rules.matching",
    "portal.benefits.money": "content_types.values",
    "portal.benefits.protocol": "portal.applications.rules.protocol",
    "portal.benefits.ranking": "portal.applications.rules.ranking",
    "portal.benefits.submission": "portal.applications.rules.submission",
    "portal.catalogue.registrations": "portal.providers.registrations",
}
#: the bytes an old record carries (pickles name modules in ASCII)
_OLD_NAMES = tuple(name.encode("ascii") for name in MOVED_MODULES)
#: objects re-written per savepoint, so a large database does not sit in memory
SAVEPOINT_EVERY = 1000


def install(db):
    """Make ``db`` read old module paths as their new homes (call before opening connections)."""
    default = db.classFactory

    def class_factory(connection, modulename, globalname):
        return default(connection, MOVED_MODULES.get(modulename, modulename), globalname)

    db.classFactory = class_factory
    # the connection DB() opened to create the root is pooled with a reader made before
    db._connectionMap(lambda conn: setattr(conn._reader, "_factory", class_factory))  # noqa: SLF001 (ZODB offers no public hook)


def stale_oids(connection):
    """Oids of the records, reachable from the root, that still name a moved module."""
    storage = connection.db().storage
    seen, todo, stale = {z64}, [z64], []
    while todo:
        oid = todo.pop()
        data, _serial = storage.load(oid)
        if any(name in data for name in _OLD_NAMES):
            stale.append(oid)
        for ref in referencesf(data):
            if ref not in seen:
                seen.add(ref)
                todo.append(ref)
    return stale


def rewrite(connection):
    """Store every stale record again: the new pickle names the classes where they live now."""
    stale = stale_oids(connection)
    for count, oid in enumerate(stale, 1):
        obj = connection.get(oid)
        obj._p_activate()
        obj._p_changed = True
        if count % SAVEPOINT_EVERY == 0:
            transaction.savepoint(optimistic=True)
    return len(stale)
