"""Work that leaves the process (mail, signed receipts), recorded with the change, run after commit.

``enqueue(conn, registry, kind, payload, key)`` stores a job in the current
transaction; after the commit it runs in a transaction of its own, and failures are
retried with exponential backoff by the periodic passes (``run_due``), then marked
failed for an administrator («Lavori in coda» in the management area). Kinds are
registered with ``config.add_job_kind(name, handler)``; see ``portal.jobs.runner``.
"""
from portal.jobs.aftercommit import in_new_transaction, read, run_after_commit
from portal.jobs.runner import IJobKinds, due, enqueue, get_store, kinds, retry, run_due, run_job
from portal.jobs.store import DONE, FAILED, PENDING, RUNNING, Job, JobStore

__all__ = ["DONE", "FAILED", "PENDING", "RUNNING", "IJobKinds", "Job", "JobStore", "due",
           "enqueue", "get_store", "in_new_transaction", "kinds", "read", "retry", "run_after_commit",
           "run_due", "run_job"]


def add_job_kind(config, name, handler):
    """Register ``handler(payload, registry, db)`` for jobs of kind ``name``.

    Two registrations of one name conflict at startup (Pyramid's discriminator).
    """
    handler = config.maybe_dotted(handler)

    def register():
        config.registry.getUtility(IJobKinds)[name] = handler
    config.action(("portal.jobs.kind", name), register)


def includeme(config):
    """The kinds table, the directive, and the mail kind (infrastructure like the queue)."""
    if config.registry.queryUtility(IJobKinds) is None:
        config.registry.registerUtility({}, IJobKinds)
    config.add_directive("add_job_kind", add_job_kind)
