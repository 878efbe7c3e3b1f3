"""What the home page and the personal area show, read from the catalog and a few objects.

Counts come from catalog facets (``state`` per ``district``), never from walking the
applications, so the personal area stays fast with thousands of them.
"""
from catalog import Eq, Query, search_principals
from catalog.query import MAX_LIMIT
from content_types.call import TARGETS
from content_types.district import District, Municipality
from content_types.security import (
    ATS_OFFICER,
    GROUP_PREFIX,
    MUNICIPAL_OPERATOR,
    PROVIDER,
    SOCIAL_WORKER,
    USER_PREFIX,
)
from content_types.values import euro, format_date, format_datetime, utcnow
from portal.applications.rules import lapse
from portal.applications.services import resolve_path
from portal.editorial import listing as _editorial
from portal.i18n import _
from portal.notifications import unread_count as _unread_count
from portal.payments import queue as attestation_queue
from portal.web.labels import workflow_state_title
from workflows import application as wf
from workflows import attestation as attestation_wf
from workflows import catalogue_entry as entry_wf

#: what the officer must do, by the application states that ask for it
TO_REVIEW = (wf.SUBMITTED, wf.MATCHED, wf.UNDER_REVIEW)
AWAITING = (wf.AWAITING_INTEGRATION,)
#: the citizen's next step, by state (short, with a link to where it is done)
CITIZEN_NEXT = {
    wf.DRAFT: _("Completa e invia la domanda entro il ${date}"),
    wf.SUBMITTED: _("Attendi la conferma della struttura scelta (entro il ${date})"),
    wf.MATCHED: _("Nessuna azione: l'Ambito avvierà l'istruttoria"),
    wf.UNDER_REVIEW: _("Nessuna azione: l'Ambito sta esaminando la domanda"),
    wf.AWAITING_INTEGRATION: _("Invia i documenti richiesti entro il ${date}"),
    wf.ELIGIBLE: _("Nessuna azione: attendi la graduatoria dell'Ambito"),
    wf.FUNDED: _("Concorda l'avvio del servizio con la struttura"),
    wf.ADMITTED_UNFUNDED: _("Nessuna azione: potrai essere finanziato per scorrimento"),
    wf.ACTIVE: _("Il servizio è in corso"),
}
#: the same when the date is not known
CITIZEN_NEXT_UNDATED = {
    wf.DRAFT: _("Completa e invia la domanda"),
    wf.SUBMITTED: _("Attendi la conferma della struttura scelta"),
    wf.AWAITING_INTEGRATION: _("Invia i documenti richiesti"),
}


def target_title(request, code):
    """A call's target in plain Italian (the request's language), never the raw code."""
    title = TARGETS.get(code)
    return request.localizer.translate(_(title)) if title else ""


def _search(request, filters, *, limit=0, facets=(), principals=None, sort=None):
    principals = search_principals(request) if principals is None else principals
    return request.catalog.search(Query(filters=tuple(filters), limit=limit, facets=facets,
                                        snippets=False, sort=sort), principals)


def _objects(request, results):
    """The objects of catalog hits (a removed one is skipped)."""
    found = []
    for hit in results.items:
        obj = resolve_path(request.root, hit.path)
        if obj is not None:
            found.append(obj)
    return found


# -- calls ---------------------------------------------------------------------------------
def published_calls(request):
    """Every published, current call the user may view (newest first)."""
    results = _search(request, (Eq("type_name", "Call"),), limit=MAX_LIMIT,
                      sort="created")
    calls = [c for c in _objects(request, results) if c.current]
    calls.sort(key=lambda c: c.opens_at or c.published_at, reverse=True)
    return calls


def is_open(call, now=None):
    now = now or utcnow()
    return (call.current and call.opens_at is not None and call.closes_at is not None
            and call.opens_at <= now < call.closes_at)


