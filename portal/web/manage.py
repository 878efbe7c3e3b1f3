"""The management area (like substanced's SDI): tree, properties, roles, history."""
import re
from datetime import datetime

from pyramid.httpexceptions import HTTPBadRequest, HTTPSeeOther
from pyramid.view import view_config

from content_types.base import Container, Content
from content_types.events import LocalRolesChanged
from content_types.registry import get_content_registry
from content_types.security import (
    CHANGE_LOCAL_ROLES,
    GROUP_PREFIX,
    MANAGE,
    OWNER,
    ROLES,
    USER_PREFIX,
    VIEW_AUDIT,
    get_local_roles,
    set_local_roles,
)
from content_types.users import User
from portal import audit
from portal.i18n import _
from portal.web.display import format_value, local_time
from portal.web.labels import field_labels, principal_title, role_title, state_title, workflow_text
from portal.web.layout import flash
from portal.web.posted import posted, schema, text, texts

SECRET_ATTRIBUTES = frozenset({"password_hash", "auth_token"})
PRINCIPAL = re.compile(r"^(user|group):[A-Za-z0-9_.@-]{1,100}$")
#: the local roles form: a principal and the roles it gets (none: removed)
ROLES_FORM = schema(text("principal"), texts("roles"))
GRANTABLE = [(name, title) for name, title in ROLES.items()]


#: attributes with a page of their own (the «Storico» tab) or no meaning as text
NOT_PROPERTIES = frozenset({"workflow_history", "state"})


def properties(obj, labels=None):
    """Stored attributes, secrets masked, internals (BTrees) left out; schema titles as labels.

    An attribute the schema does not describe keeps its name (``code``: it is an identifier)."""
    obj._p_activate()
    labels = labels or {}
    rows = []
    for key in sorted(obj.__dict__):
        if key.startswith(("_", "__")) or key in NOT_PROPERTIES:
            continue
        title, choices = labels.get(key, (None, {}))
        if key == "roles" and not choices:
            choices = {name: role_title(str, name) for name in ROLES}
        raw = obj.__dict__[key]
        structured = False
        if key in SECRET_ATTRIBUTES:
            value = "••••••"
        elif choices and isinstance(raw, str) and raw in choices:
            value = choices[raw]
        elif choices and isinstance(raw, (set, frozenset, tuple, list)) \
                and all(isinstance(v, str) for v in raw):
            value = format_value([choices.get(v, v) for v in raw])
        elif _structured(raw):
            # rules as data (a call's eligibility, bands, budgets): the raw record, marked as
            # such; the pages of the object say it in words
            value, structured = format_value(raw), True
        else:
            value = format_value(raw)
        rows.append({"name": key, "title": title, "value": value[:500], "raw": structured})
    return rows


