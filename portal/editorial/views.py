"""The pages of news items and service pages, and adding editorial content where editors may."""
from pyramid.renderers import get_renderer
from pyramid.view import view_config

from content_types.news import NewsItem
from content_types.page import Page
from content_types.security import EDIT, VIEW
from content_types.service_page import SECTIONS, ServicePage
from content_types.values import format_date, to_local, utcnow
from portal.editorial import rules, services
from portal.web.content import AddForm
from portal.web.content_ops import may_delete, type_info, workflow_panel
from workflows.editorial import PUBLISHED


def macros():
    return get_renderer("portal:templates/editorial/macros.pt").implementation().macros


def paragraphs(text):
    """A long text as its paragraphs (blank lines separate them)."""
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def common(request, context):
    info = type_info(request, context)
    return {
        "info": info, "macros": macros(), "page_title": context.title,
        "can_edit": bool(request.has_permission(EDIT, context)),
        "can_delete": may_delete(request, context),
        "workflow": workflow_panel(request, context),
    }


@view_config(context=Page, permission=VIEW, renderer="portal:templates/editorial/page.pt")
def page_view(context, request):
    values = common(request, context)
    values["paragraphs"] = paragraphs(context.body)
    return values


@view_config(context=NewsItem, permission=VIEW, renderer="portal:templates/editorial/news.pt")
def news_view(context, request):
    values = common(request, context)
    shown = rules.shown_date(context, PUBLISHED)
    values.update({"date": format_date(shown), "date_iso": _iso_day(shown),
                   "paragraphs": paragraphs(context.body)})
    return values


@view_config(context=ServicePage, permission=VIEW,
             renderer="portal:templates/editorial/service_page.pt")
def service_page_view(context, request):
    values = common(request, context)
    schema = values["info"].make_schema()
    sections = [{"id": name.replace("_", "-"), "title": schema[name].title,
                 "paragraphs": paragraphs(getattr(context, name, ""))}
                for name in SECTIONS if getattr(context, name, "")]
    call = services.linked_call(context) if context.call_code else None
    status = rules.call_status(call, utcnow()) if context.call_code else None
    access = None
    if status is not None:
        access = {"status": status.status, "when": status.when,
                  "call_title": call.title if call is not None else "",
                  "url": (request.resource_path(services.application_target(context, call))
                          if status.status == rules.OPEN else "")}
    # the index lists the sections in the order of the page, «Accedi al servizio» before «Contatti»
    index = [s for s in sections if s["id"] != "contacts"]
    if access is not None:
        index.append({"id": "accedi", "title": None})
    index += [s for s in sections if s["id"] == "contacts"]
    values.update({"sections": sections, "access": access, "index": index})
    return values


def _iso_day(value):
    return (to_local(value).date() if hasattr(value, "hour") else value).isoformat()


class EditorialAddForm(AddForm):
    """The generic add form, reached with ADD_EDITORIAL (editors do not hold ADD_CONTENT)."""

