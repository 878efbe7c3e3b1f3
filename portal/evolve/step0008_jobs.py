"""Coda dei lavori dopo il commit: vi sposta la posta in attesa e le ricevute non emesse."""
from content_types.application import Application
from content_types.application_folder import ApplicationFolder
from portal.applications.sending import RECEIPT_JOB, receipt_key
from portal.db import JOBS_KEY
from portal.jobs import JobStore
from portal.mail import MAIL_JOB, message


def _walk(node):
    yield node
    values = getattr(node, "values", None)
    if values is not None and not isinstance(node, Application):
        for child in values():
            yield from _walk(child)


def evolve(zodb_root, portal):
    if JOBS_KEY not in zodb_root:
        zodb_root[JOBS_KEY] = JobStore()
    store = zodb_root[JOBS_KEY]
    ambiti = portal.get("ambiti") if hasattr(portal, "get") else None
    for node in _walk(ambiti) if ambiti is not None else ():
        if isinstance(node, ApplicationFolder) and node.mail_outbox is not None:
            for key, item in node.mail_outbox.pending():
                store.add(MAIL_JOB, message(item["to"], item["subject"], item["body"],
                                          item.get("message_id")), key=f"mail:outbox:{key}")
            node.mail_outbox = None
        elif isinstance(node, Application) and node.protocol and not node.receipt_uid:
            # a receipt an after-commit step of the old code left out
            store.add(RECEIPT_JOB, {"oid": node._p_oid}, key=receipt_key(node))
