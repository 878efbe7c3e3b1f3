"""The call's page in plain Italian, the Region's call authoring, new versions and their differences."""
from datetime import UTC
from itertools import pairwise

import colander
import deform
import deform.widget
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from content_types.call import (
    INTEGRATION_DAYS_DEFAULT,
    INTEGRATION_DAYS_MAX,
    MATCHING_DAYS_DEFAULT,
    MATCHING_DAYS_MAX,
    Call,
    CallPublished,
)
from content_types.catalogue_entry import SERVICE_TYPES
from content_types.district import District
from content_types.folder import Folder
from content_types.region import Region
from content_types.security import ADD_CONTENT, EDIT, VIEW
from content_types.values import ROME, utcnow
from portal import audit
from portal.applications import call_versions
from portal.applications.rules import call_rules, call_text
from portal.applications.rules.eligibility import TARGETS
from portal.applications.rules.isee import ISEE_TYPES
from portal.applications.rules.ranking import KEY_FIELDS
from portal.i18n import _, translate
from portal.web.forms import FormView
from portal.web.layout import flash

ORDERS = (("asc", _("crescente (prima il valore più basso)")),
          ("desc", _("decrescente (prima il valore più alto)")))
SCHEME_TITLES = (("children", _("Quota fissa più percentuale della tariffa (minori)")),
                 ("elderly", _("Copertura della tariffa al netto della franchigia (anziani e "
                               "persone con disabilità)")))


def districts(root):
    """``{code: title}`` of every ATS, in the tree's order."""
    ambiti = root.get("ambiti") if hasattr(root, "get") else None
    return {d.code: d.title for d in (ambiti.values() if ambiti is not None else ())
            if isinstance(d, District)}


def versions_of(call):
    """Every version of ``call``'s series kept beside it, oldest first."""
    folder = call.__parent__
    found = [c for c in (folder.values() if folder is not None else (call,))
             if isinstance(c, Call) and c.series == call.series]
    return sorted(found, key=lambda c: c.version)


# -- the page ------------------------------------------------------------------------------
@view_config(context=Call, permission=VIEW, renderer="portal:templates/applications/call.pt")
def call_view(context, request):
    def tr(items):
        return [translate(request, item) for item in items]

    titles = districts(request.root)
    state = call_text.window_state(context, utcnow())
    apply_links = []
    if state == call_text.OPEN:
        for district in request.root["ambiti"].values():
            folder = (district.get("domande") or {}).get(context.code) if isinstance(
                district, District) and district.get("domande") is not None else None
            if folder is not None:
                apply_links.append({"title": district.title, "url": request.resource_path(folder)})
    superseded = None
    if context.superseded_by_uid:
        superseded = next((c for c in versions_of(context)
                           if c.uid == context.superseded_by_uid), None)
    return {
        "page_title": context.title, "call": context,
        "eligibility": tr(call_text.eligibility_lines(context)),
        "isee": tr(call_text.isee_lines(context)),
        "copayment": tr(call_text.copayment_lines(context)),
        "bands": [{**row, "to": translate(request, row["to"])}
                  for row in call_text.band_rows(context)],
        "elderly": (context.copayment or {}).get("scheme") == "elderly",
        "ranking": tr(call_text.ranking_lines(context)),
        "dates": tr(call_text.date_lines(context)),
        "budgets": [{**row, "district": translate(request, row["district"])}
                    for row in call_text.budget_rows(context, titles)],
        "version": tr(call_text.version_lines(context)),
        "window_open": state == call_text.OPEN,
        "window": translate(request, call_text.window_message(context, utcnow())),
        "apply_links": apply_links,
        "has_versions": len(versions_of(context)) > 1,
        "superseded": superseded,
        "can_edit": bool(request.has_permission(EDIT, context)),
        "new_call_url": new_call_url(request, context),
    }


def new_call_url(request, obj):
    """The Region's «Nuovo avviso» form seen from ``obj`` (also «Aggiungi → Avviso»), if allowed."""
    region = next((o for o in _lineage(obj) if isinstance(o, Region)), None)
    if region is None or not request.has_permission(ADD_CONTENT, region):
        return None
    return request.resource_path(region, "@@nuovo-avviso")


def _lineage(obj):
    while obj is not None:
        yield obj
        obj = getattr(obj, "__parent__", None)


@view_config(context=Call, name="versioni", permission=VIEW,
             renderer="portal:templates/applications/call_versions.pt")
