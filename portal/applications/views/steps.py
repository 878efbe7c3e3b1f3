"""The multi-step application form: people → service → priorities and ISEE (drafts resume).

Each step is a ``FormView`` over a slice of ``ApplicationSchema``; the draft is
saved at every step (with the stale-form check) and the family can come back later.
Attachments and the summary are separate views (``attachments``, ``views``).
"""
import hashlib

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

import workflows.application as wf
from content_types.application import Application, ApplicationSchema
from content_types.errors import ContentError
from content_types.security import EDIT, VIEW
from content_types.validators import normalize_code
from content_types.values import euro, format_when
from portal.applications import services
from portal.applications.household import registered_code
from portal.applications.rules import fiscal
from portal.applications.rules.errors import BenefitError, InvalidFiscalCode, NotEligible
from portal.applications.rules.isee import IseeNotFound
from portal.applications.rules.matching import check_entry, entry_fee
from portal.applications.rules.submission import acquire_isee, service_failures
from portal.i18n import _, joined
from portal.web.content_ops import update_object
from portal.web.forms import FormView

#: step name -> (Italian title, draft fields)
STEPS = {
    "persone": (_("Richiedente e beneficiario"), (
        "applicant_name", "applicant_fiscal_code", "email", "phone", "household_code",
        "beneficiary_name", "beneficiary_fiscal_code", "beneficiary_birth_date",
        "residence_municipality", "residence_region")),
    "servizio": (_("Servizio scelto"), ("catalogue_entry_path", "full_time", "months")),
    "priorita": (_("Priorità e ISEE"), (
        "disability_certified", "priority_continuity", "priority_siblings")),
}
#: every page of the form, in order (the last two are views of their own)
PAGES = (("persone", "@@compila?passo=persone"), ("servizio", "@@compila?passo=servizio"),
         ("priorita", "@@compila?passo=priorita"), ("allegati", "@@allegati"),
         ("riepilogo", "@@riepilogo"))
#: the browser's autofill and the right keyboard for the applicant's own data (WCAG 1.3.5)
INPUT_ATTRIBUTES = {
    "applicant_name": {"autocomplete": "name"},
    "applicant_fiscal_code": {"autocomplete": "off", "spellcheck": "false",
                              "autocapitalize": "characters"},
    "email": {"type": "email", "autocomplete": "email"},
    "phone": {"type": "tel", "autocomplete": "tel"},
    "household_code": {"spellcheck": "false", "autocapitalize": "characters"},
    "beneficiary_name": {"autocomplete": "off"},
    "beneficiary_fiscal_code": {"autocomplete": "off", "spellcheck": "false",
                                "autocapitalize": "characters"},
    "months": {"inputmode": "numeric"},
}
HOUSEHOLD_HELP = _(
    "Il codice famiglia collega le domande dei figli dello stesso nucleo familiare. Il portale "
    "ne propone uno legato al proprio account: usare lo stesso codice in ogni domanda della "
    "famiglia (se l'altro genitore ha già presentato una domanda, indicare il suo).")
REGISTRY_HELP = _(
    "Il codice famiglia è quello del nucleo familiare nell'anagrafica sociale del comune: lo "
    "genera il portale e vale per tutte le domande della famiglia; non si modifica qui.")
PAGE_TITLES = {"persone": _("Persone"), "servizio": _("Servizio"),
               "priorita": _("Priorità e ISEE"), "allegati": _("Allegati"),
               "riepilogo": _("Riepilogo e invio")}


def fiscal_code_node(title):
    """A codice fiscale field whose error says exactly what is wrong."""
    label = str(title)  # the domain's message names the field in Italian

    def validate(node, value):
        try:
            fiscal.validate(value, label[0].lower() + label[1:])
        except InvalidFiscalCode as exc:
            raise colander.Invalid(node, exc.message) from None
    return colander.SchemaNode(colander.String(), title=title, preparer=normalize_code,
                               validator=validate)


def application_url(request, application):
    """The application's path without its trailing slash (the step links add their own)."""
    return request.resource_path(application).rstrip("/")


def step_nav(request, application, current):
    """The step bar: every page, the current one marked."""
    translate = request.localizer.translate
    return [{"name": name, "title": translate(PAGE_TITLES[name]), "current": name == current,
             "url": application_url(request, application) + "/" + link}
            for name, link in PAGES]


def next_page(request, application, step):
    names = [name for name, _link in PAGES]
    following = PAGES[names.index(step) + 1][1]
    return application_url(request, application) + "/" + following


