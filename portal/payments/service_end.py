"""An early end of a service: the ATS records the last month served and the service concludes.

The conclusion is a system transition (nobody holds it by role): the officer's name and the
reason go into its comment; the subscriber then gives back what will not be spent.
"""
import workflows
import workflows.application as application_workflow
from portal.applications import services as application_services
from portal.i18n import _
from portal.payments.attestations import attestations_of, funded_months
from portal.payments.rules.service_end import ServiceEndRefused, check_last_month


def end_early(application, last_month, reason, *, who, registry, today=None):
    """Set ``service_end`` and conclude; the last month is checked against the service."""
    if application.state != application_workflow.ACTIVE:
        raise ServiceEndRefused(_("Si può chiudere anticipatamente solo un servizio attivo."),
                                {"stato": "non attiva"})
    call = application_services.call_of(application)
    month = check_last_month(last_month, funded=funded_months(application, call),
                             attested=[a.month for a in attestations_of(application)],
                             today=today or application_services.today(), reason=reason)
    application.service_end = month
    workflows.fire(application, None, application_workflow.CONCLUDE,
                   f"Chiusura anticipata del servizio disposta da {who}: ultimo mese {month}. "
                   f"Motivo: {reason.strip()}", registry=registry)
    return month
