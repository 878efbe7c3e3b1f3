"""The JSON API: the same objects, permissions and schemas as the HTML forms."""
import colander
from pyramid.httpexceptions import HTTPForbidden, HTTPNoContent
from pyramid.i18n import get_localizer
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.traversal import resource_path
from pyramid.view import view_config

from content_types.base import Container, Content
from content_types.registry import get_content_registry
from content_types.security import DELETE, EDIT, VIEW
from portal.errors import BadRequest, ValidationFailed
from portal.i18n import _
from portal.registered import check_deletable
from portal.web.api.body import json_body
from portal.web.api.jsonschema import from_json, to_json, type_error
from portal.web.api.openapi import build_openapi
from portal.web.content_ops import (
    audit_personal_read,
    create_child,
    delete_permitted,
    fire_from_params,
    may_view_child,
    update_object,
    workflow_panel,
)
from portal.web.display import may_see_personal, personal_names

MAX_PAGE = 100


def api_url(request, obj):
    return request.application_url + "/api" + resource_path(obj).rstrip("/")


def serialize(request, obj, info=None):
    info = info or get_content_registry(request.registry).info_for(obj)
    data = {
        "@id": api_url(request, obj),
        "@type": obj.type_name,
        "name": obj.__name__ or "",
        "uid": obj.uid,
        "title": obj.title,
        "state": obj.state,
        "created": to_json(obj.created),
        "modified": to_json(obj.modified),
        "creator": obj.creator,
    }
    if info is not None and info.schema is not None:
        hidden = set() if may_see_personal(request, obj) else personal_names(info, obj)
        names = [n.name for n in info.make_schema() if n.name != "password"
                 and n.name not in hidden]
        data["data"] = {k: to_json(v) for k, v in obj.get_data(names).items() if k != "password"}
    else:
        data["data"] = {}
    if isinstance(obj, Container):
        data["children_url"] = data["@id"] + "/@@contenuti"
    panel = workflow_panel(request, obj, localized=False)
    if panel is not None:
        data["workflow"] = {
            "name": panel["name"], "state": panel["state"], "state_title": panel["state_title"],
            "transitions": [t["name"] for t in panel["transitions"] if t["allowed"]],
            "transition_url": data["@id"] + "/@@transizione",
        }
    return data


def validate(request, schema, body, allowed_extra=()):
    """Colander-validate JSON ``body`` against ``schema``; errors by field, in Italian."""
    # bound like the forms' schemas, so validators find the tree through the context
    schema = schema.bind(request=request, context=request.context)
    names = {node.name for node in schema}
    fields = {k: "Campo sconosciuto." for k in body if k not in names and k not in allowed_extra}
    for node in schema:
        if node.name in body:
            problem = type_error(node, body[node.name])
            if problem:
                fields[node.name] = problem
    if fields:
        raise ValidationFailed(_("Dati non validi."), fields)
    cstruct = {k: from_json(v) for k, v in body.items() if k in names}
    try:
        return schema.deserialize(cstruct)
    except colander.Invalid as exc:
        localizer = get_localizer(request)
        errors = exc.asdict(translate=localizer.translate)
        raise ValidationFailed(_("Dati non validi."), errors) from None


def schema_for(request, obj):
    info = get_content_registry(request.registry).info_for(obj)
    if info is None or info.schema is None:
        raise BadRequest(_("Questo elemento non si modifica tramite API."))
    return info, info.make_schema()


@view_config(route_name="api_openapi", permission=NO_PERMISSION_REQUIRED, renderer="json")
def openapi_document(request):
    return build_openapi(request.registry)


@view_config(route_name="api_session", permission=NO_PERMISSION_REQUIRED, renderer="json")
def session_info(request):
    """Who am I, and the CSRF token to send as X-CSRF-Token on unsafe calls."""
    user = request.user
    return {
        "user": {"login": user.login, "title": user.title, "roles": sorted(user.roles)}
        if user else None,
        "csrf_token": request.session.get_csrf_token(),
    }


@view_config(route_name="api", context=Content, request_method="GET", permission=VIEW,
             renderer="json")