def household_code_for(login):
    """A stable household code proposed for an account (the same for all its applications)."""
    digest = hashlib.sha256((login or "").encode()).hexdigest()[:8].upper()
    return f"FAM-{digest}"


def account_prefill(request, application):
    """The applicant's own data from the account, when the applicant is the one filling in."""
    user = request.user
    if user is None or user.login != application.applicant_login:
        return {}
    return {"applicant_name": user.title, "applicant_fiscal_code": user.fiscal_code,
            "email": user.email}


def editable_or_sent(request, application):
    """None for a draft the user may edit; a redirect to the explanation for a sent one."""
    if application.state != wf.DRAFT:
        return HTTPSeeOther(request.resource_path(application, "@@inviata"))
    if not request.has_permission(EDIT, application):
        raise HTTPForbidden(_("Solo chi ha presentato la domanda (o il suo delegato) può "
                              "modificarla."))
    return None


@view_config(context=Application, name="compila", permission=VIEW,
             renderer="portal:templates/applications/step.pt")
class StepForm(FormView):
    """One step of the draft; «Salva e continua» saves and moves on."""

    buttons = (deform.Button("salva", _("Salva e continua")),)
    cancel_title = _("Torna alla domanda (la bozza resta salvata)")

    def __init__(self, context, request):
        super().__init__(context, request)
        self.step = request.GET.get("passo", "persone")
        self.prefilled = False  # set when the account filled in what the draft lacked
        if self.step not in STEPS:
            raise HTTPNotFound("Passo del modulo inesistente.")

    def __call__(self):
        # Back (or an old link) into a sent application: say so, instead of a 403
        return editable_or_sent(self.request, self.context) or super().__call__()

    def make_schema(self):
        _title, names = STEPS[self.step]
        full = ApplicationSchema()
        schema = colander.SchemaNode(colander.Mapping())
        district = services.district_of(self.context)
        translate = self.request.localizer.translate
        for name in names:
            if name == "applicant_fiscal_code":
                node = fiscal_code_node(_("Codice fiscale del richiedente"))
                node.name = name
            elif name == "beneficiary_fiscal_code":
                node = fiscal_code_node(_("Codice fiscale del beneficiario"))
                node.name = name
            else:
                node = full[name].clone()
            if name in INPUT_ATTRIBUTES:
                node.widget = deform.widget.TextInputWidget(attributes=INPUT_ATTRIBUTES[name])
            if name == "household_code":
                node.description = HOUSEHOLD_HELP
                if self.registry_code() is not None:
                    # the registry's code, shown read-only; saving rewrites it from the registry
                    node.description = REGISTRY_HELP
                    node.widget = deform.widget.TextInputWidget(attributes={
                        **INPUT_ATTRIBUTES[name], "readonly": "readonly"})
            if name == "residence_municipality":
                towns = sorted(services.municipalities(district).items(), key=lambda i: i[1])
                node.widget = deform.widget.SelectWidget(
                    values=[("", translate(_("— scegliere —")))]
                    + [(c, f"{t} ({c})") for c, t in towns]
                    + [("000000", translate(_("Un comune di un altro Ambito")))])
                node.title = _("Comune di residenza")
            elif name == "residence_region":
                node.widget = deform.widget.SelectWidget(
                    values=[("16", "Puglia"), ("00", translate(_("Un'altra regione")))])
                node.title = _("Regione di residenza")
            elif name == "catalogue_entry_path":
                node.widget = deform.widget.SelectWidget(values=self.entry_choices())
            elif name == "months":
                call = services.call_of(self.context)
                # colander fills ${max} with the range's maximum (call.max_months)
                node.validator = colander.Range(
                    1, call.max_months, _("Almeno 1 mese."),
                    _("Al massimo ${max} mesi per questo avviso."))
            schema.add(node)
        return schema

    def entry_choices(self):
        root = self.request.root
        folder = self.context.__parent__
        call = services.call_of(self.context)
        day = services.service_day(call)
        translate = self.request.localizer.translate
        values = [("", translate(_("— scegliere un servizio del catalogo —")))]
        today = services.today()
        for path, entry in services.published_entries(root, folder.district_code):
            # only services the call pays for and the beneficiary's age fits
            if service_failures(self.context, call, entry, today):
                continue
            try:
                fee = euro(entry.tariff_at(day, True))
            except ContentError:
                fee = translate(_("tariffa non disponibile"))
            values.append((path, translate(_(
                "${title} — ${provider} — ${fee}/mese, posti liberi ${free}",
                mapping={"title": entry.title, "provider": entry.provider_title, "fee": fee,
                         "free": entry.free_places}))))
        return values

    def registry_code(self):
        """The applicant's household code in the social registry, or None."""
        if not hasattr(self, "_registry_code"):
            self._registry_code = registered_code(self.request.root, self.context)
        return self._registry_code

    def appstruct(self):
        names = STEPS[self.step][1]
        data = self.context.get_data(names)
        if self.step == "persone" and self.registry_code() is not None:
            data["household_code"] = self.registry_code()
        if self.step == "persone":
            proposed = {**account_prefill(self.request, self.context),
                        "household_code": household_code_for(self.context.applicant_login)}
            for name, value in proposed.items():
                if not data.get(name) and value:
                    data[name] = value
                    self.prefilled = True
        if not data.get("residence_region"):
            data["residence_region"] = "16"
        if not data.get("months"):
            data.pop("months", None)
        return {k: v for k, v in data.items() if v not in (None, "")}

    def version(self):
        return self.context.version_token()

    def extra(self):
        translate = self.request.localizer.translate
        title = translate(STEPS[self.step][0])
        values = {"page_title": translate(_("Domanda — ${title}", mapping={"title": title})),
                  "heading": title,
                  "steps": step_nav(self.request, self.context, self.step),
                  "application": self.context, "isee_text": None, "isee_error": None,
                  "call": services.call_of(self.context), "prefilled": self.prefilled}
        if self.step == "priorita":
            values.update(isee_info(self.context, translate))
        return values

    def refuse(self, appstruct, error):
        # the form helper's way: the error's declared status, the input kept, nothing stored
        return self.reject(error, {**appstruct, "_version": self.version()})

    def success(self, appstruct):
        if self.step == "servizio":
            entry = services.resolve_path(self.request.root, appstruct["catalogue_entry_path"])
            if getattr(entry, "type_name", None) != "CatalogueEntry":
                entry = None
            try:
                check_entry(entry, self.context.__parent__.district_code)
                call = services.call_of(self.context)
                unfit = service_failures(self.context, call, entry, services.today())
                if unfit:
                    raise NotEligible(joined(f.message for f in unfit), unfit)
                entry_fee(entry, services.service_day(call), appstruct.get("full_time", True))
            except BenefitError as exc:
                return self.refuse(appstruct, exc)
            except ContentError as exc:  # the catalogue's own refusals (e.g. no part time)
                return self.refuse(appstruct, exc)
            appstruct["catalogue_entry_uid"] = entry.uid
        appstruct["draft_step"] = self.step
        update_object(self.request, self.context, appstruct)
        return HTTPSeeOther(next_page(self.request, self.context, self.step))