def call_status(request, call, now=None):
    now = now or utcnow()
    translate = request.localizer.translate
    if is_open(call, now):
        return "open", translate(_("Aperto"))
    if call.opens_at is not None and now < call.opens_at:
        return "future", translate(_("Di prossima apertura"))
    return "closed", translate(_("Chiuso"))


def call_folders(request, call):
    """The application folders of ``call`` in every ATS: [(district, folder)]."""
    found = []
    for district in request.root["ambiti"].values():
        if not isinstance(district, District):
            continue
        domande = district.get("domande")
        folder = domande.get(call.code) if domande is not None else None
        if folder is not None and folder.call_uid == call.uid:
            found.append((district, folder))
    return found


def apply_url(request, call):
    """Where «Presenta domanda» leads: the ATS's folder, or the choice of the ATS."""
    folders = call_folders(request, call)
    if len(folders) == 1:
        return request.resource_path(folders[0][1])
    return request.resource_path(call, "@@presenta-domanda")


def call_card(request, call, now=None):
    code, status = call_status(request, call, now)
    return {
        "title": call.title, "description": call.description,
        "url": request.resource_path(call),
        "target": target_title(request, call.target),
        "opens": format_datetime(call.opens_at) if call.opens_at else "",
        "closes": format_datetime(call.closes_at) if call.closes_at else "",
        "closes_date": format_date(call.closes_at) if call.closes_at else "",
        "status": code, "status_title": status,
        "apply_url": apply_url(request, call) if code == "open" else None,
    }


def open_calls(request, now=None):
    now = now or utcnow()
    return [call_card(request, c, now) for c in published_calls(request) if is_open(c, now)]


def all_calls(request, now=None):
    now = now or utcnow()
    return [call_card(request, c, now) for c in published_calls(request)]


def district_choices(request, call):
    """For a call open in several ATS: each ATS with its municipalities (choose by residence)."""
    choices = []
    for district, folder in call_folders(request, call):
        towns = sorted((m.title, m.istat_code) for m in district.values()
                       if isinstance(m, Municipality))
        choices.append({"title": district.title, "code": district.code,
                        "url": request.resource_path(folder),
                        "municipalities": [{"title": t, "code": c} for t, c in towns]})
    choices.sort(key=lambda c: c["title"])
    return choices


# -- editorial content ------------------------------------------------
def latest_news(request, limit=3):
    return list(_editorial.latest_news(request, limit=limit))


def service_pages(request, limit=6):
    return list(_editorial.service_pages(request, limit=limit))


def unread_count(request):
    """Unread messages of the logged-in user (0 without the inbox)."""
    if request.user is None:
        return 0
    return _unread_count(request)


# -- roles held -----------------------------------------------------------------------------
def user_principals(user):
    return {USER_PREFIX + user.login} | {GROUP_PREFIX + g for g in user.groups}


def holds_local_role(obj, principals, role_name):
    granted = getattr(obj, "__local_roles__", None) or {}
    return any(role_name in granted.get(p, ()) for p in principals)


def officer_districts(request):
    """The ATS where the user holds the officer's role (locally, on the District)."""
    principals = user_principals(request.user)
    return [d for d in request.root["ambiti"].values()
            if isinstance(d, District) and holds_local_role(d, principals, ATS_OFFICER)]


def operator_providers(request):
    """The providers (under /catalogo) where the user is an operator."""
    principals = user_principals(request.user)
    catalogo = request.root.get("catalogo")
    if catalogo is None:
        return []
    return [p for p in catalogo.values()
            if getattr(p, "type_name", "") == "Provider" and holds_local_role(p, principals,
                                                                              PROVIDER)]


# -- the ATS officer ------------------------------------------------------------------------
def district_counts(request, district):
    """Applications of one ATS by state, counted by the catalog (permission-filtered)."""
    results = _search(request, (Eq("type_name", "Application"), Eq("district", district.code)),
                      facets=("state",))
    return dict(results.facets.get("state", ()))


