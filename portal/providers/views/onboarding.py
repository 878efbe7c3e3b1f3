"""Provider onboarding: self-registration, activation by the Region, colleague invitations."""
import hashlib
import re

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.traversal import resource_path
from pyramid.view import view_config

from content_types.events import LocalRolesChanged
from content_types.folder import ProviderFolder
from content_types.provider import Provider, ProviderSchema
from content_types.schemas import strip
from content_types.security import ADD_CONTENT, EDIT, PROVIDER, set_local_roles
from content_types.users import User, password_strength
from content_types.validators import fiscal_code, normalize_code
from portal import audit
from portal.errors import BadRequest
from portal.i18n import _
from portal.providers.registrations import (
    ACTIVATED,
    PENDING,
    REJECTED,
    STATUS_TITLES,
    Invitation,
    Registration,
    invitations,
    new_token,
    pending_tax_codes,
    registrations,
)
from portal.web.display import local_time
from portal.web.forms import FormView
from portal.web.layout import flash
from portal.web.posted import posted, schema, text

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
PROVIDER_FIELDS = ("title", "tax_code", "pec", "address", "legal_representative",
                   "legal_representative_cf", "ats_code")


def _login_node():
    return colander.SchemaNode(
        colander.String(), name="login", title=_("Nome utente"), preparer=strip,
        description=_("Da 3 a 40 caratteri: lettere minuscole, cifre, punto, trattino"),
        validator=colander.Regex(LOGIN.pattern, _("Nome utente non valido: usare da 3 a 40 "
                                                  "lettere minuscole, cifre, «.», «-» o «_».")))


def _operator_nodes(with_identity=True):
    nodes = [_login_node()]
    if with_identity:
        nodes += [
            colander.SchemaNode(colander.String(), name="operator_title",
                                title=_("Nome e cognome dell'operatore"), preparer=strip,
                                validator=colander.Length(min=3, max=200)),
            colander.SchemaNode(colander.String(), name="email",
                                title=_("E-mail dell'operatore"), preparer=strip,
                                validator=colander.Email(_("Indirizzo e-mail non valido."))),
        ]
    nodes += [
        colander.SchemaNode(colander.String(), name="operator_fiscal_code",
                            title=_("Codice fiscale dell'operatore"), preparer=normalize_code,
                            validator=fiscal_code),
        colander.SchemaNode(colander.String(), name="password", title=_("Password"),
                            widget=deform.widget.CheckedPasswordWidget(),
                            validator=colander.All(colander.Length(min=1), password_strength)),
    ]
    return nodes


def _login_free(node, appstruct, users):
    login = appstruct.get("login")
    if login and login in users:
        exc = colander.Invalid(node, _("Controllare i campi evidenziati."))
        exc["login"] = _("Nome utente già in uso: sceglierne un altro.")
        raise exc


def registration_schema():
    """Provider legal data (all required here) and the first operator's account."""
    base = ProviderSchema()
    schema = colander.SchemaNode(colander.Mapping(), validator=_registration_checks)
    for name in PROVIDER_FIELDS:
        node = base[name].clone()
        if name in ("address", "legal_representative", "ats_code"):
            node.missing = colander.required
        schema.add(node)
    schema["title"].title = _("Denominazione (ragione sociale)")
    schema["pec"].title = _("PEC dell'ente")
    for node in _operator_nodes():
        schema.add(node)
    return schema


def _registration_checks(node, appstruct):
    folder = node.bindings["context"]
    portal = folder.__parent__
    _login_free(node, appstruct, portal["utenti"])
    tax_code = appstruct.get("tax_code")
    known = {getattr(p, "tax_code", "") for p in folder.values()} | pending_tax_codes(folder)
    if tax_code in known:
        exc = colander.Invalid(node, _("Controllare i campi evidenziati."))
        exc["tax_code"] = _("Un ente con questo codice è già registrato o in attesa di "
                            "attivazione.")
        raise exc


def _new_user(request, login, title, email, fiscal, password, active):
    user = User(title=title, email=email, fiscal_code=fiscal, roles=(), creator=login)
    user.set_password(password)
    user.active = active
    request.root["utenti"].add(login, user, registry=request.registry)
    return user


