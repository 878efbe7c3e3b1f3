"""The ``layout`` renderer global every page template uses."""
import os
from functools import cache, cached_property
from urllib.parse import urlencode

from pyramid.events import BeforeRender
from pyramid.renderers import get_renderer
from pyramid.traversal import lineage

from content_types.base import Content
from content_types.security import MANAGE, VIEW
from portal.db import app_root
from portal.i18n import _
from portal.security.policy import has_session

SITE_TITLE = _("Portale dei servizi sociali")
#: (child of the root or "", its view or "", title); a missing child is left out
NAV_SECTIONS = (
    ("", "", _("Home")),
    ("", "avvisi", _("Bandi e avvisi")),
    ("catalogo", "", _("Catalogo dell'offerta")),
    ("notizie", "", _("Notizie")),
    ("regione", "", _("Regione")),
    ("ambiti", "", _("Ambiti territoriali")),
    ("documenti", "", _("Documenti")),
)
#: the cookie that keeps the visitor's language (the name Pyramid's default negotiator reads)
LANGUAGE_COOKIE = "_LOCALE_"
#: language code -> its name in itself (the switcher shows each language in its own words)
LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
FOOTER_LINKS = (
    ("privacy", _("Informativa privacy")),
    ("accessibilita", _("Dichiarazione di accessibilità")),
    ("note-legali", _("Note legali")),
)
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")
FLASH_QUEUES = ("success", "info", "warning", "danger")
@cache
def layout_macro():
    return get_renderer("portal:templates/layout.pt").implementation().macros["layout"]


