"""Generic views for every registered content type: view, list, add, edit, delete."""
import deform
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPSeeOther
from pyramid.view import view_config

from content_types.base import Container, Content
from content_types.registry import get_content_registry
from content_types.security import ADD_CONTENT, DELETE, EDIT, VIEW
from portal import audit
from portal.i18n import _
from portal.registered import check_deletable
from portal.web.content_ops import (
    addable_types,
    audit_personal_read,
    create_child,
    delete_permitted,
    may_delete,
    may_view_child,
    type_info,
    update_object,
    workflow_panel,
)
from portal.web.display import display_fields, local_time, may_see_personal
from portal.web.forms import FormView
from portal.web.labels import state_title
from portal.web.layout import flash

PAGE_SIZES = (10, 20, 50, 100)
SORTS = {"order": _("Ordine di inserimento"), "name": _("Nome"), "title": _("Titolo"),
         "modified": _("Ultima modifica")}


def listing(request, container):
    """One page of the children the user may view, with paging data."""
    try:
        start = max(0, int(request.GET.get("inizio", 0)))
        size = int(request.GET.get("per_pagina", 20))
    except ValueError:
        raise HTTPBadRequest(
            request.localizer.translate(_("Parametri di paginazione non validi."))) from None
    if size not in PAGE_SIZES:
        size = 20
    sort = request.GET.get("ordina", "order")
    if sort not in SORTS:
        sort = "order"
    reverse = request.GET.get("inverso") == "1"
    registry = get_content_registry(request.registry)
    if not request.has_permission(VIEW, container):
        return None
    if all_children_inherit(container):
        pairs, total = container.page(start, size, sort, reverse)
    else:
        visible = [
            pair for pair in container.page(0, max(1, len(container)), sort, reverse)[0]
            if may_view_child(request, container, pair[1])
        ]
        total = len(visible)
        pairs = visible[start:start + size]
    items = []
    for name, child in pairs:
        info = registry.info_for(child)
        items.append({
            "name": name, "title": child.title or name,
            "type": info.title if info else type(child).__name__,
            "url": request.resource_path(child), "modified": local_time(child.modified),
            "state": state_title(request, child, getattr(child, "state", None))
            or request.localizer.translate(getattr(child, "listing_state", None) or ""),
        })
    return {
        "items": items, "total": total, "start": start, "size": size, "sort": sort,
        "reverse": reverse, "sizes": PAGE_SIZES,
        "sorts": {key: request.localizer.translate(title) for key, title in SORTS.items()},
        "prev": max(0, start - size) if start > 0 else None,
        "next": start + size if start + size < total else None,
    }


def all_children_inherit(container):
    """True when no child type can carry an ACL of its own (cheap, per class)."""
    return getattr(container, "children_inherit_security", False)


@view_config(context=Content, permission=VIEW, renderer="portal:templates/content.pt")
def content_view(context, request):
    info = type_info(request, context)
    audit_personal_read(request, context)
    return {
        "info": info,
        "fields": display_fields(info, context, personal=may_see_personal(request, context)),
        "listing": listing(request, context) if isinstance(context, Container) else None,
        "addable": addable_types(request, context) if isinstance(context, Container) else [],
        "can_edit": bool(request.has_permission(EDIT, context)) and info is not None
        and info.schema is not None,
        "can_delete": may_delete(request, context),
        "workflow": workflow_panel(request, context),
    }


@view_config(context=Container, name="aggiungi", permission=ADD_CONTENT,
             renderer="portal:templates/form.pt")
class AddForm(FormView):
    """Create a child of any addable type, from the type's own schema."""

    buttons = (deform.Button("aggiungi", _("Aggiungi")),)

    def __init__(self, context, request):
        super().__init__(context, request)
        name = request.GET.get("tipo", "")
        registry = get_content_registry(request.registry)
        self.info = registry.check_addable(context, name)  # NotAddable: its own status (422)
        if self.info.schema is None:
            raise HTTPBadRequest(request.localizer.translate(_("Questo tipo non si crea con un modulo.")))
        if not request.has_permission(self.info.add_permission, context):
            raise HTTPForbidden(
                request.localizer.translate(_("Non è consentito aggiungere questo tipo qui.")))

    def make_schema(self):
        return self.info.make_schema()

    def extra(self):
        translate, mapping = self.request.localizer.translate, {"type": self.info.title}
        return {"page_title": translate(_("Aggiungi: ${type}", mapping=mapping)),
                "heading": translate(_("Nuovo elemento: ${type}", mapping=mapping))}

    def success(self, appstruct):
        obj = create_child(self.request, self.context, self.info, appstruct)
        flash(self.request, _("«${title}» creato.", mapping={"title": obj.title}))
        return HTTPSeeOther(self.request.resource_path(obj))


@view_config(context=Content, name="modifica", permission=EDIT,
             renderer="portal:templates/form.pt")
class EditForm(FormView):
    def __init__(self, context, request):
        super().__init__(context, request)
        self.info = type_info(request, context)
        if self.info is None or self.info.schema is None:
            raise HTTPBadRequest(
                request.localizer.translate(_("Questo elemento non si modifica con un modulo.")))

    def make_schema(self):
        return self.info.make_schema()

    def appstruct(self):
        schema = self.info.make_schema()
        data = self.context.get_data([node.name for node in schema])
        return {k: v for k, v in data.items() if v is not None}

    def version(self):
        return self.context.modified.isoformat() if self.context.modified else ""

    def extra(self):
        translate, mapping = self.request.localizer.translate, {"title": self.context.title}
        return {"page_title": translate(_("Modifica: ${title}", mapping=mapping)),
                "heading": translate(_("Modifica «${title}»", mapping=mapping))}

    def success(self, appstruct):
        update_object(self.request, self.context, appstruct)
        flash(self.request, _("Modifiche salvate."))
        return HTTPSeeOther(self.request.resource_path(self.context))


@view_config(context=Content, name="elimina", permission=DELETE,
             renderer="portal:templates/delete.pt")
def delete_view(context, request):
    if not delete_permitted(request, context):
        raise HTTPForbidden(request.localizer.translate(_("Non è consentito eliminare questo elemento.")))
    check_deletable(context)
    children = len(context) if isinstance(context, Container) else 0
    if request.method == "POST":
        parent = context.__parent__
        title = context.title
        audit.log(request, "eliminazione", context, title=title)
        request.skip_audit = True  # logged above, with the object still in place
        parent.remove(context.__name__, registry=request.registry)
        flash(request, _("«${title}» eliminato.", mapping={"title": title}))
        return HTTPSeeOther(request.resource_path(parent))
    page_title = request.localizer.translate(_("Elimina: ${title}", mapping={"title": context.title}))
    return {"children": children, "page_title": page_title}
