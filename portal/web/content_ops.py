"""Content operations shared by the HTML views and the JSON API: one rule, two front ends."""
from content_types.events import ObjectModified
from content_types.registry import get_content_registry
from content_types.security import DELETE, OWNER, VIEW, set_local_roles
from content_types.values import utcnow
from portal import audit
from portal.errors import BadRequest
from portal.i18n import _, translate
from portal.registered import protocol_of
from portal.web.add_links import add_link
from portal.web.display import local_time
from portal.web.labels import workflow_text
from workflows import fire, history, workflow_for

MAX_COMMENT = 2000


def type_info(request, obj):
    return get_content_registry(request.registry).info_for(obj)


def may_view_child(request, container, child):
    """The container's answer holds for a child with no ACL of its own, no blocking,
    and no local roles held by this user: the principals and ACLs are then the same."""
    # reading __local_roles__ first loads a ghost, so __dict__ is then complete
    local = child.__local_roles__
    if (
        "__acl__" not in child.__dict__ and not type(child).__acl__
        and not child.__local_roles_block__
        and (not local or request.base_principals.isdisjoint(local))
    ):
        return True
    return bool(request.has_permission(VIEW, child))


def audit_personal_read(request, obj):
    """GDPR accountability: log a read of someone else's personal data (HTML or API)."""
    if getattr(obj, "personal_data", False):
        subject = getattr(obj, "data_subject", obj.owner)
        if request.authenticated_userid != subject:
            audit.log_read(request, obj)


def addable_types(request, container):
    """The «Aggiungi» menu: a feature's own form where it has one, else the schema's form."""
    registry = get_content_registry(request.registry)
    return [
        {"name": info.name, "title": info.title,
         "url": add_link(request, container, info.name)
         or request.resource_path(container, "@@aggiungi", query={"tipo": info.name})}
        for info in registry.addable_types(container)
        if info.schema is not None and request.has_permission(info.add_permission, container)
    ]


def may_delete(request, obj):
    """Whether to offer deletion (a protocolled record is annulled instead, never deleted)."""
    return not protocol_of(obj) and delete_permitted(request, obj)


def delete_permitted(request, obj):
    parent = obj.__parent__
    return (
        parent is not None
        and bool(request.has_permission(DELETE, obj))
        and bool(request.has_permission(DELETE, parent))
    )


def create_child(request, container, info, appstruct, name=None):
    """Create, own and add an object; shared by the add form and the API."""
    login = request.authenticated_userid
    obj = info.factory(title=appstruct.get("title", ""), creator=login)
    obj.set_data(appstruct)
    if login:
        set_local_roles(obj, "user:" + login, {OWNER})
    name = container.choose_name(obj.title, name)
    container.add(name, obj, registry=request.registry)
    return obj


def update_object(request, obj, appstruct):
    obj.set_data(appstruct)
    obj.modified = utcnow()
    request.registry.notify(ObjectModified(obj, tuple(appstruct), request))


def workflow_panel(request, context, localized=True):
    """State, the transitions this user may fire, and the history, for templates and JSON.

    Pages read the titles in the reader's language; the API (``localized=False``) keeps the
    Italian ones.
    """
    workflow = workflow_for(request.registry, context)
    if workflow is None or context.state is None:
        return None

    def text(title):
        return workflow_text(request, title) if localized else title
    return {
        "name": workflow.name,
        "title": text(workflow.title_it),
        "state": context.state,
        "state_title": text(workflow.state_title(context.state)),
        "transitions": [
            {"name": o.transition.name, "title": text(o.transition.title_it),
             "comment_required": o.transition.comment_required,
             "allowed": o.allowed, "reason": translate(request, o.reason)}
            for o in workflow.transitions_for(context, request)
        ],
        "history": [
            {"when": local_time(h["when"]),
             "who": h.get("who") or request.localizer.translate(_("sistema")),
             "title": text(h.get("title", "")), "comment": h.get("comment", ""),
             "from": text(workflow.state_title(h["from_state"])) if h.get("from_state") else "",
             "to": text(workflow.state_title(h["to_state"]))}
            for h in reversed(history(context))
        ],
    }


def fire_from_params(request, context, name, comment):
    """Fire a transition named by a form or a JSON body, refusing malformed input with 400."""
    translate = request.localizer.translate
    if not isinstance(name, str) or not name:
        raise BadRequest(translate(_("Indicare l'operazione da eseguire.")),
                         {"transition": translate(_("Obbligatorio."))})
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise BadRequest(
            translate(_("La motivazione è un testo di al massimo ${max} caratteri.",
                        mapping={"max": MAX_COMMENT})),
            {"comment": translate(_("Testo troppo lungo o non valido."))})
    return fire(context, request, name, comment)
