"""The legal pages every PA portal links from its footer."""
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content_types.portal_root import Portal
from portal.i18n import _

PAGES = {
    "privacy": (_("Informativa sul trattamento dei dati personali"), "privacy.pt"),
    "accessibilita": (_("Dichiarazione di accessibilità"), "accessibilita.pt"),
    "note-legali": (_("Note legali"), "note-legali.pt"),
}


def includeme(config):
    for name, (title, template) in PAGES.items():
        config.add_view(
            lambda context, request, title=title: {"page_title": request.localizer.translate(title)},
            context=Portal, name=name, permission=NO_PERMISSION_REQUIRED,
            renderer=f"portal:templates/legal/{template}",
        )


@view_config(context=Portal, name="robots.txt", permission=NO_PERMISSION_REQUIRED,
             renderer="string")
def robots(context, request):
    request.response.content_type = "text/plain"
    return "User-agent: *\nDisallow: /@@\nDisallow: /utenti\nDisallow: /api/\n"