def read(context, request):
    audit_personal_read(request, context)
    return serialize(request, context)


@view_config(route_name="api", context=Content, request_method=("PUT", "PATCH"),
             permission=EDIT, renderer="json")
def update(context, request):
    info, schema = schema_for(request, context)
    body = json_body(request)
    if request.method == "PATCH":
        current = context.get_data([n.name for n in schema])
        names = {node.name for node in schema}
        merged = {k: v for k, v in body.items() if k not in names}  # reported as unknown
        for node in schema:
            if node.name in body:
                merged[node.name] = body[node.name]
            elif node.name != "password" and current.get(node.name) not in (None, ""):
                merged[node.name] = to_json(current[node.name])
        body = merged
    appstruct = validate(request, schema, body)
    update_object(request, context, appstruct)
    return serialize(request, context, info)


@view_config(route_name="api", context=Content, request_method="DELETE", permission=DELETE)
def delete(context, request):
    if not delete_permitted(request, context):
        raise HTTPForbidden("Non è consentito eliminare questo elemento.")
    check_deletable(context)
    context.__parent__.remove(context.__name__, registry=request.registry)
    return HTTPNoContent()


@view_config(route_name="api", context=Container, name="contenuti", request_method="GET",
             permission=VIEW, renderer="json")
def children(context, request):
    if getattr(context, "personal_data", False) and getattr(context, "data_subject", 0) is None:
        # special-category data (a case file): even the list of its notes is an audited read
        audit_personal_read(request, context)
    return listing_of(context, request)


def listing_of(context, request):
    """One page of the visible children (also what ``If-Match`` on a POST compares)."""
    try:
        start = int(request.GET.get("start", 0))
        limit = int(request.GET.get("limit", 20))
    except ValueError:
        raise BadRequest(_("«start» e «limit» devono essere numeri interi.")) from None
    if start < 0 or not 1 <= limit <= MAX_PAGE:
        raise BadRequest(_("«start» ≥ 0 e 1 ≤ «limit» ≤ ${max_page}.",
                           mapping={"max_page": MAX_PAGE}))
    visible = [(n, c) for n, c in context.items() if may_view_child(request, context, c)]
    registry = get_content_registry(request.registry)
    items = [
        {"@id": api_url(request, c), "@type": c.type_name, "name": n, "title": c.title,
         "state": c.state, "modified": to_json(c.modified)}
        for n, c in visible[start:start + limit]
    ]
    addable = [
        info.name for info in registry.addable_types(context)
        if info.schema is not None and request.has_permission(info.add_permission, context)
    ]
    return {"items": items, "total": len(visible), "start": start, "limit": limit,
            "addable_types": addable}


@view_config(route_name="api", context=Container, name="contenuti", request_method="POST",
             permission=VIEW, renderer="json")
def create(context, request):
    body = json_body(request)
    type_name = body.get("type")
    if not isinstance(type_name, str) or not type_name:
        raise ValidationFailed(_("Dati non validi."), {"type": "Indicare il tipo di contenuto."})
    registry = get_content_registry(request.registry)
    info = registry.check_addable(context, type_name)
    if info.schema is None:
        raise BadRequest(_("Questo tipo non si crea tramite API."))
    if not request.has_permission(info.add_permission, context):
        raise HTTPForbidden("Non è consentito aggiungere questo tipo qui.")
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise ValidationFailed(_("Dati non validi."), {"name": "Tipo non valido: atteso testo."})
    fields = {k: v for k, v in body.items() if k not in ("type", "name")}
    appstruct = validate(request, info.make_schema(), fields)
    obj = create_child(request, context, info, appstruct, name=name)
    request.response.status_int = 201
    request.response.location = api_url(request, obj)
    return serialize(request, obj, info)


@view_config(route_name="api", context=Content, name="transizione", request_method="POST",
             permission=VIEW, renderer="json")
def transition_api(context, request):
    body = json_body(request)
    fire_from_params(request, context, body.get("transition"), body.get("comment", ""))
    if not request.has_permission(VIEW, context):
        return {"state": context.state, "visible": False}
    return serialize(request, context)