def versions_view(context, request):
    titles = districts(request.root)
    chain = versions_of(context)
    steps = []
    for old, new in pairwise(chain):
        steps.append({
            "version": new.version, "reason": new.correction_reason,
            "url": request.resource_path(new), "old_url": request.resource_path(old),
            "changes": [{"label": translate(request, label), "before": translate(request, a),
                         "after": translate(request, b)}
                        for label, a, b in call_text.differences(old, new, titles)],
            "bands_changed": call_text.bands_changed(old, new),
            "bands_before": call_text.band_rows(old), "bands_after": call_text.band_rows(new),
        })
    for step in steps:
        for rows in (step["bands_before"], step["bands_after"]):
            for row in rows:
                row["to"] = translate(request, row["to"])
        step["sides"] = ((translate(request, _("Fasce prima")), step["bands_before"]),
                         (translate(request, _("Fasce dopo")), step["bands_after"]))
    return {"page_title": translate(request, _("Versioni dell'avviso «${title}»",
                                               mapping={"title": context.title})),
            "call": context, "steps": list(reversed(steps))}


# -- the authoring form ----------------------------------------------------------------------
def _money(name, title, missing=None):
    return colander.SchemaNode(colander.Decimal(quant="0.01"), name=name, title=title,
                               missing=missing)


class BandSchema(colander.MappingSchema):
    # names match call_rules' band keys: "from" is a keyword, hence the name= argument
    start = colander.SchemaNode(colander.Decimal(quant="0.01"), name="from", title="ISEE da (€)")
    end = colander.SchemaNode(colander.Decimal(quant="0.01"), name="to", title="ISEE fino a (€)",
                              missing=None, description="Vuoto: senza limite (solo l'ultima)")
    fixed = colander.SchemaNode(colander.Decimal(quant="0.01"), title="Quota fissa mensile (€)",
                                missing=None)
    share = colander.SchemaNode(colander.Decimal(), title="Quota a carico della famiglia (%)")


class BandsSchema(colander.SequenceSchema):
    band = BandSchema(title="Fascia")


class KeySchema(colander.MappingSchema):
    field = colander.SchemaNode(
        colander.String(), title="Criterio",
        widget=deform.widget.SelectWidget(values=list(KEY_FIELDS.items())))
    order = colander.SchemaNode(
        colander.String(), title="Ordine",
        widget=deform.widget.SelectWidget(values=list(ORDERS)))


class KeysSchema(colander.SequenceSchema):
    key = KeySchema(title="Criterio")


class RomeDateTime(colander.DateTime):
    """A date-time typed in Rome's local time, stored as UTC."""

    def __init__(self):
        super().__init__(default_tzinfo=ROME)

    def serialize(self, node, appstruct):
        if appstruct:
            appstruct = appstruct.astimezone(ROME).replace(tzinfo=None)
        return super().serialize(node, appstruct)

    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        return value.astimezone(UTC) if value is not colander.null else value


