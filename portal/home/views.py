"""Home page, «Bandi e avvisi», the choice of the ATS for a call and the personal area."""
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content_types import security
from content_types.call import Call
from content_types.portal_root import Portal
from content_types.security import ADMIN, CITIZEN, MANAGE, REGION_OFFICER, VIEW
from portal.home import queries
from portal.i18n import _
from portal.web.display import local_time

#: quick links of the home page: (path under the root, view or "", title)
QUICK_LINKS = (
    ("regione", "", _("Regione")),
    ("ambiti", "", _("Ambiti territoriali")),
    ("documenti", "", _("Documenti")),
    ("", "avvisi", _("Bandi e avvisi")),
)


@view_config(context=Portal, name="", permission=NO_PERMISSION_REQUIRED, request_method="GET",
             renderer="portal:templates/home/home.pt")
def home(context, request):
    """What a visitor comes for: open calls, the catalogue search, news, services."""
    translate = request.localizer.translate
    links = []
    for path, view, title in QUICK_LINKS:
        obj = context.get(path) if path else context
        if obj is None or not request.has_permission(VIEW, obj):
            continue
        links.append({"title": translate(title),
                      "url": request.resource_path(obj, "@@" + view) if view
                      else request.resource_path(obj)})
    return {
        "page_title": layout_title(request),
        "calls": queries.open_calls(request),
        "catalogue_url": request.resource_path(context["catalogo"]),
        "news": queries.latest_news(request, limit=3),
        "services": queries.service_pages(request, limit=6),
        "links": links,
        "calls_url": request.resource_path(context, "@@avvisi"),
        "area_url": request.resource_path(context, "@@area-personale") if request.user else None,
    }


def layout_title(request):
    from portal.web.layout import SITE_TITLE  # noqa: PLC0415 (one title for the site)
    return request.localizer.translate(SITE_TITLE)


@view_config(context=Portal, name="avvisi", permission=NO_PERMISSION_REQUIRED,
             request_method="GET", renderer="portal:templates/home/calls.pt")
def calls_listing(context, request):
    """Every published call, open or closed, in plain Italian."""
    calls = queries.all_calls(request)
    return {"page_title": request.localizer.translate(_("Bandi e avvisi")),
            "open": [c for c in calls if c["status"] == "open"],
            "other": [c for c in calls if c["status"] != "open"]}


@view_config(context=Call, name="presenta-domanda", permission=VIEW, request_method="GET",
             renderer="portal:templates/home/choose_district.pt")
def choose_district(context, request):
    """A call open in several ATS: the family applies in the ATS of its municipality."""
    choices = queries.district_choices(request, context)
    chosen = (request.GET.get("comune") or "").strip()
    error = None
    if chosen:
        for choice in choices:
            if any(m["code"] == chosen for m in choice["municipalities"]):
                return HTTPSeeOther(choice["url"])
        error = request.localizer.translate(_(
            "Il comune scelto non appartiene a nessun Ambito che raccoglie domande per questo "
            "avviso: scegliere il comune di residenza dall'elenco."))
    if len(choices) == 1 and not chosen:
        return HTTPSeeOther(choices[0]["url"])
    if error is not None:
        request.response.status_int = 400  # the page itself says what to fix
    card = queries.call_card(request, context)
    return {"page_title": request.localizer.translate(
                _("Presenta domanda: ${title}", mapping={"title": context.title})),
            "call": card, "choices": choices, "error": error, "chosen": chosen,
            "open": card["status"] == "open"}


@view_config(context=Portal, name="area-personale", permission=VIEW, request_method="GET",
             renderer="portal:templates/home/area.pt")
def personal_area(context, request):
    """One page per person with every role they hold: counts and links to the work."""
    user = request.user
    if user is None:
        raise HTTPForbidden(_("Accedere per vedere la propria area personale."))
    translate = request.localizer.translate
    districts = queries.officer_districts(request)
    providers = queries.operator_providers(request)
    region = REGION_OFFICER in user.roles
    admin = ADMIN in user.roles
    delegations = queries.delegations_to(request, user.login)
    social = queries.social_places(request)
    staff = bool(districts or providers or region or admin or social)
    citizen = CITIZEN in user.roles or bool(delegations) or not staff
    sections = {}
    if citizen:
        sections["citizen"] = {
            "applications": queries.citizen_applications(request),
            "file_url": request.resource_path(context, "@@fascicolo"),
            "calls": queries.open_calls(request),
        }
        from portal.payments.family_queries import panel  # noqa: PLC0415 (the family's panel)
        sections["citizen"]["attestations"] = panel(request)
    if delegations:
        sections["delegate"] = [
            {"applicant": applicant, "district": district.title,
             "folders": queries.open_folders(request, district)}
            for district, applicant in delegations]
    if districts:
        sections["officer"] = [queries.officer_section(request, d) for d in districts]
    if social:
        sections["social"] = social
    if region:
        sections["region_map_url"] = request.resource_path(context["regione"], "@@mappa-bisogni")
    if providers:
        sections["provider"] = [queries.provider_section(request, p) for p in providers]
    if region:
        sections["region"] = queries.region_section(request)
    if admin or request.has_permission(MANAGE, context):
        sections["admin"] = {
            "manage_url": request.resource_path(context, "@@gestione"),
            "jobs_url": request.resource_path(context, "@@gestione-lavori"),
            "users_url": request.resource_path(context["utenti"]),
        }
    editor = getattr(security, "EDITOR", None)
    if editor and editor in user.roles:
        sections["editor"] = {"url": request.resource_path(context["regione"])}
    unread = queries.unread_count(request)
    return {
        "page_title": translate(_("Area personale")),
        "user_title": user.title or user.login,
        "roles": [translate(_(security.ROLES[r])) for r in user.roles if r in security.ROLES],
        "sections": sections, "unread": unread,
        "inbox_url": request.resource_path(context, "@@messaggi"),
        "local_time": local_time,
    }

