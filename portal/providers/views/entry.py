"""A catalogue entry's own pages: what a family reads, its PDF, and revisions of tariffs/places."""

import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.application_folder import CallApplicationFolder
from content_types.catalogue_entry import (
    USER_AREAS,
    CatalogueEntry,
    CatalogueEntrySchema,
    RevisionError,
)
from content_types.security import DELETE, EDIT, VIEW
from content_types.service_unit import article_title
from content_types.values import format_date, format_when, rome_today
from portal import audit
from portal.applications import services as application_services
from portal.applications.rules.errors import BenefitError
from portal.applications.rules.from_catalogue import check_entry_for_call
from portal.errors import BadRequest
from portal.i18n import _
from portal.providers.views.pdf import entry_pdf
from portal.web.content_ops import may_delete, workflow_panel
from portal.web.display import format_value, local_time
from portal.web.forms import FormView
from portal.web.layout import flash
from portal.web.posted import posted, schema, text
from workflows.catalogue_entry import ACCREDIT, PUBLISHED, WITHDRAW


def revision_panel(request, entry):
    revision = entry.pending_revision
    return {
        "pending": None if revision is None else {
            "tariff_full": format_value(revision["tariff_full"]),
            "tariff_part": format_value(revision["tariff_part"]),
            "places_offered": revision["places_offered"],
            "effective_from": format_value(revision["effective_from"]),
            "proposed_by": revision["proposed_by"], "reason": revision.get("reason", ""),
            "proposed_at": local_time(revision["proposed_at"]),
        },
        "can_propose": entry.state == PUBLISHED and revision is None
        and bool(request.has_permission(WITHDRAW, entry)),
        "can_decide": revision is not None and bool(request.has_permission(ACCREDIT, entry)),
        "history": [
            {"outcome": r["outcome"], "by": r["decided_by"], "when": local_time(r["decided_at"]),
             "reason": r.get("decision_reason", ""),
             "tariff_full": format_value(r["tariff_full"]),
             "places_offered": r["places_offered"],
             "effective": format_value(r.get("effective"))}
            for r in reversed(entry.revision_history)
        ],
    }


def open_calls(request, entry):
    """The open calls whose voucher pays for ``entry`` in its ATS: where to apply from here."""
    district = next((d for d in getattr(request.root.get("ambiti"), "values", list)()
                     if getattr(d, "code", None) and d.code == entry.district), None)
    domande = district.get("domande") if district is not None else None
    offers, now = [], application_services.now()
    for folder in (domande.values() if domande is not None else ()):
        if not isinstance(folder, CallApplicationFolder):
            continue
        call = application_services.call_of(folder)
        try:
            check_entry_for_call(call, entry, folder.district_code, now)
        except BenefitError:
            continue
        offers.append({"title": call.title, "closes": format_when(call.closes_at),
                       "action": request.resource_path(folder, "@@nuova-domanda"),
                       "call_url": request.resource_path(folder),
                       "entry_path": request.resource_path(entry).rstrip("/")})
    return offers


@view_config(context=CatalogueEntry, name="", permission=VIEW, request_method="GET",
             renderer="portal:templates/providers/entry.pt")
def entry_page(context, request):
    unit, provider = context.unit, context.provider
    return {
        "page_title": context.title,
        "entry": context,
        "unit": unit,
        "provider": provider,
        "area": USER_AREAS.get(context.user_area, ""),
        "article": article_title(unit.regulatory_article) if unit else "",
        "fmt": format_value,
        "tariffs": [{"effective": format_value(r.effective),
                     "full": format_value(r.full_time), "part": format_value(r.part_time)}
                    for r in reversed(context.tariff_history())],
        "workflow": workflow_panel(request, context),
        "revision": revision_panel(request, context),
        "can_edit": bool(request.has_permission(EDIT, context)),
        "can_delete": bool(request.has_permission(DELETE, context)) and may_delete(request,
                                                                                   context),
        "pdf_url": request.resource_path(context, "@@scheda.pdf"),
        "catalogue_url": request.resource_path(request.root["catalogo"]),
        "open_calls": open_calls(request, context) if context.state == PUBLISHED else [],
        "login_url": None if request.user else request.resource_path(
            request.root, "@@accedi", query={"came_from": request.resource_path(context)}),
    }