def call_schema(district_titles, *, with_code=True, with_reason=False):
    """The whole authoring form: every rule of a call, one money input per ATS."""
    schema = colander.SchemaNode(colander.Mapping())
    if with_reason:
        schema.add(colander.SchemaNode(
            colander.String(), name="reason", title="Motivo della nuova versione",
            widget=deform.widget.TextAreaWidget(rows=3),
            missing_msg="Indicare il motivo della correzione.",
            validator=colander.Length(min=3, max=2000,
                                      min_err="Indicare il motivo della correzione.")))
    schema.add(colander.SchemaNode(colander.String(), name="title", title="Titolo",
                                   validator=colander.Length(1, 200)))
    schema.add(colander.SchemaNode(colander.String(), name="description", title="Descrizione",
                                   missing="", widget=deform.widget.TextAreaWidget(rows=3)))
    if with_code:
        schema.add(colander.SchemaNode(
            colander.String(), name="code", title="Codice dell'avviso (nell'indirizzo)",
            validator=colander.Regex(r"^[a-z0-9][a-z0-9-]{1,59}$",
                                     "Usare lettere minuscole, cifre e trattini.")))
    schema.add(colander.SchemaNode(
        colander.String(), name="target", title="Destinatari",
        widget=deform.widget.SelectWidget(values=[("", "—")] + [
            (code, title) for code, (title, _low, _high) in TARGETS.items()])))
    schema.add(colander.SchemaNode(
        colander.Set(), name="isee_types", title="Tipi di ISEE ammessi",
        widget=deform.widget.CheckboxChoiceWidget(values=list(ISEE_TYPES.items()))))
    schema.add(_money("isee_max", "Soglia ISEE (€)"))
    schema.add(_money("restricted_isee_max", "Soglia ISEE socio-sanitario, nucleo ristretto (€)"))
    schema.add(colander.SchemaNode(
        colander.String(), name="residence_region", title="Residenza richiesta", missing="",
        widget=deform.widget.SelectWidget(values=[("", "Nessun vincolo regionale")] + sorted(
            call_text.REGIONS.items(), key=lambda item: item[1]))))
    for name, title in (("age_min_months", "Età minima (mesi)"),
                        ("age_max_months", "Età massima esclusa (mesi)")):
        schema.add(colander.SchemaNode(colander.Integer(), name=name, title=title, missing=None,
                                       validator=colander.Range(0, 1500)))
    schema.add(colander.SchemaNode(colander.Date(), name="age_reference",
                                   title="Data di riferimento per l'età", missing=None))
    schema.add(colander.SchemaNode(colander.Boolean(), name="disability_required",
                                   title="Richiede una disabilità certificata", missing=False))
    schema.add(colander.SchemaNode(colander.Boolean(), name="reject_discrepancies",
                                   title="Esclude gli ISEE con omissioni o difformità",
                                   missing=False))
    schema.add(colander.SchemaNode(
        colander.Set(), name="service_types", title="Servizi finanziati", missing=(),
        description="Nessuna scelta: i servizi previsti per i destinatari",
        widget=deform.widget.CheckboxChoiceWidget(values=[(s.code, s.title)
                                                          for s in SERVICE_TYPES])))
    schema.add(colander.SchemaNode(
        colander.String(), name="scheme", title="Schema di compartecipazione",
        widget=deform.widget.SelectWidget(values=list(SCHEME_TITLES))))
    schema.add(_money("free_up_to", "Gratuito fino a ISEE (€)"))
    schema.add(_money("franchigia", "Franchigia mensile (€)"))
    schema.add(BandsSchema(name="bands", title="Fasce di compartecipazione",
                           widget=deform.widget.SequenceWidget(min_len=1)))
    schema.add(KeysSchema(name="ranking_keys", title="Criteri di graduatoria, in ordine",
                          widget=deform.widget.SequenceWidget(min_len=1)))
    schema.add(colander.SchemaNode(colander.Boolean(), name="allow_skipping", missing=False,
                                   title="Consente di finanziare le domande successive che "
                                         "rientrano nei fondi"))
    budgets = colander.SchemaNode(colander.Mapping(), name="budgets", title="Budget per Ambito")
    for code, title in district_titles.items():
        budgets.add(_money(code, f"{title} (€)"))
    schema.add(budgets)
    schema.add(colander.SchemaNode(colander.Date(), name="period_start",
                                   title="Inizio del periodo del servizio"))
    schema.add(colander.SchemaNode(colander.Date(), name="period_end",
                                   title="Fine del periodo del servizio"))
    schema.add(colander.SchemaNode(RomeDateTime(), name="opens_at",
                                   title="Apertura delle domande (ora italiana)"))
    schema.add(colander.SchemaNode(RomeDateTime(), name="closes_at",
                                   title="Chiusura delle domande (ora italiana)"))
    schema.add(colander.SchemaNode(colander.Integer(), name="max_months",
                                   title="Mesi massimi finanziabili",
                                   validator=colander.Range(1, 12)))
    schema.add(colander.SchemaNode(colander.Integer(), name="matching_days",
                                   title="Giorni per l'abbinamento", missing=MATCHING_DAYS_DEFAULT,
                                   validator=colander.Range(1, MATCHING_DAYS_MAX)))
    schema.add(colander.SchemaNode(colander.Integer(), name="integration_days",
                                   title="Giorni per le integrazioni",
                                   missing=INTEGRATION_DAYS_DEFAULT,
                                   validator=colander.Range(1, INTEGRATION_DAYS_MAX)))

    def validator(node, value):
        call_rules.raise_invalid(node, call_rules.problems(value, tuple(district_titles)))

    schema.validator = validator
    return schema


class CallFormBase(FormView):
    buttons = (deform.Button("salva", _("Salva")),)
    with_code = True
    with_reason = False

    def make_schema(self):
        return call_schema(districts(self.request.root), with_code=self.with_code,
                           with_reason=self.with_reason)

    def appstruct(self):
        data = {k: v for k, v in self.start().items() if v is not None}
        data.setdefault("ranking_keys", [{"field": "priority", "order": "desc"},
                                         {"field": "isee", "order": "asc"},
                                         {"field": "submitted_at", "order": "asc"}])
        data.setdefault("bands", [{"from": 0}])
        data["bands"] = [{k: v for k, v in b.items() if v is not None} for b in data["bands"]]
        return data

    def start(self):
        return {}

    def budgets_of(self, appstruct):
        return {code: value for code, value in (appstruct.get("budgets") or {}).items()
                if value is not None}


