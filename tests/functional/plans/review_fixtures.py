"""Helpers of the review tests: the versions' data read back, inboxes, a second ATS's officer."""
from content_types.security import ATS_OFFICER, set_local_roles, user_principal
from content_types.users import User
from portal.demo import demo_password
from portal.notifications.store import get_store
from tests.functional.applications.conftest import run_in_app

#: an officer of another ATS (TA-01), created by ``other_officer``
OTHER = "rup-ta01"


def node(portal, path):
    found = portal
    for name in path.strip("/").split("/"):
        found = found[name]
    return found


def read(app, path, work):
    """``work(object at path)`` in a transaction of ``app``."""
    return run_in_app(app, lambda portal: work(node(portal, path)))


def notes_of(app, login, path=""):
    """``login``'s notifications (dicts: id, kind, key, details, path, view) about ``path``."""
    def work(portal):
        store = get_store(portal._p_jar)
        box = store.inbox(login) if store is not None else None
        return [{"id": n.id, "kind": n.kind, "key": n.key, "details": n.details,
                 "path": n.target_path, "view": n.target_view}
                for n in (box.newest() if box else ())
                if not path or n.target_path.startswith(path)]
    return run_in_app(app, work)


def other_officer(app, login=OTHER, district="ta-01"):
    """An officer of another ATS, who logs in like the demo users (``<login>-demo-2026``)."""
    def work(portal):
        user = User(title="Officer of TA-01", email=f"{login}@example.it", creator="admin")
        user.set_password(demo_password(login))
        portal["utenti"].add(login, user, registry=app.registry)
        set_local_roles(portal["ambiti"][district], user_principal(login), {ATS_OFFICER})
    run_in_app(app, work)
    return login
