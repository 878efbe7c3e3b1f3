"""The application's lifecycle moves its money in the ledger, in the transaction that moves it.

Funding commits voucher × months; the start of the service fixes its first month; an end
(revocation, withdrawal, annulment, conclusion) gives back what will not be spent; a paid or
rejected month of an ended application settles what is left (at the commit, once the
payment act has consumed the paid share in the same transaction).
"""
import workflows.application as application_workflow
import workflows.attestation as attestation_workflow
from content_types.application import Application
from content_types.attestation import Attestation
from content_types.events import StateChanged
from portal.applications import services as application_services
from portal.payments import commitments
from portal.payments.rules.service_end import first_service_month

SYSTEM_USER = "sistema"
#: the transaction's data slot for the applications to settle before its commit
SLOT = "portal.payments.settle"

FUNDING = (application_workflow.FUND, application_workflow.SCROLL)
ENDING = (application_workflow.REVOKE, application_workflow.WITHDRAW,
          application_workflow.ANNUL, application_workflow.CONCLUDE)
#: an attestation leaving the queue of an ended application may free its money
ATTESTATION_SETTLES = (attestation_workflow.REJECT, attestation_workflow.PAY)


def who_of(event):
    return getattr(event.request, "authenticated_userid", None) or SYSTEM_USER


def application_changed(event):
    """Commit, fix the service start or settle, by the transition fired."""
    application = event.object
    if event.workflow != application_workflow.NAME or not isinstance(application, Application):
        return
    if application_services.district_of(application) is None:
        return  # not in an ATS (tests' loose objects): no ledger to write
    if event.transition in FUNDING:
        commitments.commit_funding(application, who=who_of(event),
                                   reference=(event.comment or "").rstrip(".")
                                   or "Finanziamento della domanda")
    elif event.transition == application_workflow.ACTIVATE:
        call = application_services.call_of(application)
        application.service_start = first_service_month(
            application_services.today(), getattr(call, "period_start", None))
    elif event.transition in ENDING:
        commitments.settle(application, who=who_of(event),
                           reference=(event.comment or "").rstrip(".")
                           or "Somme non più necessarie")


class Settling:
    """Applications whose attestations moved in this transaction, settled before its commit."""

    def __init__(self):
        self.items = {}

    def flush(self):
        for application, who in self.items.values():
            commitments.settle(application, who=who)


def settle_at_commit(application, who):
    jar = getattr(application, "_p_jar", None)
    if jar is None:
        commitments.settle(application, who=who)
        return
    txn = jar.transaction_manager.get()
    try:
        pending = txn.data(SLOT)
    except KeyError:
        pending = Settling()
        txn.set_data(SLOT, pending)
        txn.addBeforeCommitHook(pending.flush)
    pending.items[application.uid] = (application, who)


def attestation_changed(event):
    """A paid or rejected month of an ended application: give back what stays unspent."""
    attestation = event.object
    if (event.workflow != attestation_workflow.NAME or not isinstance(attestation, Attestation)
            or event.transition not in ATTESTATION_SETTLES):
        return
    application = attestation.application
    if application is None or application.state not in commitments.SPENT_OUT:
        return
    settle_at_commit(application, who_of(event))


def includeme(config):
    config.add_subscriber(application_changed, StateChanged)
    config.add_subscriber(attestation_changed, StateChanged)
