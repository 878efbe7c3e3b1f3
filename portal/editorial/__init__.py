"""Editorial content: pages, news and service pages of the Region and of each ATS.

``config.include("portal.editorial")`` adds the pages of news items and service pages and
the add form editors reach (``ADD_EDITORIAL``); ``portal.editorial.listing`` gives the
published ones to other pages (the home page).
"""
from content_types.security import ADD_EDITORIAL

#: the types editors add with ADD_EDITORIAL (the generic add form asks ADD_CONTENT)
EDITORIAL_TYPES = ("Page", "NewsItem", "ServicePage")


def includeme(config):
    # one add view per type: the ``tipo`` predicate makes it win over the generic @@aggiungi
    for name in EDITORIAL_TYPES:
        config.add_view("portal.editorial.views.EditorialAddForm",
                        context="content_types.base.Container", name="aggiungi",
                        permission=ADD_EDITORIAL, request_param=f"tipo={name}",
                        renderer="portal:templates/form.pt")
    config.scan("portal.editorial.views")