@view_config(context=CatalogueEntry, name="scheda.pdf", permission=VIEW, request_method="GET")
def entry_pdf_view(context, request):
    service = request.documents
    header = service.header(title=f"Scheda del servizio: {context.title}",
                            subject="Catalogo telematico dell'offerta")
    body = entry_pdf(header, context, request.resource_url(context))
    filename = f"scheda-{context.__name__}.pdf"
    response = Response(body, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _entry_field(name):
    return CatalogueEntrySchema()[name].clone()


class RevisionSchema(colander.MappingSchema):
    tariff_full = _entry_field("tariff_full")
    tariff_part = _entry_field("tariff_part")
    places_offered = _entry_field("places_offered")
    effective_from = colander.SchemaNode(
        colander.Date(), title=_("In vigore dal"),
        description=_("Non prima dell'approvazione regionale: le mensilità passate restano "
                      "alla tariffa precedente."))
    reason = colander.SchemaNode(
        colander.String(), title=_("Motivazione"), missing="",
        validator=colander.Length(max=2000), widget=deform.widget.TextAreaWidget(rows=2))


@view_config(context=CatalogueEntry, name="proponi-modifica", permission=WITHDRAW,
             renderer="portal:templates/form.pt")
class ProposeRevision(FormView):
    """A provider changes tariffs or places of a published entry: it needs re-approval."""

    buttons = (deform.Button("proponi", _("Invia la modifica alla Regione")),)

    def __init__(self, context, request):
        super().__init__(context, request)
        if context.state != PUBLISHED:
            raise BadRequest(_("Solo le voci pubblicate si modificano con una revisione."))

    def make_schema(self):
        return RevisionSchema()

    def appstruct(self):
        values = {"tariff_full": self.context.tariff_full,
                  "places_offered": self.context.places_offered,
                  "effective_from": rome_today()}
        if self.context.tariff_part is not None:
            values["tariff_part"] = self.context.tariff_part
        return values

    def version(self):
        return self.context.modified.isoformat() if self.context.modified else ""

    def extra(self):
        translate = self.request.localizer.translate
        return {"page_title": translate(_("Modifica tariffe e posti: ${title}",
                                          mapping={"title": self.context.title})),
                "intro": translate(_("La voce pubblicata resta visibile con i valori attuali "
                                     "finché la Regione non approva la modifica."))}

    def success(self, appstruct):
        try:
            self.context.propose_revision(
                appstruct["tariff_full"], appstruct["tariff_part"], appstruct["places_offered"],
                appstruct["effective_from"], self.request.authenticated_userid,
                appstruct.get("reason", ""))
        except RevisionError as exc:
            return self.reject(exc)
        self.context.touch()
        audit.log(self.request, "revisione proposta", self.context,
                  tariff_full=str(appstruct["tariff_full"]),
                  places=appstruct["places_offered"])
        flash(self.request, _("Modifica inviata alla Regione per l'approvazione."))
        return HTTPSeeOther(self.request.resource_path(self.context))


#: the Region's decision on a proposed revision
DECISION = schema(text("decisione", strip=False), text("motivazione", strip=False))


@view_config(context=CatalogueEntry, name="decidi-modifica", permission=ACCREDIT,
             request_method="POST")
def decide_revision(context, request):
    sent = posted(request, DECISION)
    decision, reason = sent["decisione"], sent["motivazione"]
    who = request.authenticated_userid
    try:
        if decision == "approva":
            decided = context.approve_revision(who)
            flash(request, _("Modifica approvata: in vigore dal ${date}.",
                             mapping={"date": format_date(decided["effective"])}))
        elif decision == "respingi":
            context.reject_revision(who, reason)
            flash(request, _("Modifica respinta."), "warning")
        else:
            raise BadRequest(_("Indicare la decisione."), {"decisione": "approva o respingi"})
    except RevisionError as exc:
        raise BadRequest(exc.message, {"motivazione": exc.message}) from None
    audit.log(request, f"revisione {decision}", context, reason=reason[:500])
    request.skip_audit = True
    return HTTPSeeOther(request.resource_path(context))