@view_config(context=Region, name="nuovo-avviso", permission=ADD_CONTENT,
             renderer="portal:templates/form.pt")
class NewCallForm(CallFormBase):
    """The Region writes a new call (a draft, published later from its page)."""

    def extra(self):
        return {"page_title": translate(self.request, _("Nuovo avviso")),
                "intro": translate(self.request, _(
                    "L'avviso resta in bozza finché non lo si pubblica dalla sua pagina."))}

    def success(self, appstruct):
        avvisi = self.context.get("avvisi")
        if avvisi is None:
            avvisi = Folder(title="Avvisi", creator=self.request.authenticated_userid)
            self.context.add("avvisi", avvisi, registry=self.request.registry)
        if appstruct["code"] in avvisi:
            return self.reject(call_rules.InvalidRules(
                _("Esiste già un avviso con il codice «${code}».",
                  mapping={"code": appstruct["code"]})), appstruct)
        data = call_rules.to_call_data(appstruct)
        budgets = data.pop("budgets")
        call = Call(title=data.pop("title"), creator=self.request.authenticated_userid, **data)
        for code, value in budgets.items():
            call.set_budget(code, value, reason="", who=self.request.authenticated_userid)
        avvisi.add(call.code, call, registry=self.request.registry)
        audit.log(self.request, "nuovo avviso", call)
        flash(self.request, _("Avviso «${title}» creato in bozza.", mapping={"title": call.title}))
        return HTTPSeeOther(self.request.resource_path(call))


class ExistingCallForm(CallFormBase):
    """A form over a stored call: its rules as the start, its last change as the version."""

    def start(self):
        return call_rules.from_call(self.context)

    def version(self):
        return str(self.context.modified.timestamp()) if self.context.modified else ""


@view_config(context=Call, name="nuova-versione", permission=EDIT,
             renderer="portal:templates/form.pt")
class NewVersionForm(ExistingCallForm):
    """A correction of a published call: its rules as a start, a reason, published in place."""

    with_code = False
    with_reason = True
    buttons = (deform.Button("pubblica", _("Pubblica la nuova versione")),)

    def extra(self):
        return {"page_title": translate(self.request, _(
                    "Nuova versione dell'avviso «${title}»", mapping={"title": self.context.title})),
                "intro": translate(self.request, _(
                    "Le domande già inviate restano legate alla versione con cui sono state "
                    "presentate; la nuova versione sostituisce questa allo stesso indirizzo."))}

    def success(self, appstruct):
        if not self.context.current:
            return self.reject(call_rules.InvalidRules(_(
                "Solo la versione in vigore di un avviso pubblicato si corregge con una nuova "
                "versione.")), appstruct)
        reason = appstruct.pop("reason")
        data = call_rules.to_call_data({**appstruct, "code": self.context.code})
        budgets = data.pop("budgets")
        who = self.request.authenticated_userid
        new = call_versions.publish_new_version(self.request.root, self.context, reason, who, data,
                                           budgets, self.request.registry)
        audit.log(self.request, "nuova versione avviso", new, reason=reason)
        flash(self.request, _("Pubblicata la versione ${version} dell'avviso.",
                              mapping={"version": new.version}))
        return HTTPSeeOther(self.request.resource_path(new))


@view_config(context=Call, name="regole", permission=EDIT, renderer="portal:templates/form.pt")
class DraftRulesForm(ExistingCallForm):
    """Every rule of a draft call, edited directly (a published call needs a new version)."""

    with_code = False

    def extra(self):
        return {"page_title": translate(self.request, _(
            "Regole dell'avviso «${title}»", mapping={"title": self.context.title}))}

    def success(self, appstruct):
        if self.context.published:
            return self.reject(CallPublished(_(
                "L'avviso è pubblicato: per correggerne le regole creare una nuova versione.")),
                appstruct)
        data = call_rules.to_call_data({**appstruct, "code": self.context.code})
        budgets = data.pop("budgets")
        data.pop("code")
        self.context.set_data(data)
        who = self.request.authenticated_userid
        for code, value in budgets.items():
            if str(value) != self.context.budget_for(code):
                self.context.set_budget(code, value, reason="", who=who)
        audit.log(self.request, "regole avviso in bozza", self.context)
        flash(self.request, _("Regole dell'avviso salvate."))
        return HTTPSeeOther(self.request.resource_path(self.context))
