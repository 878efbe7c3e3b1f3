"""The task-first home page, the calls listing and every user's personal area.

``config.include("portal.home")`` scans the views (traversal only, on the Portal root and
on calls); ``queries`` reads what they show from the catalog.
"""


def includeme(config):
    from portal.home.queries import unread_count  # noqa: PLC0415 (includeme: config time only)

    # the header's badge reads it without importing this package (portal.web stays generic)
    config.add_request_method(unread_count, "unread_messages", reify=True)
    config.scan("portal.home")
