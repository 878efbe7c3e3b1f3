"""The register's pages: an ATS's benefits, one benefit, granting one (with the duplicate
check) and its status changes (suspend, resume, end, cancel: each confirmed with a reason)."""
from datetime import date

from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content_types.benefit import SOURCES, STATUSES, VOUCHER, Benefit, BenefitFolder
from content_types.person import Person
from content_types.security import GRANT_BENEFIT, VIEW
from content_types.values import euro, format_date, format_datetime, parse_day
from portal import audit
from portal.i18n import _
from portal.people import store as people
from portal.register import codes, grant, listing
from portal.register.rules import status as status_rules
from portal.register.rules.errors import DuplicateBenefit, InvalidBenefit, RegisterError
from portal.security.policy import effective_principals
from portal.web import posted
from portal.web.content_ops import audit_personal_read
from portal.web.errors import refuse
from portal.web.layout import flash

SOURCE_TITLES = {"voucher": _("Buono servizio (da domanda finanziata)"),
                 "contribution": _("Contributo economico"),
                 "home_care": _("Assistenza domiciliare"), "other": _("Altro intervento")}
#: what an officer may choose: vouchers are written only from funded applications
CHOSEN_SOURCES = tuple(s for s in SOURCES if s != VOUCHER)
MEANS_TEST_TITLES = {"1": _("ISEE"), "2": _("Altra prova dei mezzi"),
                     "3": _("ISEE non richiesto per questa persona"), "4": _("Nessuna")}
ACTIONS = {"sospendi": "suspend", "riprendi": "resume", "concludi": "end", "annulla": "cancel"}
ACTION_PAGE_TITLES = {"suspend": _("Sospendi la prestazione"),
                      "resume": _("Riprendi la prestazione"),
                      "end": _("Concludi la prestazione"), "cancel": _("Annulla la prestazione")}
ACTION_DONE = {"suspend": _("Prestazione sospesa."), "resume": _("Prestazione ripresa."),
               "end": _("Prestazione conclusa."), "cancel": _("Prestazione annullata.")}

#: the form's field -> grant()'s name (errors are shown on the form's fields)
GRANT_FIELDS = {
    "ente": "place", "codice": "siuss_code", "origine": "source", "inizio": "start",
    "fine": "end", "importo_mensile": "monthly_amount", "importo": "amount",
    "quota_ente": "public_share", "quota_utente": "user_share", "ore_mensili": "hours_monthly",
    "prova_mezzi": "means_test", "isee_protocollo": "isee_protocol",
    "isee_data_dsu": "isee_dsu_date", "isee_valore": "isee_value", "protocollo": "protocol",
    "motivo": "reason",
}
FORM_OF = {v: k for k, v in GRANT_FIELDS.items()}
GRANT_FORM = posted.schema(*(posted.text(name, limit=1000) for name in GRANT_FIELDS))
LABELS = {
    "inizio": _("Inizio (o giorno, se una tantum)"), "fine": _("Fine (prestazioni periodiche)"),
    "protocollo": _("Protocollo della domanda"), "importo_mensile": _("Importo mensile (€)"),
    "importo": _("Importo una tantum (€)"), "quota_ente": _("Quota a carico dell'ente (€)"),
    "quota_utente": _("Quota a carico dell'utente (€)"), "ore_mensili": _("Ore di servizio al mese"),
    "isee_protocollo": _("Protocollo della DSU"), "isee_data_dsu": _("Data della DSU"),
    "isee_valore": _("Valore ISEE (€)"),
}
CHANGE_FORM = posted.schema(posted.text("motivo", limit=1000), posted.text("fine", limit=20),
                            posted.text("conferma", limit=2))


def _t(request, msg):
    return request.localizer.translate(msg)


# -- the register of an ATS ----------------------------------------------------------------
def _filters(request):
    """The filters of the query string; a malformed day is ignored, with a message."""
    params, problems = request.GET, {}
    days = {}
    for name in ("dal", "al"):
        raw = (params.get(name) or "").strip()
        if raw:
            try:
                days[name] = parse_day(raw)
            except ValueError:
                problems[name] = _t(request, _("Data non valida: usare 31/01/2025."))
    wanted_status = params.get("stato", "")
    filters = listing.Filters(
        status=wanted_status if wanted_status in STATUSES else "",
        siuss_code=(params.get("codice") or "").strip().upper()[:10],
        municipality=(params.get("comune") or "").strip()[:6],
        start=days.get("dal"), end=days.get("al"))
    try:
        page = int(params.get("pagina") or 1)
    except ValueError:
        page = 1
    return filters, page, problems