class Layout:
    """Everything the site frame needs, computed lazily per request."""

    def __init__(self, request, context=None):
        self.request = request
        self.context = context if isinstance(context, Content) else None

    def translate(self, message):
        """A translation string as text in the request's language (plain str for templates)."""
        return self.request.localizer.translate(message)

    @cached_property
    def site_title(self):
        return self.translate(SITE_TITLE)

    @property
    def lang(self):
        """The page's language: the request's locale when the portal has a catalog for it."""
        name = self.request.locale_name
        default = self.request.registry.settings.get("pyramid.default_locale_name", "it")
        return name if name == default or name in available_languages() else default

    @property
    def macro(self):
        return layout_macro()

    @cached_property
    def root(self):
        return app_root(self.request)

    @property
    def region_name(self):
        return self.root.region_name

    @property
    def page_title(self):
        return self.context.title if self.context is not None else self.site_title

    def static(self, path):
        return self.request.static_path(self.request.registry.settings["portal.static_dir"] + "/" + path)

    @cached_property
    def nav(self):
        request, root = self.request, self.root
        current = ""
        if self.context is not None:
            chain = list(lineage(self.context))
            if len(chain) >= 2:
                current = chain[-2].__name__
        if self.context is root and request.view_name:
            current = "@@" + request.view_name  # a view of the root (@@avvisi)
        items = []
        for name, view, title in NAV_SECTIONS:
            obj = root.get(name) if name else root
            if obj is None or not request.has_permission(VIEW, obj):
                continue
            key = "@@" + view if view else name
            items.append({
                "title": self.translate(title),
                "url": request.resource_path(obj, "@@" + view) if view
                else request.resource_path(obj),
                "active": key == current and (
                    bool(key) or (self.context is root and not request.view_name)),
            })
        return items

    @cached_property
    def breadcrumbs(self):
        """The trail to the page, without what the user may not view (a refused page names
        nobody: not the person whose case file was asked for)."""
        if self.context is None:
            return []
        chain = list(lineage(self.context))[::-1]
        if len(chain) == 1:
            return []
        crumbs = [{"title": self.translate(_("Home")), "url": self.request.resource_path(chain[0])}]
        crumbs += [
            {"title": obj.title or obj.__name__, "url": self.request.resource_path(obj)}
            for obj in chain[1:] if self.request.has_permission(VIEW, obj)
        ]
        return crumbs

    @property
    def area_url(self):
        """The personal area, for a logged-in user."""
        if self.request.user is None:
            return None
        return self.request.resource_path(self.root, "@@area-personale")

    @cached_property
    def unread(self):
        """Unread messages of the user (``request.unread_messages``, when a package adds it)."""
        if self.request.user is None:
            return 0
        return int(getattr(self.request, "unread_messages", 0) or 0)

    @cached_property
    def languages(self):
        """The switcher's links: each language, its URL, whether it is the current one."""
        request = self.request
        current = self.lang
        # the same link on every page: @@lingua goes back to the referring page of this site
        return [{"code": code, "name": LANGUAGE_NAMES.get(code, code), "current": code == current,
                 "url": request.resource_path(self.root, "@@lingua", query={"lang": code})}
                for code in sorted(known_languages(request.registry), key=lambda c: c != "it")]

    @cached_property
    def user(self):
        user = self.request.user
        if user is None:
            return None
        return {"title": user.title or user.login, "login": user.login}

    @property
    def login_url(self):
        url = self.request.resource_path(self.root, "@@accedi")
        home = self.request.path == self.request.resource_path(self.root)
        # from the home page the login leads to the personal area (no way back needed)
        if (self.request.method == "GET" and not self.request.path.endswith("@@accedi")
                and not home):
            return url + "?" + _came_from(self.request)
        return url

    @property
    def logout_url(self):
        return self.request.resource_path(self.root, "@@esci")

    @property
    def password_url(self):
        return self.request.resource_path(self.root, "@@password")

    @property
    def csrf_token(self):
        return self.request.session.get_csrf_token()

    @cached_property
    def messages(self):
        if not has_session(self.request):
            return []
        session = self.request.session
        return [
            {"kind": kind, "text": text}
            for kind in FLASH_QUEUES for text in session.pop_flash(kind)
        ]

    @cached_property
    def footer_links(self):
        links = [
            {"title": self.translate(title), "url": self.request.resource_path(self.root, "@@" + name)}
            for name, title in FOOTER_LINKS
        ]
        feedback = self.request.registry.settings.get(
            "portal.accessibility_feedback_email", "accessibilita@regione.puglia.example")
        links.append({"title": self.translate(_("Feedback accessibilità")), "url": f"mailto:{feedback}"})
        return links

    @property
    def search_url(self):
        return self.request.route_path("catalog.search")

    @property
    def home_url(self):
        return self.request.resource_path(self.root)

    @cached_property
    def manage_url(self):
        target = self.context if self.context is not None else self.root
        if self.request.user is None or not self.request.has_permission(MANAGE, target):
            return None
        return self.request.resource_path(target, "@@gestione")


def available_languages():
    """Locales with a portal catalog on disk (portal/locale/<lang>/LC_MESSAGES/portal.po)."""
    return _catalogs_in(LOCALE_DIR)


@cache
def _catalogs_in(directory):
    # read once per process: the translation directories are registered at startup anyway
    try:
        names = os.listdir(directory)
    except OSError:
        return frozenset()
    return frozenset(
        name for name in names
        if os.path.isfile(os.path.join(directory, name, "LC_MESSAGES", "portal.po"))
    )


def default_language(registry):
    return registry.settings.get("pyramid.default_locale_name", "it")


def known_languages(registry):
    """The languages a page may be in: the default and those with a catalog."""
    return available_languages() | {default_language(registry)}


def _came_from(request):
    return urlencode({"came_from": request.path_qs})


def add_layout(event):
    request = event["request"]
    if request is not None and "layout" not in event:
        event["layout"] = Layout(request, event.get("context"))


def flash(request, text, kind="success"):
    """Queue a message; translation strings are translated now (the session stores text)."""
    request.session.flash(request.localizer.translate(text), kind)


def includeme(config):
    config.add_subscriber(add_layout, BeforeRender)
