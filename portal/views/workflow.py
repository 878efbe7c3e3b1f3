"""Workflow in the UI and the API: state, allowed transitions, history, diagrams."""
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.base import Content
from content_types.portal_root import Portal
from content_types.security import MANAGE, VIEW
from workflows import fire, get_workflows, history, workflow_for
from workflows.diagram import render_svg

from ..errors import BadRequest
from ..i18n import _
from .display import local_time
from .layout import flash

MAX_COMMENT = 2000


def workflow_panel(request, context):
    """State, the transitions this user may fire, and the history, for templates and JSON."""
    workflow = workflow_for(request.registry, context)
    if workflow is None or context.state is None:
        return None
    return {
        "name": workflow.name,
        "title": workflow.title_it,
        "state": context.state,
        "state_title": workflow.state_title(context.state),
        "transitions": [
            {"name": o.transition.name, "title": o.transition.title_it,
             "comment_required": o.transition.comment_required,
             "allowed": o.allowed, "reason": o.reason}
            for o in workflow.transitions_for(context, request)
        ],
        "history": [
            {"when": local_time(h["when"]),
             "who": h.get("who") or request.localizer.translate(_("sistema")),
             "title": h.get("title", ""), "comment": h.get("comment", ""),
             "from": workflow.state_title(h["from_state"]) if h.get("from_state") else "",
             "to": workflow.state_title(h["to_state"])}
            for h in reversed(history(context))
        ],
    }


def _fire_from_params(request, context, name, comment):
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


@view_config(context=Content, name="transizione", request_method="POST", permission=VIEW)
def transition_view(context, request):
    tr = _fire_from_params(request, context, request.POST.get("transition"),
                           request.POST.get("comment", ""))
    flash(request, _("Operazione eseguita: ${title}.", mapping={"title": tr.title_it}))
    # after some transitions the user may no longer see the object
    target = context if request.has_permission(VIEW, context) else context.__parent__
    return HTTPSeeOther(request.resource_path(target))


@view_config(route_name="api", context=Content, name="transizione", request_method="POST",
             permission=VIEW, renderer="json")
def transition_api(context, request):
    from ..api.views import json_body, serialize  # noqa: PLC0415 (api imports this module)

    body = json_body(request)
    _fire_from_params(request, context, body.get("transition"), body.get("comment", ""))
    if not request.has_permission(VIEW, context):
        return {"state": context.state, "visible": False}
    return serialize(request, context)


@view_config(context=Portal, name="gestione-workflow", permission=MANAGE,
             renderer="portal:templates/manage/workflows.pt")
def manage_workflows(context, request):
    items = []
    for workflow in sorted(get_workflows(request.registry).values(), key=lambda w: w.name):
        items.append({
            "name": workflow.name, "title": workflow.title_it,
            "initial": workflow.state_title(workflow.initial_state),
            "states": [{"name": s.name, "title": s.title_it,
                        "permissions": sorted((k, ", ".join(v)) for k, v in s.permissions.items())}
                       for s in workflow.states],
            "transitions": [{"name": t.name, "title": t.title_it,
                             "from": ", ".join(workflow.state_title(s) for s in t.from_states),
                             "to": workflow.state_title(t.to_state),
                             "permission": t.permission,
                             "comment": t.comment_required} for t in workflow.transitions],
            "diagram_url": request.resource_path(context, "@@diagramma-workflow",
                                                 query={"nome": workflow.name}),
        })
    return {"page_title": request.localizer.translate(_("Workflow")), "workflows": items}


@view_config(context=Portal, name="diagramma-workflow", permission=MANAGE)
def workflow_diagram(context, request):
    workflows = get_workflows(request.registry)
    workflow = workflows.get(request.GET.get("nome", ""))
    if workflow is None:
        raise HTTPNotFound(request.localizer.translate(_("Workflow inesistente.")))
    cache = request.registry.__dict__.setdefault("_workflow_svg", {})
    if workflow.name not in cache:
        cache[workflow.name] = render_svg(workflow)
    return Response(cache[workflow.name], content_type="image/svg+xml", charset="utf-8")
