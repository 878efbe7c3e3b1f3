"""Workflow events become notifications just before the commit of the transaction that fired them.

Deferred to the commit because what a note says is known only once the whole change is done:
a submission may still be rejected by the automatic checks in the same transaction (then
the provider is not asked anything), and a ranking's position is written after the
transition fires. The hook runs inside the transaction: an abort or a replay delivers nothing.
"""
import workflows.application as wf
import workflows.attestation as att
from content_types.application import Application
from content_types.attestation import Attestation
from content_types.events import ObjectAdded, StateChanged
from content_types.payment_act import PaymentAct
from portal.notifications import rules, service

#: the transaction's data slot for what waits to be delivered
SLOT = "portal.notifications"


class Pending:
    """Transitions of this transaction waiting for its commit, in the order fired."""

    def __init__(self, registry, txn):
        self.registry, self.txn, self.items, self.later = registry, txn, [], []

    def flush(self):
        for application, transition, comment in self.items:
            service.notify_transition(application, transition, comment, self.registry,
                                      self.txn)
        for deliver in self.later:  # attestations and payment acts
            deliver(self.registry, self.txn)


def pending_for(registry, txn):
    """This transaction's ``Pending``, registered with a before-commit hook on first use."""
    try:
        return txn.data(SLOT)
    except KeyError:
        pending = Pending(registry, txn)
        txn.set_data(SLOT, pending)
        txn.addBeforeCommitHook(pending.flush)
        return pending


def state_changed(registry, event):
    """Remember an application's transition that tells someone something."""
    obj = event.object
    if event.workflow != wf.NAME or event.transition not in rules.WATCHED:
        return
    if not isinstance(obj, Application):
        return  # another type run by the same workflow (tests' own types): no call, no family
    jar = getattr(obj, "_p_jar", None)
    if jar is None:
        return  # not stored: nobody can be linked to it
    pending_for(registry, jar.transaction_manager.get()).items.append(
        (obj, event.transition, event.comment))


def jar_of(obj):
    """The connection ``obj`` is (or will be) stored in: its own, else its nearest stored parent's."""
    while obj is not None:
        jar = getattr(obj, "_p_jar", None)
        if jar is not None:
            return jar
        obj = getattr(obj, "__parent__", None)
    return None


def later(registry, obj, work):
    """Run ``work(registry, txn)`` when the transaction ``obj`` is written in is committed."""
    jar = jar_of(obj)
    if jar is not None:
        pending_for(registry, jar.transaction_manager.get()).later.append(work)


def attestation_changed(registry, event):
    """Remember an attestation's transition that tells the family or the provider something."""
    obj = event.object
    if (event.workflow != att.NAME or event.transition not in rules.ATTESTATION_WATCHED
            or not isinstance(obj, Attestation)):
        return
    later(registry, obj, lambda reg, txn: service.notify_attestation(
        obj, event.transition, event.comment, reg, txn))


def object_added(registry, event):
    """A new draft attestation waits for the family; a new payment act pays providers."""
    obj = event.object
    if isinstance(obj, Attestation):
        later(registry, obj, lambda reg, txn: obj.state == att.DRAFT
               and service.notify_attestation(obj, rules.CREATED, "", reg, txn))
    elif isinstance(obj, PaymentAct):
        later(registry, obj, lambda reg, txn: service.notify_act(obj, reg, txn))


def includeme(config):
    registry = config.registry
    config.add_subscriber(lambda event: state_changed(registry, event), StateChanged)
    config.add_subscriber(lambda event: attestation_changed(registry, event), StateChanged)
    config.add_subscriber(lambda event: object_added(registry, event), ObjectAdded)
