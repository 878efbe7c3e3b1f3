"""Notifications: what asks something of a person or tells them an outcome, in their inbox and by e-mail.

Three layers: ``rules`` (pure: which change tells whom what, the texts as messages),
``store``/``service``/``subscribers``/``reminders`` (transaction-aware: inboxes in ZODB,
e-mail after commit through the «mail» job, the workflow subscriber, the reminder pass)
and ``views`` (``@@messaggi``). ``unread_count(request)`` is what the header shows.
"""
from pyramid_zodbconn import get_connection

from portal.notifications.service import unread


def unread_count(request):
    """Unread messages of the logged-in user (0 for anonymous visitors): a counter, no scan."""
    user = request.authenticated_userid
    if not user:
        return 0
    return unread(get_connection(request), user)


def includeme(config):
    """The workflow subscriber and the inbox views (after portal.mail: e-mails are mail jobs)."""
    config.include("portal.notifications.subscribers")
    config.scan("portal.notifications.views")
