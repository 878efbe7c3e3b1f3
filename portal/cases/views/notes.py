"""Dated notes of the case team: written on the case, read one by one (every read audited)."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.traversal import find_root
from pyramid.view import view_config

from content_types.case_file import CaseFile, CaseNote
from content_types.security import EDIT_CASE, VIEW_CASE
from content_types.values import format_date, format_when, parse_day, rome_today
from portal import audit
from portal.cases import store
from portal.cases.rules.errors import CaseError
from portal.cases.views.common import problems, summary, t, user_title
from portal.i18n import _
from portal.web import posted as body
from portal.web.layout import flash

TEMPLATES = "portal:templates/cases/"
NOTE_FORM = body.schema(body.text("day", 20), body.text("text", store.NOTE_MAX + 1, strip=False))


def _note_page(context, request, error=None, errors=None, form=None):
    return {**summary(request, context), "page_title": t(request, _("Nuova nota")),
            "form": form or {"day": rome_today().isoformat(), "text": ""},
            "action": request.resource_path(context, "@@nota"),
            "error": error, "errors": errors or {}}


@view_config(context=CaseFile, name="nota", permission=EDIT_CASE, request_method="GET",
             renderer=TEMPLATES + "note_form.pt")
def note_form(context, request):
    return _note_page(context, request)


@view_config(context=CaseFile, name="nota", permission=EDIT_CASE, request_method="POST",
             renderer=TEMPLATES + "note_form.pt")
def note_add(context, request):
    sent = body.posted(request, NOTE_FORM)
    try:
        try:
            day = parse_day(sent["day"]) if sent["day"] else None
        except ValueError:
            raise CaseError(_("Data della nota non valida."),
                            {"day": _("Data non valida (GG/MM/AAAA).")}) from None
        note = store.add_note(context, request.authenticated_userid, sent["text"], day=day,
                              registry=request.registry)
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _note_page(context, request, message, fields, sent)
    audit.log(request, "nota di cartella scritta", note)
    flash(request, _("Nota aggiunta."))
    return HTTPSeeOther(request.resource_path(context))


@view_config(context=CaseNote, permission=VIEW_CASE, request_method="GET",
             renderer=TEMPLATES + "note.pt")
def note_page(context, request):
    """One note; its read is audited on the note."""
    audit.log_read(request, context, what="nota di cartella")
    case = context.__parent__
    return {**summary(request, case), "page_title": context.title, "note": context,
            "day": format_date(context.day), "written": format_when(context.created),
            "author": user_title(find_root(context), context.author)}
