"""Workflow in the UI: firing transitions from forms, the workflow table and diagrams."""
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.base import Content
from content_types.portal_root import Portal
from content_types.security import MANAGE, VIEW
from portal.i18n import _
from portal.web.content_ops import fire_from_params
from portal.web.labels import permission_title, role_title, workflow_state_title, workflow_text
from portal.web.layout import flash
from portal.web.posted import posted, schema, text
from workflows import get_workflows
from workflows.diagram import render_svg

#: the generic transition form: the transition's name and an optional comment
TRANSITION = schema(text("transition", strip=False), text("comment", strip=False))


@view_config(context=Content, name="transizione", request_method="POST", permission=VIEW)
def transition_view(context, request):
    sent = posted(request, TRANSITION)
    tr = fire_from_params(request, context, sent["transition"], sent["comment"])
    flash(request, _("Operazione eseguita: ${title}.",
                     mapping={"title": workflow_text(request, tr.title_it)}))
    # after some transitions the user may no longer see the object
    target = context if request.has_permission(VIEW, context) else context.__parent__
    return HTTPSeeOther(request.resource_path(target))


@view_config(context=Portal, name="gestione-workflow", permission=MANAGE,
             renderer="portal:templates/manage/workflows.pt")
def manage_workflows(context, request):
    translate = request.localizer.translate
    items = []

    def state(name):
        return workflow_state_title(request, workflow, name)

    def allowed(permissions):  # role titles and what each may do, in words
        return sorted((role_title(translate, role),
                       ", ".join(permission_title(translate, p) for p in names))
                      for role, names in permissions.items())
    for workflow in sorted(get_workflows(request.registry).values(), key=lambda w: w.name):
        items.append({
            "name": workflow.name, "title": workflow_text(request, workflow.title_it),
            "initial": state(workflow.initial_state),
            "states": [{"name": s.name, "title": workflow_text(request, s.title_it),
                        "permissions": allowed(s.permissions)}
                       for s in workflow.states],
            "transitions": [{"name": t.name, "title": workflow_text(request, t.title_it),
                             "from": ", ".join(state(s) for s in t.from_states),
                             "to": state(t.to_state),
                             "permission": permission_title(translate, t.permission),
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
