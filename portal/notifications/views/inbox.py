"""``@@messaggi``: the user's inbox, marking read, and each message's link to what it is about."""
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.traversal import find_resource
from pyramid.view import view_config
from pyramid_zodbconn import get_connection

from content_types.i18n import translated
from content_types.portal_root import Portal
from content_types.security import VIEW
from content_types.values import utcnow
from portal.i18n import _
from portal.notifications import rules, service
from portal.web import posted
from portal.web.display import local_time
from portal.web.layout import flash

PAGE = 50
MARK = posted.schema(posted.text("segna", strip=False), posted.text("tutti", strip=False))
UNAVAILABLE = _("Il contenuto di questo messaggio non è più disponibile per te")


def reader(request):
    """The logged-in user; anonymous visitors are asked to log in."""
    user = request.authenticated_userid
    if not user:
        raise HTTPForbidden(_("Accedere per leggere i propri messaggi."))
    return user


def shown(request, note):
    """One message as the template shows it, in the request's language."""
    translate = request.localizer.translate
    return {"id": note.id, "read": note.read,
            "title": translated(rules.thaw(note.title), translate),
            "body": translated(rules.thaw(note.body), translate),
            "kind": translate(rules.KIND_TITLES.get(note.kind, note.kind)),
            "details": note.details, "when": local_time(note.created),
            "url": request.resource_path(request.root, "@@messaggi", note.id)}


def page_number(request):
    raw = request.GET.get("pagina", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@view_config(context=Portal, name="messaggi", permission=VIEW, request_method="GET",
             renderer="portal:templates/notifications/inbox.pt")
def inbox_view(context, request):
    """The inbox, newest first; ``@@messaggi/<id>`` opens one message."""
    user = reader(request)
    if request.subpath:
        return open_message(request, user, request.subpath[0])
    inbox = service.inbox_of(get_connection(request), user)
    number = page_number(request)
    notes = inbox.newest((number - 1) * PAGE, PAGE + 1) if inbox is not None else []
    return {"page_title": request.localizer.translate(_("Messaggi")),
            "notes": [shown(request, n) for n in notes[:PAGE]],
            "unread": inbox.unread_count() if inbox is not None else 0,
            "page": number, "more": len(notes) > PAGE,
            "action": request.resource_path(context, "@@messaggi")}


@view_config(context=Portal, name="messaggi", permission=VIEW, request_method="POST")
def inbox_post(context, request):
    """«Segna come letto» (one message) or «Segna tutti come letti»."""
    user = reader(request)
    sent = posted.posted(request, MARK)
    conn = get_connection(request)
    if sent["tutti"]:
        count = service.mark_all_read(conn, user)
        flash(request, _("Messaggi segnati come letti: ${count}.", mapping={"count": count}))
    elif sent["segna"]:
        service.mark_read(conn, user, sent["segna"])
        flash(request, _("Messaggio segnato come letto."))
    return HTTPSeeOther(request.resource_path(context, "@@messaggi"))


def open_message(request, user, note_id):
    """Mark the message read, then go to its object if the reader may still see it."""
    inbox = service.inbox_of(get_connection(request), user)
    note = inbox.get(note_id) if inbox is not None else None
    if note is None:
        return unavailable(request)
    inbox.mark_read(note_id, utcnow())
    try:
        target = find_resource(request.root, note.target_path) if note.target_path else None
    except (KeyError, ValueError):
        target = None
    if (target is None or (note.target_uid and getattr(target, "uid", None) != note.target_uid)
            or not request.has_permission(VIEW, target)):
        return unavailable(request)
    if note.target_view and request.has_permission(note.target_permission, target):
        return HTTPSeeOther(request.resource_path(target, "@@" + note.target_view))
    return HTTPSeeOther(request.resource_path(target))


def unavailable(request):
    """A clear page instead of a 403/404, telling nothing of the object."""
    translate = request.localizer.translate
    return render_to_response(
        "portal:templates/notifications/unavailable.pt",
        {"page_title": translate(UNAVAILABLE),
         "inbox_url": request.resource_path(request.root, "@@messaggi")},
        request=request)