def rankings_work(request, district, counts_by_call):
    """Per call of this ATS: a ranking to freeze (admitted, none pending) or a draft to publish."""
    work = []
    domande = district.get("domande")
    rankings = district.get("graduatorie")
    for code in (domande.keys() if domande is not None else ()):
        per_state = counts_by_call.get(code, {})
        folder = rankings.get(code) if rankings is not None else None
        draft = folder.latest() if folder is not None else None
        draft = draft if draft is not None and not draft.published else None
        eligible = per_state.get(wf.ELIGIBLE, 0)
        pending = sum(per_state.get(s, 0) for s in wf.AWAITING_DECISION)
        if draft is None and not eligible:
            continue
        work.append({"code": code, "title": domande[code].title,
                     "eligible": eligible, "pending": pending,
                     "draft_url": request.resource_path(draft) if draft is not None else None,
                     "url": request.resource_path(district, "@@graduatoria",
                                                  query={"avviso": code})})
    return work


def call_counts(request, district, district_totals):
    """code -> state -> count for the calls of this ATS; with one call, the ATS's own counts."""
    domande = district.get("domande")
    folders = list(domande.items()) if domande is not None else []
    if len(folders) == 1:
        return {folders[0][0]: district_totals}
    found = {}
    for code, folder in folders:
        results = _search(request, (Eq("type_name", "Application"),
                                    Eq("parent", _path(request, folder))), facets=("state",))
        found[code] = dict(results.facets.get("state", ()))
    return found


def _path(request, obj):
    return request.resource_path(obj).rstrip("/") or "/"


def officer_section(request, district):
    counts = district_counts(request, district)
    queue = request.resource_path(district, "@@istruttoria")
    return {
        "title": district.title, "code": district.code, "queue_url": queue,
        "to_review": sum(counts.get(s, 0) for s in TO_REVIEW),
        "awaiting": sum(counts.get(s, 0) for s in AWAITING),
        "eligible": counts.get(wf.ELIGIBLE, 0),
        "review_url": queue,  # the queue filters one state at a time: all of them here
        "awaiting_url": request.resource_path(district, "@@istruttoria",
                                              query={"stato": wf.AWAITING_INTEGRATION}),
        "rankings": rankings_work(request, district, call_counts(request, district, counts)),
        # attestations waiting for validation (portal.payments.queue: one catalog count)
        "attestations": attestation_queue.sent_count(request.catalog, search_principals(request),
                                                     district),
        "attestations_url": request.resource_path(district, "@@attestazioni"),
        "funds_url": request.resource_path(district, "@@fondi"),
        "plans_url": request.resource_path(district, "@@piani"),
        # validated attestations no act has paid yet (validated: not paid, see acts.is_payable)
        "payable": attestation_queue.sent_count(request.catalog, search_principals(request),
                                                district, attestation_wf.VALIDATED),
        "acts_url": request.resource_path(district, "@@liquidazioni"),
    }


# -- the provider operator ------------------------------------------------------------------
def provider_section(request, provider):
    path = _path(request, provider)
    entries = _search(request, (Eq("type_name", "CatalogueEntry"), Eq("ancestors", path)),
                      facets=("state",), limit=MAX_LIMIT, sort="title")
    workflow = _workflow(request, "catalogue_entry")
    waiting = _search(request, (Eq("type_name", "Application"), Eq("state", wf.SUBMITTED)),
                      limit=MAX_LIMIT)
    to_confirm = 0
    for application in _objects(request, waiting):
        entry = resolve_path(request.root, application.catalogue_entry_path)
        if (getattr(entry, "provider", None) is provider
                and application.state == lapse.WAITING
                and not (application.match_decision or {}).get("accepted")
                and request.has_permission(wf.MATCH, application)):
            to_confirm += 1
    states = dict(entries.facets.get("state", ()))
    return {
        "attestations": provider_attestations(request, provider),
        "title": provider.title, "url": request.resource_path(provider),
        "matches_url": request.resource_path(provider, "@@abbinamenti"),
        "to_confirm": to_confirm,
        "entries": [{"title": h.title, "url": request.application_url + h.path,
                     "state": workflow_state_title(request, workflow, h.state)}
                    for h in entries.items],
        "entry_count": entries.total,
        "pending": states.get(entry_wf.SUBMITTED, 0),
        "drafts": states.get(entry_wf.DRAFT, 0),
    }