@view_config(context=BenefitFolder, name="", permission=VIEW,
             renderer="portal:templates/register/folder.pt")
def register_view(context, request):
    """The ATS's register: filters by status, SIUSS code, municipality and period; paginated."""
    filters, page, problems = _filters(request)
    rows, total, pages = listing.filtered(context, filters, page)
    page = min(max(page, 1), pages)
    district = people.district_of(context)
    query = {k: v for k, v in request.GET.items() if k != "pagina" and v}
    return {
        "page_title": _t(request, _("Registro delle prestazioni — ${district}",
                                    mapping={"district": district.title})),
        "district": district, "rows": [_row(request, b) for b in rows], "total": total,
        "page": page, "pages": pages, "problems": problems,
        "chosen": {k: request.GET.get(k, "") for k in ("stato", "codice", "comune", "dal", "al")},
        "statuses": [(s, _t(request, status_rules.TITLES[s])) for s in STATUSES],
        "codes": sorted(codes.table_for(request.registry).values(), key=lambda c: c.code),
        "municipalities": sorted(((m.istat_code, m.title) for m in district.values()
                                  if getattr(m, "type_name", "") == "Municipality"),
                                 key=lambda m: m[1]),
        "counts": listing.status_counts(context),
        "page_url": lambda n: request.resource_path(context, query={**query, "pagina": n}),
    }


def _row(request, benefit):
    return {"url": request.resource_path(benefit), "title": benefit.title,
            "code": benefit.siuss_code, "granted_by": benefit.granted_by,
            "period": _period(benefit), "status": _t(request, status_rules.TITLES[benefit.status]),
            "status_id": benefit.status,
            "amount": euro(benefit.monthly_amount if benefit.periodic else benefit.amount)
            if (benefit.monthly_amount if benefit.periodic else benefit.amount) is not None
            else "—",
            "source": _t(request, SOURCE_TITLES.get(benefit.source, benefit.source))}


def _period(item):
    """«01/09/2025 – 30/06/2026» of a benefit or of a social index reference."""
    start = item["start"] if isinstance(item, dict) else item.start
    end = item["end"] if isinstance(item, dict) else (item.end if item.periodic else None)
    if end is None or end == start:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"


# -- one benefit ---------------------------------------------------------------------------
@view_config(context=Benefit, name="", permission=VIEW,
             renderer="portal:templates/register/benefit.pt")
def benefit_view(context, request):
    """One benefit: person, code, period, amounts, means test, protocol, history, overlaps."""
    audit_personal_read(request, context)
    person = people.find_person(request.root, context.fiscal_code)
    may_change = bool(request.has_permission(GRANT_BENEFIT, context))
    return {
        "page_title": context.title, "benefit": context,
        "person": person, "person_url": request.resource_path(person)
        if person is not None and request.has_permission(VIEW, person) else None,
        "status": _t(request, status_rules.TITLES[context.status]),
        "source": _t(request, SOURCE_TITLES.get(context.source, context.source)),
        "means_test": _t(request, MEANS_TEST_TITLES.get(context.means_test, context.means_test)),
        "period": _period(context), "euro": euro, "format_date": format_date,
        "history": [{"when": format_datetime(h["when"]), "who": h["who"],
                     "what": _t(request, status_rules.ACTION_TITLES.get(h["what"], h["what"])),
                     "reason": h.get("reason", "")} for h in context.history],
        "overlaps": [{**o, "period": _period(o)} for o in context.overlaps],
        "actions": [(name, _t(request, ACTION_PAGE_TITLES[action]))
                    for name, action in ACTIONS.items()
                    if may_change and context.status in status_rules.MOVES[action][0]],
    }


# -- granting ------------------------------------------------------------------------------
def places_for(request):
    """The ATS and municipalities where the user may grant: (key, title, district, municipality)."""
    principals = effective_principals(request, request.root)
    found = []
    for district, municipality in listing.granting_places(request.root, principals):
        folder = district.get("prestazioni")
        if municipality is None:
            if request.has_permission(GRANT_BENEFIT, folder if folder is not None else district):
                found.append((district.code, district.title, district, None))
        elif request.has_permission(GRANT_BENEFIT, municipality):
            found.append((f"{district.code}/{municipality.__name__}",
                          _granting_body(municipality), district, municipality))
    return found