def isee_info(application, translate):
    """The ISEE found for the beneficiary (or the applicant), or why none applies."""
    if not application.beneficiary_fiscal_code:
        return {"isee_text": None,
                "isee_error": translate(_("Indicare prima il codice fiscale del beneficiario."))}
    call = services.call_of(application)
    registry = services.domande_of(application).isee_registry
    try:
        found = acquire_isee(application, call, registry, services.today())
    except (IseeNotFound, BenefitError) as exc:
        return {"isee_text": None, "isee_error": translate(exc.message)}
    return {"isee_text": found.describe(), "isee_error": None}


@view_config(context=Application, name="inviata", permission=VIEW,
             renderer="portal:templates/applications/already_sent.pt")
def already_sent(context, request):
    """Where Back (or a step link) into a sent application lands: it was sent, and when."""
    if context.state == wf.DRAFT:
        return HTTPSeeOther(request.resource_path(context, "@@compila",
                                                  query={"passo": "persone"}))
    translate = request.localizer.translate
    receipt_url = verify_url = None
    if context.receipt_uid:
        verify_url = request.route_path("documents.record", doc_id=context.receipt_uid)
        if services.may_see_documents(request.authenticated_userid, context):
            receipt_url = request.resource_path(context, "@@ricevuta.pdf")
    return {"page_title": translate(_("Domanda già inviata")), "application": context,
            "submitted": format_when(context.submitted_at) if context.submitted_at else "",
            "url": request.resource_path(context), "receipt_url": receipt_url,
            "verify_url": verify_url, "call": services.call_of(context)}