@view_config(context=ProviderFolder, name="registrazione-ente",
             permission=NO_PERMISSION_REQUIRED, renderer="portal:templates/form.pt")
class RegisterProvider(FormView):
    """Anyone may ask: nothing is public and no one can log in until the Region activates."""

    buttons = (deform.Button("registra", _("Invia la richiesta")),)

    def make_schema(self):
        return registration_schema()

    def extra(self):
        translate = self.request.localizer.translate
        return {"page_title": translate(_("Registrazione di un ente gestore")),
                "intro": translate(_("Dati legali dell'ente e account del primo operatore. Un "
                                     "funzionario regionale verifica i dati e attiva l'account; "
                                     "le comunicazioni arrivano all'indirizzo PEC indicato."))}

    def success(self, appstruct):
        provider_data = {name: appstruct[name] for name in PROVIDER_FIELDS}
        _new_user(self.request, appstruct["login"], appstruct["operator_title"],
                  appstruct["email"], appstruct["operator_fiscal_code"], appstruct["password"],
                  active=False)
        registration = Registration(provider_data, appstruct["login"],
                                    appstruct["operator_title"])
        registrations(self.context, create=True)[registration.id] = registration
        audit.log(self.request, "registrazione ente", self.context,
                  provider=provider_data["title"], tax_code=provider_data["tax_code"],
                  login=appstruct["login"])
        self.request.skip_audit = True
        flash(self.request, _("Richiesta di registrazione inviata: riceverà l'esito via PEC "
                              "dopo la verifica regionale."))
        return HTTPSeeOther(self.request.resource_path(self.context))


@view_config(context=ProviderFolder, name="richieste-registrazione", permission=ADD_CONTENT,
             request_method="GET", renderer="portal:templates/providers/registrations.pt")
def registration_requests(context, request):
    store = registrations(context) or {}
    items = sorted(store.values(), key=lambda r: r.created, reverse=True)
    return {
        "page_title": request.localizer.translate(_("Richieste di registrazione degli enti")),
        "pending": [_describe(request, r) for r in items if r.status == PENDING],
        "decided": [_describe(request, r) for r in items if r.status != PENDING][:50],
        "action": request.resource_path(context, "@@decidi-registrazione"),
    }


def _describe(request, registration):
    data = registration.provider_data
    status = STATUS_TITLES.get(registration.status)
    return {"id": registration.id, "title": registration.title,
            "tax_code": data.get("tax_code"), "pec": data.get("pec"),
            "address": data.get("address"), "ats_code": data.get("ats_code"),
            "legal_representative": data.get("legal_representative"),
            "login": registration.login, "operator": registration.operator_title,
            "created": local_time(registration.created),
            "status": request.localizer.translate(status) if status else registration.status,
            "decided_by": registration.decided_by, "reason": registration.reason,
            "decided_at": local_time(registration.decided_at)
            if registration.decided_at else ""}


#: the Region's decision on a registration request
DECISION = schema(text("id", strip=False), text("decisione", strip=False), text("motivazione"))


@view_config(context=ProviderFolder, name="decidi-registrazione", permission=ADD_CONTENT,
             request_method="POST")
def decide_registration(context, request):
    store = registrations(context) or {}
    sent = posted(request, DECISION)
    registration = store.get(sent["id"])
    if registration is None or registration.status != PENDING:
        raise HTTPNotFound("Richiesta inesistente o già decisa.")
    decision = sent["decisione"]
    who = request.authenticated_userid
    users = request.root["utenti"]
    if decision == "attiva":
        provider = Provider(title=registration.title, creator=who)
        provider.set_data(registration.provider_data)
        set_local_roles(provider, "user:" + registration.login, {PROVIDER})
        context.add(context.choose_name(provider.title), provider, registry=request.registry)
        user = users.get(registration.login)
        if user is not None:
            user.active = True
        registration.decide(ACTIVATED, who, provider_path=resource_path(provider))
        flash(request, _("Ente «${title}» attivato; l'operatore «${login}» può accedere.",
                         mapping={"title": provider.title, "login": registration.login}))
    elif decision == "respingi":
        reason = sent["motivazione"]
        if not reason:
            raise BadRequest(_("Indicare il motivo del rifiuto."),
                             {"motivazione": "Obbligatoria."})
        if registration.login in users:
            users.remove(registration.login, registry=request.registry)
        registration.decide(REJECTED, who, reason=reason[:2000])
        flash(request, _("Richiesta di «${title}» respinta.", mapping={"title": registration.title}),
              "warning")
    else:
        raise BadRequest(_("Indicare la decisione."), {"decisione": "attiva o respingi"})
    audit.log(request, f"registrazione ente: {registration.status}", context,
              provider=registration.title, login=registration.login)
    request.skip_audit = True
    return HTTPSeeOther(request.resource_path(context, "@@richieste-registrazione"))