def _granting_body(municipality):
    title = municipality.title
    return title if title.lower().startswith("comune") else f"Comune di {title}"


def _normal_amount(text):
    """«1.234,56» or «1234.56» as grant() reads it (Italian thousands dots dropped)."""
    text = (text or "").replace(" ", "").replace("€", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return text


def _data(sent, places):
    """grant()'s data from the form, or ``InvalidBenefit`` naming the form's fields."""
    problems = {}
    place = next((p for p in places if p[0] == sent["ente"]), None)
    if place is None:
        problems["ente"] = _("Scegliere l'ente che concede la prestazione.")
    days = {}
    for name in ("inizio", "fine", "isee_data_dsu"):
        if sent[name]:
            try:
                days[name] = parse_day(sent[name])
            except ValueError:
                problems[name] = _("Data non valida: usare 31/01/2025.")
    hours = None
    if sent["ore_mensili"]:
        try:
            hours = int(sent["ore_mensili"])
        except ValueError:
            problems["ore_mensili"] = _("Le ore mensili sono un numero intero tra 0 e 999.")
    if sent["origine"] and sent["origine"] not in CHOSEN_SOURCES:
        problems["origine"] = _("I buoni servizio sono registrati solo dalle domande finanziate.")
    isee = None
    if sent["prova_mezzi"] == "1":
        if not sent["isee_protocollo"] or "isee_data_dsu" not in days:
            problems.setdefault("isee_protocollo", _(
                "Con la prova dei mezzi ISEE servono il protocollo e la data della DSU."))
        else:
            isee = {"protocol": sent["isee_protocollo"][:30], "dsu_date": days["isee_data_dsu"],
                    "year": days["isee_data_dsu"].year, "value": sent["isee_valore"] or None}
    if problems:
        raise InvalidBenefit(None, problems)
    data = {"siuss_code": sent["codice"], "source": sent["origine"] or "other",
            "start": days.get("inizio"), "end": days.get("fine"), "hours_monthly": hours,
            "means_test": sent["prova_mezzi"] or "4", "isee": isee,
            "protocol": sent["protocollo"], "granted_by": place[1]}
    for name in ("importo_mensile", "importo", "quota_ente", "quota_utente"):
        data[GRANT_FIELDS[name]] = _normal_amount(sent[name])
    return data, place


def _form_fields(fields):
    """grant()'s field names turned into the form's (what the page marks)."""
    return {FORM_OF.get(name, name): message for name, message in (fields or {}).items()}


def _prefill(person, places, may_read=True):
    """The form's first values; the person's ISEE only for who may read their record."""
    isee = (person.isee or {}) if may_read else {}
    return {**dict.fromkeys(GRANT_FIELDS, ""), "ente": places[0][0] if len(places) == 1 else "",
            "prova_mezzi": "1" if isee.get("protocol") else "4",
            "isee_protocollo": isee.get("protocol", ""),
            "isee_data_dsu": format_date(isee.get("dsu_date")) if isee.get("dsu_date") else "",
            "isee_valore": str(isee.get("value") or "")}


@view_config(context=Person, name="nuova-prestazione", permission=NO_PERMISSION_REQUIRED,
             renderer="portal:templates/register/grant.pt")
def grant_view(context, request):
    """«Nuova prestazione»: who holds GRANT_BENEFIT in some ATS or municipality grants in its
    name, whatever ATS the person lives in (checked here, not on the person's own tree)."""
    places = places_for(request)
    if not places:
        raise HTTPForbidden(_t(request, _("Solo gli operatori di un Ambito o di un Comune "
                                          "possono concedere prestazioni.")))
    audit_personal_read(request, context)
    error, fields, overlaps = None, {}, ()
    form = _prefill(context, places, bool(request.has_permission(VIEW, context)))
    if request.method == "POST":
        sent = posted.posted(request, GRANT_FORM)
        form = sent
        try:
            data, place = _data(sent, places)
            _key, _title, district, municipality = place
            benefit = grant.grant(
                district, context, data, request.authenticated_userid, request.registry,
                reason=sent["motivo"],
                municipality=municipality.istat_code if municipality is not None else "")
        except DuplicateBenefit as exc:
            error, fields, overlaps = refuse(request, exc), _form_fields(exc.fields), exc.overlaps
        except RegisterError as exc:
            error, fields = refuse(request, exc), _form_fields(exc.fields)
        else:
            audit.log(request, "concessione prestazione", benefit, code=benefit.siuss_code,
                      person=context.uid, overlaps=len(benefit.overlaps))
            flash(request, _("Prestazione registrata: ${title}.",
                             mapping={"title": benefit.title}))
            return HTTPSeeOther(_after_grant(request, benefit, context))
    return {
        "page_title": _t(request, _("Nuova prestazione per ${name}",
                                    mapping={"name": context.full_name or context.title})),
        "person": context, "places": places, "form": form, "error": error,
        "fields": {k: _t(request, v) for k, v in fields.items()},
        "overlaps": [{**o, "period": _period(o),
                      "status": _t(request, status_rules.TITLES.get(o["status"], o["status"]))}
                     for o in overlaps],
        "codes": sorted(codes.table_for(request.registry).values(), key=lambda c: c.code),
        "sources": [(s, _t(request, SOURCE_TITLES[s])) for s in CHOSEN_SOURCES],
        "means_tests": [(k, _t(request, v)) for k, v in MEANS_TEST_TITLES.items()],
        "labels": {k: _t(request, v) for k, v in LABELS.items()},
    }


def _after_grant(request, benefit, person):
    """The benefit's page, or the person's when the granting body cannot read the register."""
    if request.has_permission(VIEW, benefit):
        return request.resource_path(benefit)
    if request.has_permission(VIEW, person):
        return request.resource_path(person)
    return request.resource_path(request.root)


# -- status changes ------------------------------------------------------------------------
def _change_values(request, context, action, form, error=None, fields=None):
    return {"page_title": _t(request, ACTION_PAGE_TITLES[action]), "benefit": context,
            "action": action, "view_name": request.view_name, "form": form, "error": error,
            "fields": {k: _t(request, v) for k, v in (fields or {}).items()},
            "period": _period(context),
            "status": _t(request, status_rules.TITLES[context.status]),
            "allowed": context.status in status_rules.MOVES[action][0]}


@view_config(context=Benefit, name="sospendi", permission=GRANT_BENEFIT,
             renderer="portal:templates/register/change.pt")
@view_config(context=Benefit, name="riprendi", permission=GRANT_BENEFIT,
             renderer="portal:templates/register/change.pt")
@view_config(context=Benefit, name="concludi", permission=GRANT_BENEFIT,
             renderer="portal:templates/register/change.pt")
@view_config(context=Benefit, name="annulla", permission=GRANT_BENEFIT,
             renderer="portal:templates/register/change.pt")
def change_view(context, request):
    """A confirmation page with a reason; the POST suspends, resumes, ends or cancels."""
    action = ACTIONS[request.view_name]
    if request.method != "POST":
        return _change_values(request, context, action, {"motivo": "", "fine": ""})
    sent = posted.posted(request, CHANGE_FORM)
    problems = {}
    end = None
    if not sent["motivo"]:
        problems["motivo"] = _("Indicare il motivo.")
    if sent["conferma"] != "1":
        problems["conferma"] = _("Confermare l'operazione.")
    if action == "end" and sent["fine"]:
        try:
            end = parse_day(sent["fine"])
        except ValueError:
            problems["fine"] = _("Data non valida: usare 31/01/2025.")
    try:
        if problems:
            raise InvalidBenefit(None, problems)
        before = (context.status, context.end, context.months)
        _checked_end(context, action, end)
        grant.change_status(context, action, request.authenticated_userid, sent["motivo"],
                            registry=request.registry, end=end)
    except RegisterError as exc:
        return _change_values(request, context, action, sent, refuse(request, exc),
                              {"fine" if k == "end" else k: v for k, v in (exc.fields or {}).items()})
    audit.log(request, f"prestazione: {action}", context, reason=sent["motivo"],
              previous=before[0])
    flash(request, ACTION_DONE[action])
    return HTTPSeeOther(request.resource_path(context))


def _checked_end(benefit, action, end):
    """Refuse an end date before the start before anything changes (grant moves the status first)."""
    if action == "end" and isinstance(end, date) and benefit.periodic and end < benefit.start:
        raise InvalidBenefit(None, {"fine": _("La fine è precedente all'inizio.")})