def provider_attestations(request, provider):
    """The provider's attestations waiting for someone, by state (catalog facets), and the grid."""
    found = _search(request, (Eq("type_name", "Attestation"),
                              Eq("service_paths", _path(request, provider))), facets=("state",))
    states = dict(found.facets.get("state", ()))
    return {"url": request.resource_path(provider, "@@attestazioni"),
            "drafts": states.get(attestation_wf.DRAFT, 0),
            "signed": states.get(attestation_wf.SIGNED, 0),
            "returned": states.get(attestation_wf.REJECTED, 0)}


def _workflow(request, name):
    import workflows  # noqa: PLC0415 (kept local: only the sections that show states need it)
    return workflows.get_workflow(request.registry, name)


# -- the Region -----------------------------------------------------------------------------
def region_section(request):
    catalogo = request.root.get("catalogo")
    submitted = _search(request, (Eq("type_name", "CatalogueEntry"),
                                  Eq("state", entry_wf.SUBMITTED)))
    from portal.plans import review as plan_review  # noqa: PLC0415 (the zone plans' queue)
    from portal.providers.registrations import PENDING, registrations  # noqa: PLC0415
    store = registrations(catalogo) if catalogo is not None else None
    pending_registrations = sum(1 for r in (store or {}).values() if r.status == PENDING)
    calls = []
    for call in published_calls(request):
        calls.append({**call_card(request, call),
                      "budget_url": request.resource_path(call, "@@budget"),
                      "budgets": [(code, euro(amount))
                                  for code, amount in sorted((call.budgets or {}).items())]})
    return {
        "to_accredit": submitted.total,
        "to_accredit_url": request.resource_path(catalogo, "@@da-accreditare"),
        "registrations": pending_registrations,
        "registrations_url": request.resource_path(catalogo, "@@richieste-registrazione"),
        "calls": calls,
        "calls_url": request.resource_path(request.root, "@@avvisi"),
        "funds_url": request.resource_path(request.root["regione"], "@@fondi"),
        "plans_dashboard_url": request.resource_path(request.root["regione"],
                                                     "@@piani-cruscotto"),
        "plans_url": request.resource_path(request.root["regione"], "@@piani"),
        "plans_waiting": plan_review.waiting(request.root),
    }


# -- the citizen ----------------------------------------------------------------------------
def delegations_to(request, login):
    """(district, applicant login) for every delegation given to ``login``."""
    found = []
    for district in request.root["ambiti"].values():
        if not isinstance(district, District):
            continue
        domande = district.get("domande")
        for applicant, delegation in ((getattr(domande, "delegations", None) or {}).items()
                                      if domande is not None else ()):
            if delegation.get("delegate") == login:
                found.append((district, applicant))
    return found


def _due_of(application):
    """The integration deadline stored when the ATS asked for the documents (None before)."""
    return getattr(application, "integration_deadline", None)


def next_step(request, application, call):
    """What the family has to do now, in one short sentence."""
    translate = request.localizer.translate
    state = application.state
    when = None
    if state == wf.DRAFT and call is not None and call.closes_at is not None:
        when = format_datetime(call.closes_at)
    elif state == wf.AWAITING_INTEGRATION:
        due = _due_of(application)
        when = (format_datetime(due) if hasattr(due, "hour") else format_date(due)) if due else None
    elif state == wf.SUBMITTED and call is not None:
        day = lapse.last_day(application, call)
        when = format_date(day) if day else None
    if when and state in CITIZEN_NEXT:
        return translate(_(CITIZEN_NEXT[state], mapping={"date": when}))
    message = CITIZEN_NEXT_UNDATED.get(state) or CITIZEN_NEXT.get(state)
    if message is None or "${date}" in message:
        return ""
    return translate(message)


