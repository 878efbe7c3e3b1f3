"""«Chiudi anticipatamente il servizio»: the ATS officer ends an active service early."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

import workflows.application as wf
from content_types.application import Application
from content_types.values import euro
from portal import audit
from portal.applications import services as application_services
from portal.i18n import _
from portal.payments import service_end
from portal.payments.attestations import funded_months
from portal.payments.commitments import ledger_for
from portal.payments.rules.service_end import ServiceEndRefused
from portal.web import posted
from portal.web.errors import refuse
from portal.web.layout import flash

END = posted.schema(posted.text("ultimo_mese"), posted.text("motivo", limit=2000),
                    posted.text("conferma"))


@view_config(context=Application, name="chiusura-anticipata", permission=wf.REVIEW,
             renderer="portal:templates/payments/service_end.pt")
def service_end_view(context, request):
    """The form (GET) and the early end (POST, with confirmation) of an active service."""
    translate = request.localizer.translate
    error = None
    sent = {}
    if request.method == "POST":
        sent = posted.posted(request, END)
        try:
            if sent["conferma"] != "1":
                raise ServiceEndRefused(_("Confermare la chiusura anticipata del servizio."),
                                        {"conferma": "obbligatoria"})
            month = service_end.end_early(context, sent["ultimo_mese"], sent["motivo"],
                                          who=request.authenticated_userid,
                                          registry=request.registry)
        except ServiceEndRefused as exc:
            error = refuse(request, exc)
        else:
            audit.log(request, "chiusura anticipata del servizio", context, last_month=month,
                      reason=sent["motivo"])
            flash(request, _("Servizio chiuso anticipatamente: ultimo mese ${month}. Le somme "
                             "non più necessarie sono state liberate.", mapping={"month": month}))
            return HTTPSeeOther(request.resource_path(context))
    call = application_services.call_of(context)
    account = ledger_for(context).account(context.uid)
    return {"page_title": translate(_("Chiudi anticipatamente il servizio")),
            "application": context, "active": context.state == wf.ACTIVE,
            "months": funded_months(context, call) if call is not None else (),
            "committed": euro(account.committed) if account else euro(0),
            "paid": euro(account.paid) if account else euro(0),
            "error": error,
            "form": {k: sent.get(k, "") for k in ("ultimo_mese", "motivo")}}
