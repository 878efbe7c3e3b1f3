"""The register follows the voucher applications: funded, started, paid, ended, annulled.

Subscribed to the workflow's ``StateChanged`` (no edit of the payments code): each reaction is
one call of ``portal.register.vouchers``, in the transaction of the transition.
"""
import workflows.application as application_workflow
import workflows.attestation as attestation_workflow
from content_types.application import Application
from content_types.attestation import Attestation
from content_types.events import StateChanged
from portal.applications import services as application_services
from portal.register import vouchers

FUNDING = (application_workflow.FUND, application_workflow.SCROLL)
CANCELLING = (application_workflow.ANNUL, application_workflow.LAPSE)
STOPPING = (application_workflow.REVOKE, application_workflow.WITHDRAW)
PAYMENT = {attestation_workflow.PAY: True, attestation_workflow.CANCEL_PAYMENT: False}


def who_of(event):
    return getattr(event.request, "authenticated_userid", None) or vouchers.SYSTEM_USER


def application_changed(event, registry):
    """A voucher application moved: write, move, end or cancel its benefit."""
    application = event.object
    if event.workflow != application_workflow.NAME or not isinstance(application, Application):
        return
    if application_services.district_of(application) is None:
        return  # not in an ATS (tests' loose objects)
    transition, who = event.transition, who_of(event)
    comment = (event.comment or "").strip()
    if transition in FUNDING:
        vouchers.record_funded(application, registry, who)
    elif transition == application_workflow.ACTIVATE:
        vouchers.started(application)
    elif transition == application_workflow.CONCLUDE:
        vouchers.ended(application, registry, comment or "Servizio concluso.", who)
    elif transition in CANCELLING:
        vouchers.cancelled(application, registry, comment or "Domanda annullata.", who)
    elif transition in STOPPING:
        vouchers.stopped(application, registry, comment or "Domanda revocata.", who)


def attestation_changed(event):
    """A month paid, or its payment cancelled: the voucher's paid months."""
    attestation = event.object
    if (event.workflow != attestation_workflow.NAME or not isinstance(attestation, Attestation)
            or event.transition not in PAYMENT):
        return
    application = attestation.application
    if application is not None:
        vouchers.record_payment(application, attestation.month, attestation.voucher_share,
                                paid=PAYMENT[event.transition])


def includeme(config):
    registry = config.registry
    config.add_subscriber(lambda event: application_changed(event, registry), StateChanged)
    config.add_subscriber(attestation_changed, StateChanged)
