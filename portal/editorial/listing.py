"""The visible published news and service pages, through the catalog, filtered by permission.

The home page calls ``latest_news(request)`` and ``service_pages(request)``; each item is a
dict with ``title``, ``description``, ``url``, ``date`` (the Italian local date, news only),
``path`` and ``type_name``.
"""
from pyramid.traversal import find_resource

from catalog import Eq, Query, search_principals
from content_types.values import format_date, to_local
from portal.editorial.rules import shown_date
from workflows.editorial import PUBLISHED

NEWS, SERVICE_PAGE = "NewsItem", "ServicePage"
#: news are ordered by the date they show, looked for among this many of the newest created
NEWS_WINDOW = 4


def published(request, type_name, sort, limit, reverse=False):
    """The published objects of ``type_name`` the requester may view, in the catalog's order."""
    query = Query(filters=(Eq("type_name", type_name), Eq("state", PUBLISHED)), sort=sort,
                  reverse=reverse, limit=limit, snippets=False)
    results = request.catalog.search(query, search_principals(request))
    found = []
    for hit in results.items:
        try:
            found.append(find_resource(request.root, hit.path))
        except KeyError:  # removed meanwhile in another backend's view of the tree
            continue
    return found


def item(request, obj, date=""):
    url = request.resource_path(obj)
    return {"title": obj.title, "description": obj.description or "", "url": url, "date": date,
            "path": url.rstrip("/"), "type_name": obj.type_name}


def latest_news(request, limit=3):
    """The ``limit`` newest published news the requester may see (newest date first)."""
    news = published(request, NEWS, "created", max(limit * NEWS_WINDOW, 12), reverse=True)
    news.sort(key=lambda obj: (_day(shown_date(obj, PUBLISHED)), obj.created), reverse=True)
    return [item(request, obj, format_date(shown_date(obj, PUBLISHED))) for obj in news[:limit]]


def service_pages(request, limit=6):
    """Up to ``limit`` published service pages the requester may see, by title."""
    return [item(request, obj) for obj in published(request, SERVICE_PAGE, "title", limit)]


def _day(value):
    """A date or an instant as a comparable day (instants in Rome)."""
    return to_local(value).date() if hasattr(value, "hour") else value