class InviteSchema(colander.MappingSchema):
    title = colander.SchemaNode(colander.String(), title=_("Nome e cognome del collega"),
                                preparer=strip, validator=colander.Length(min=3, max=200))
    email = colander.SchemaNode(colander.String(), title=_("E-mail del collega"), preparer=strip,
                                validator=colander.Email(_("Indirizzo e-mail non valido.")))


def token_key(token):
    """Invitations are stored under a hash: the database never holds a usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


@view_config(context=Provider, name="invita", permission=EDIT,
             renderer="portal:templates/form.pt")
class InviteColleague(FormView):
    buttons = (deform.Button("invita", _("Crea l'invito")),)

    def make_schema(self):
        return InviteSchema()

    def extra(self):
        translate = self.request.localizer.translate
        return {"page_title": translate(_("Invita un collega — ${title}",
                                          mapping={"title": self.context.title})),
                "intro": translate(_("Il collega riceve un link personale, valido 7 giorni e "
                                     "utilizzabile una volta, per creare il proprio account di "
                                     "operatore di questo ente."))}

    def success(self, appstruct):
        invitation = Invitation(appstruct["title"], appstruct["email"],
                                self.request.authenticated_userid)
        token = new_token()
        invitations(self.context, create=True)[token_key(token)] = invitation
        link = self.request.resource_url(self.context, "@@invito", query={"token": token})
        audit.log(self.request, "invito operatore", self.context, email=appstruct["email"])
        self.request.skip_audit = True
        flash(self.request, _("Invito creato per ${email}. Link da inviare: ${link}",
                              mapping={"email": appstruct["email"], "link": link}), "info")
        return HTTPSeeOther(self.request.resource_path(self.context))


def _invitation(request, provider):
    token = request.GET.get("token", "")
    store = invitations(provider)
    invitation = store.get(token_key(token)) if store is not None and token else None
    if invitation is None or not invitation.usable():
        raise HTTPNotFound("Invito inesistente, già usato o scaduto.")
    return invitation


@view_config(context=Provider, name="invito", permission=NO_PERMISSION_REQUIRED,
             renderer="portal:templates/form.pt")
class AcceptInvitation(FormView):
    buttons = (deform.Button("crea", _("Crea il mio account")),)

    def __init__(self, context, request):
        super().__init__(context, request)
        self.invitation = _invitation(request, context)

    def make_schema(self):
        users = self.request.root["utenti"]
        schema = colander.SchemaNode(
            colander.Mapping(), validator=lambda node, value: _login_free(node, value, users))
        for node in _operator_nodes(with_identity=False):
            schema.add(node)
        return schema

    def extra(self):
        translate = self.request.localizer.translate
        return {"page_title": translate(_("Invito — ${title}", mapping={"title": self.context.title})),
                "intro": translate(_("${name}, è stato invitato da «${invited_by}» come operatore "
                                     "di «${title}». Scelga nome utente e password.",
                                     mapping={"name": self.invitation.title,
                                              "invited_by": self.invitation.invited_by,
                                              "title": self.context.title}))}

    def success(self, appstruct):
        login = appstruct["login"]
        _new_user(self.request, login, self.invitation.title, self.invitation.email,
                  appstruct["operator_fiscal_code"], appstruct["password"], active=True)
        set_local_roles(self.context, "user:" + login, {PROVIDER})
        self.request.registry.notify(LocalRolesChanged(self.context, self.request))
        self.invitation.use(login)
        audit.log(self.request, "invito accettato", self.context, login=login)
        self.request.skip_audit = True
        flash(self.request, _("Account creato: ora è possibile accedere."))
        return HTTPSeeOther(self.request.resource_path(self.request.root, "@@accedi"))