def _structured(value):
    """A mapping, or a sequence holding mappings or sequences: stored data, not a value."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return True
    return isinstance(value, (list, tuple)) and any(
        isinstance(v, (dict, list, tuple)) or hasattr(v, "items") for v in value)


def manage_tabs(request, context):
    tabs = [(_("Contenuti e proprietà"), "@@gestione")]
    if request.has_permission(CHANGE_LOCAL_ROLES, context):
        tabs.append((_("Ruoli locali"), "@@gestione-ruoli"))
    if request.has_permission(VIEW_AUDIT, context):
        tabs.append((_("Storico"), "@@gestione-storico"))
    if context.__parent__ is None:
        tabs.append((_("Workflow"), "@@gestione-workflow"))
        if request.has_permission(MANAGE, context):
            tabs.append((_("Lavori in coda"), "@@gestione-lavori"))
    if isinstance(context, User) and request.has_permission(MANAGE, context):
        tabs.append((_("Sessioni attive"), "@@gestione-sessioni"))
    current = "@@" + request.view_name
    return [
        {"title": request.localizer.translate(title), "url": request.resource_path(context, name),
         "active": name == current}
        for title, name in tabs
    ]


@view_config(context=Content, name="gestione", permission=MANAGE,
             renderer="portal:templates/manage/overview.pt")
def manage_overview(context, request):
    registry = get_content_registry(request.registry)
    info = registry.info_for(context)
    children = []
    if isinstance(context, Container):
        try:
            start = max(0, int(request.GET.get("inizio", 0)))
        except ValueError:
            raise HTTPBadRequest(
                request.localizer.translate(_("Parametro «inizio» non valido."))) from None
        pairs, total = context.page(start, 50)
        for name, child in pairs:
            child_info = registry.info_for(child)
            children.append({
                "name": name, "title": child.title,
                "type": child_info.title if child_info else type(child).__name__,
                "url": request.resource_path(child, "@@gestione"),
                "count": len(child) if isinstance(child, Container) else None,
            })
        paging = {"start": start, "total": total,
                  "next": start + 50 if start + 50 < total else None,
                  "prev": max(0, start - 50) if start else None}
    else:
        paging = None
    parent = context.__parent__
    translate = request.localizer.translate
    return {
        "page_title": translate(_("Gestione: ${title}",
                                  mapping={"title": context.title or translate(_("radice"))})),
        "tabs": manage_tabs(request, context),
        "info": info,
        "properties": properties(context, field_labels(info)),
        "children": children,
        "paging": paging,
        "parent_url": request.resource_path(parent, "@@gestione") if parent is not None else None,
        "uid": context.uid,
        "state": state_title(request, context, context.state),
    }


@view_config(context=Content, name="gestione-ruoli", permission=CHANGE_LOCAL_ROLES,
             renderer="portal:templates/manage/roles.pt")
def manage_roles(context, request):
    translate = request.localizer.translate
    if request.method == "POST":
        sent = posted(request, ROLES_FORM)
        principal = sent["principal"]
        if not PRINCIPAL.match(principal):
            raise HTTPBadRequest(translate(
                _("Indicare un utente («user:nome») o un gruppo («group:nome») valido.")
            ))
        if principal.startswith(USER_PREFIX):
            users = request.root["utenti"]
            if principal[len(USER_PREFIX):] not in users:
                raise HTTPBadRequest(translate(_("Utente inesistente: ${login}.",
                                                 mapping={"login": principal[len(USER_PREFIX):]})))
        roles = set(sent["roles"])
        unknown = roles - set(ROLES)
        if unknown:
            raise HTTPBadRequest(translate(_("Ruoli sconosciuti: ${roles}.",
                                             mapping={"roles": ", ".join(sorted(unknown))})))
        set_local_roles(context, principal, roles)
        request.registry.notify(LocalRolesChanged(context, request))
        mapping = {"principal": principal_title(translate, principal)}
        flash(request, _("Ruoli locali di ${principal} aggiornati.", mapping=mapping) if roles
              else _("Ruoli locali di ${principal} rimossi.", mapping=mapping))
        return HTTPSeeOther(request.resource_path(context, "@@gestione-ruoli"))
    def roles_of(names):
        return sorted(role_title(translate, n) for n in names)
    inherited = []
    node = context.__parent__
    while node is not None:
        for principal, names in get_local_roles(node).items():
            inherited.append({"principal": principal_title(translate, principal),
                              "roles": roles_of(names),
                              "where": node.title or translate(_("radice"))})
        if getattr(node, "__local_roles_block__", False):
            break
        node = node.__parent__
    return {
        "page_title": translate(_("Ruoli locali: ${title}", mapping={"title": context.title})),
        "tabs": manage_tabs(request, context),
        "local": [{"principal": p, "label": principal_title(translate, p), "roles": roles_of(r)}
                  for p, r in sorted(get_local_roles(context).items())],
        "inherited": inherited,
        "grantable": [(name, translate(title)) for name, title in GRANTABLE if name != OWNER]
        + [(OWNER, translate(ROLES[OWNER]))],
        "group_prefix": GROUP_PREFIX,
    }


@view_config(context=Content, name="gestione-storico", permission=VIEW_AUDIT,
             renderer="portal:templates/manage/history.pt")
def manage_history(context, request):
    log = audit.get_audit_log(request)
    entries = log.for_object(context.uid) if context.__parent__ is not None else log.latest()
    def state(name):
        return state_title(request, context, name) if name else ""
    steps = [{**h, "title": workflow_text(request, h.get("title", "")),
              "when": local_time(h.get("when")) if h.get("when") else "",
              "from_label": state(h.get("from_state", h.get("from", ""))),
              "to_label": state(h.get("to_state", h.get("to", "")))}
             for h in getattr(context, "workflow_history", ()) or ()]
    return {
        "page_title": request.localizer.translate(
            _("Storico: ${title}", mapping={"title": context.title})),
        "tabs": manage_tabs(request, context),
        "entries": [{**e, "when": _audit_time(e.get("when"))} for e in entries],
        "workflow_history": steps,
        "is_root": context.__parent__ is None,
    }


def _audit_time(value):
    """The audit log stores ISO UTC text: shown as Rome wall-clock time."""
    try:
        return local_time(datetime.fromisoformat(value)) if value else "—"
    except (TypeError, ValueError):
        return str(value)
