"""Administrators see a user's active sessions and end them (management area of a ``User``)."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from content_types.security import MANAGE
from content_types.users import User
from portal import audit
from portal.i18n import _
from portal.security import sessions
from portal.security.policy import current_session_id
from portal.web.display import local_time
from portal.web.layout import flash
from portal.web.manage import manage_tabs
from portal.web.posted import posted, schema, text

ALL = "tutte"
#: which session to end: its key, or «tutte»
END = schema(text("sessione", strip=False))


def active_sessions(request, user):
    """The user's live sessions, most recent first (expired or stale-token ones left out)."""
    store = sessions.get_store(request)
    if store is None:
        return []
    now, limits = sessions.now(request.registry), sessions.lifetimes(request.registry)
    records = [r for r in store.for_user(user.login)
               if r.token == user.auth_token and limits.alive(r, now)]
    return sorted(records, key=lambda r: r.last_seen, reverse=True)


@view_config(context=User, name="gestione-sessioni", permission=MANAGE,
             renderer="portal:templates/manage/sessions.pt")
def manage_sessions(context, request):
    current = current_session_id(request)
    own = sessions.session_key(current) if current else None
    translate = request.localizer.translate
    return {
        "page_title": translate(_("Sessioni attive: ${title}", mapping={"title": context.title})),
        "tabs": manage_tabs(request, context),
        "sessions": [{
            "key": r.key, "created": local_time(r.created), "last_seen": local_time(r.last_seen),
            "address": r.address or "—", "agent": r.agent or "—", "own": r.key == own,
        } for r in active_sessions(request, context)],
        "all": ALL,
    }


@view_config(context=User, name="gestione-sessioni", permission=MANAGE, request_method="POST")
def end_session(context, request):
    """End one session (``sessione`` = its key) or all of them (``sessione`` = «tutte»)."""
    store = sessions.get_store(request)
    wanted = posted(request, END)["sessione"]
    mine = {r.key for r in store.for_user(context.login)} if store is not None else set()
    if wanted == ALL:
        ended = store.revoke_user(context.login) if store is not None else 0
        flash(request, _("Sessioni terminate: ${count}.", mapping={"count": ended}))
    elif wanted in mine:
        store.revoke_key(context.login, wanted)
        ended = 1
        flash(request, _("Sessione terminata."))
    else:
        ended = 0
        flash(request, _("La sessione era già terminata."), "info")
    audit.log(request, "sessioni terminate", context, count=ended)
    request.skip_audit = True
    return HTTPSeeOther(request.resource_path(context, "@@gestione-sessioni"))