def citizen_applications(request):
    """The user's own applications (as applicant or delegate), from the @@fascicolo's query."""
    from portal.applications.services import call_of  # noqa: PLC0415
    from portal.applications.views.application import (  # noqa: PLC0415 (the file's own query)
        state_title,
        visible_applications,
    )

    login = request.user.login
    rows = []
    for application in visible_applications(request):
        if login not in (application.applicant_login, application.delegate_login):
            continue
        call = call_of(application)
        action_url = request.resource_path(application)
        if application.state == wf.AWAITING_INTEGRATION:
            action_url = request.resource_path(application, "@@integrazione")
        rows.append({
            "title": application.title, "url": request.resource_path(application),
            "protocol": application.protocol or "",
            "beneficiary": application.beneficiary_name or "",
            "call": call.title if call is not None else "",
            "state": application.state, "state_title": state_title(request, application),
            "next": next_step(request, application, call), "action_url": action_url,
            "on_behalf": application.delegate_login == login != application.applicant_login,
        })
    rows.sort(key=lambda r: (r["state"] != wf.DRAFT, r["state"] != wf.AWAITING_INTEGRATION,
                             r["title"]))
    return rows


def open_folders(request, district):
    """The application folders of ``district`` for the calls open now: [{title, url}]."""
    domande = district.get("domande")
    found = []
    for call in published_calls(request):
        folder = domande.get(call.code) if domande is not None else None
        if folder is not None and folder.call_uid == call.uid and is_open(call):
            found.append({"title": call.title, "url": request.resource_path(folder)})
    return found


# -- the social side (issue 16) ---------------------------------------------------------------
#: the roles that work on the social registry, cases and benefits
SOCIAL_ROLES = (ATS_OFFICER, MUNICIPAL_OPERATOR, SOCIAL_WORKER)


def _held(obj, principals):
    return {name for name in SOCIAL_ROLES if holds_local_role(obj, principals, name)}


def social_places(request):
    """Per ATS where the user holds a social role (on the ATS or a municipality): the links."""
    principals = user_principals(request.user)
    sections = []
    for district in request.root["ambiti"].values():
        if not isinstance(district, District):
            continue
        on_district = _held(district, principals)
        towns = [(m, _held(m, principals)) for m in district.values()
                 if isinstance(m, Municipality)]
        towns = [(m, held) for m, held in towns if held]
        if not on_district and not towns:
            continue
        roles = on_district.union(*(held for _m, held in towns))
        registries = ([{"title": district.title,
                        "url": request.resource_path(district, "@@anagrafica")}]
                      if on_district else [])
        registries += [{"title": m.title, "url": request.resource_path(m, "@@anagrafica")}
                       for m, _held_roles in towns]
        # the ATS's register holds its municipalities' too; a municipality's operators read
        # their municipality's own (each made with its first benefit)
        places = ([district] if on_district & {ATS_OFFICER, MUNICIPAL_OPERATOR} else []) + [
            m for m, held in towns if MUNICIPAL_OPERATOR in held and not on_district]
        sections.append({
            "code": district.code, "title": district.title, "registries": registries,
            "benefits": [{"title": place.title, "url": request.resource_path(place, "prestazioni")}
                         for place in places if "prestazioni" in place],
            "siuss_url": request.resource_path(district, "prestazioni", "@@siuss")
            if ATS_OFFICER in on_district else None,
            "cases_url": request.resource_path(request.root, "@@mie-cartelle")
            if SOCIAL_WORKER in roles else None,
            "map_url": request.resource_path(district, "@@mappa-bisogni")
            if ATS_OFFICER in on_district else None,
        })
    return sections
