"""The one form-view helper every form in the portal subclasses.

It adds the CSRF token (and, for edits, a version token) to the schema,
validates with colander, re-renders with field errors keeping the input, and
calls ``success`` only with clean data.
"""
import os

import colander
import deform
from pyramid.i18n import get_localizer
from translationstring import ChameleonTranslate

import portal
from portal.errors import StaleForm, ValidationFailed
from portal.i18n import _
from portal.web.errors import refuse

TEMPLATE_DIRS = (
    os.path.join(os.path.dirname(portal.__file__), "templates", "deform"),
    os.path.join(os.path.dirname(deform.__file__), "templates"),
)


#: deform's templates, loaded and compiled once per process (with our overrides first)
TEMPLATES = deform.ZPTRendererFactory(TEMPLATE_DIRS)


class RequestRenderer:
    """deform's renderer for one request: the shared templates, that request's language."""

    def __init__(self, request):
        # deform's Field.translate reads ``renderer.translate``
        self.translate = get_localizer(request).translate
        self._chameleon = ChameleonTranslate(self.translate)

    def __call__(self, template_name, **kw):
        return TEMPLATES.load(template_name)(translate=self._chameleon, **kw)


def configure_deform():
    """Forms built without a request (none of ours) use the shared, untranslated templates."""
    deform.Form.set_default_renderer(TEMPLATES)


def _hidden(name, value):
    return colander.SchemaNode(
        colander.String(), name=name, missing="", default=value,
        widget=deform.widget.HiddenWidget(),
    )


class FormView:
    """Subclass and set ``buttons``; implement ``make_schema`` and ``success`` (or ``<button>_success``)."""

    buttons = (deform.Button("salva", _("Salva")),)
    cancel_title = _("Annulla")

    def __init__(self, context, request):
        self.context = context
        self.request = request

    # -- hooks ---------------------------------------------------------------
    def make_schema(self):
        raise NotImplementedError

    def appstruct(self):
        """Initial values of the form."""
        return {}

    def version(self):
        """A token the object changes on edit, or None for no stale check."""
        return

    def success(self, appstruct):
        raise NotImplementedError

    def extra(self):
        """More values for the template."""
        return {}

    def validate(self, form):
        """The clean values of the POST (deform's reading; pages with their own markup override)."""
        return form.validate(self.request.POST.items())

    def pressed(self, appstruct):
        """The button the form was sent with (substanced's ``<button>_success``), or None."""
        return next((b.name for b in self.buttons if b.name in self.request.POST), None)

    # -- machinery -----------------------------------------------------------
    def form(self):
        schema = self.make_schema().bind(request=self.request, context=self.context)
        schema.add(_hidden("csrf_token", self.request.session.get_csrf_token()))
        version = self.version()
        if version is not None:
            schema.add(_hidden("_version", version))
        return deform.Form(
            schema, buttons=self.buttons, formid="form-portale",
            action=self.request.path_qs, renderer=RequestRenderer(self.request),
        )

    def reject(self, error, values=None):
        """Re-render the form with ``error``'s message and declared status; nothing is stored."""
        message = refuse(self.request, error)
        form = self.form()
        return self.render(form, form.render(values) if values is not None else None,
                           error=message)

    def render(self, form, rendered=None, error=None):
        if form.error is not None:
            error = None  # deform's own summary lists and links every faulty field: one alert
        values = {
            "form": rendered if rendered is not None else form.render(self.appstruct()),
            "error": error,
            "cancel_url": self.request.resource_path(self.context),
            "cancel_title": self.request.localizer.translate(self.cancel_title),
        }
        values.update(self.extra())
        return values

    def __call__(self):
        form = self.form()
        if self.request.method != "POST":
            return self.render(form)
        try:
            appstruct = self.validate(form)
        except deform.ValidationFailure as failure:
            error = refuse(self.request, ValidationFailed(_("Controllare i campi evidenziati.")))
            return self.render(form, failure.render(), error=error)
        appstruct.pop("csrf_token", None)
        sent_version = appstruct.pop("_version", None)
        if self.version() is not None and sent_version != self.version():
            return self.reject(StaleForm(), appstruct)
        button = self.pressed(appstruct)
        handler = getattr(self, f"{button}_success", None) if button else None
        return (handler or self.success)(appstruct)
