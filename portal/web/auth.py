"""Login, logout and password change."""
import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED, forget, remember
from pyramid.view import view_config

from content_types.portal_root import Portal
from content_types.security import VIEW
from content_types.users import MIN_PASSWORD_LENGTH, password_strength
from portal import audit
from portal.errors import ValidationFailed
from portal.i18n import _
from portal.security import sessions, throttle
from portal.security.client import client_address
from portal.security.events import LoggedIn
from portal.security.login import LoginError, authenticate
from portal.web.forms import FormView
from portal.web.layout import flash


def safe_came_from(request, value):
    """Only local paths: never redirect to another site after login."""
    if (value and value.startswith("/") and not value.startswith("//") and "\\" not in value
            and value.isascii() and value.isprintable()):  # no CR/LF: header injection
        return value
    return request.resource_path(request.root)


def landing(request, came_from):
    """After login: back where the user was, else (nothing, or the home page) the personal area."""
    home = request.resource_path(request.root)
    if not came_from or came_from in (home, home.rstrip("/")):
        return request.resource_path(request.root, "@@area-personale")
    return safe_came_from(request, came_from)


class LoginSchema(colander.MappingSchema):
    login = colander.SchemaNode(colander.String(), title=_("Nome utente"),
                                validator=colander.Length(max=100))
    password = colander.SchemaNode(colander.String(), title=_("Password"),
                                   widget=deform.widget.PasswordWidget(),
                                   validator=colander.Length(max=500))
    came_from = colander.SchemaNode(colander.String(), missing="",
                                    widget=deform.widget.HiddenWidget())


@view_config(context=Portal, name="accedi", permission=NO_PERMISSION_REQUIRED,
             renderer="portal:templates/form.pt")
class LoginView(FormView):
    buttons = (deform.Button("accedi", _("Accedi")),)

    def make_schema(self):
        return LoginSchema()

    def appstruct(self):
        return {"came_from": self.request.GET.get("came_from", "")}

    def extra(self):
        translate = self.request.localizer.translate
        return {"page_title": translate(_("Accedi")), "heading": translate(_("Accedi al portale")),
                "intro": translate(_("In produzione l'accesso avviene con SPID o CIE; "
                                     "qui con le credenziali del portale."))}

    def success(self, appstruct):
        request = self.request
        try:
            user = authenticate(self.context["utenti"], appstruct["login"], appstruct["password"],
                                throttle.get_store(request), client_address(request),
                                now=sessions.now(request.registry),
                                policy=throttle.policy(request.registry))
        except LoginError as exc:
            audit.log(self.request, "accesso fallito", None, login=appstruct["login"][:100],
                      attesa=exc.retry_after or 0)
            self.request.skip_audit = True
            return self.reject(exc, {"login": appstruct["login"],
                                     "came_from": appstruct["came_from"]})
        # the features react (the registry links the person with the same codice fiscale)
        request.registry.notify(LoggedIn(user, request.root))
        headers = remember(self.request, user.login)
        flash(self.request, _("Benvenuto, ${name}.", mapping={"name": user.title or user.login}))
        return HTTPSeeOther(landing(self.request, appstruct["came_from"]), headers=headers)


@view_config(context=Portal, name="esci", permission=NO_PERMISSION_REQUIRED,
             request_method="POST")
def logout_view(context, request):
    headers = forget(request)
    return HTTPSeeOther(request.resource_path(context), headers=headers)


class PasswordSchema(colander.MappingSchema):
    current = colander.SchemaNode(colander.String(), title=_("Password attuale"),
                                  widget=deform.widget.PasswordWidget())
    new = colander.SchemaNode(
        colander.String(), title=_("Nuova password"),
        description=_("Almeno ${count} caratteri.", mapping={"count": MIN_PASSWORD_LENGTH}),
        widget=deform.widget.CheckedPasswordWidget(), validator=password_strength,
    )


@view_config(context=Portal, name="password", permission=VIEW,
             is_authenticated=True,
             renderer="portal:templates/form.pt")
class PasswordView(FormView):
    def make_schema(self):
        return PasswordSchema()

    def extra(self):
        translate = self.request.localizer.translate
        return {"page_title": translate(_("Cambia password")), "heading": translate(_("Cambia la password"))}

    def success(self, appstruct):
        user = self.request.user
        if not user.check_password(appstruct["current"]):
            return self.reject(ValidationFailed(_("La password attuale non è corretta.")))
        user.set_password(appstruct["new"])
        sessions.get_store(self.request).revoke_user(user.login)  # every other browser is out
        headers = remember(self.request, user.login)
        flash(self.request, _("Password cambiata."))
        return HTTPSeeOther(self.request.resource_path(self.context), headers=headers)


@view_config(context=Portal, name="password", permission=VIEW)
def password_anonymous(context, request):
    raise HTTPForbidden(request.localizer.translate(_("Accedere per cambiare la password.")))
