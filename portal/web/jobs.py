"""Administrators see the jobs waiting or failed after commit, and retry a failed one («Lavori in coda»)."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from pyramid_zodbconn import get_connection

from content_types.portal_root import Portal
from content_types.security import MANAGE
from portal import audit, jobs
from portal.i18n import _
from portal.web.display import local_time
from portal.web.layout import flash
from portal.web.manage import manage_tabs
from portal.web.posted import posted, schema, text

VIEW = "gestione-lavori"
#: what the page calls each kind and state
KIND_TITLES = {"mail": _("E-mail"), "ricevuta": _("Ricevuta firmata"),
               "proposte": _("Proposte di prestazioni")}
STATE_TITLES = {jobs.PENDING: _("In attesa"), jobs.RUNNING: _("In esecuzione"),
                jobs.FAILED: _("Fallito")}


def _row(request, job):
    translate = request.localizer.translate
    return {"key": job.key, "kind": translate(KIND_TITLES.get(job.kind, job.kind)),
            "state": translate(STATE_TITLES[job.state]), "failed": job.state == jobs.FAILED,
            "attempts": job.attempts, "error": job.last_error or "—",
            "created": local_time(job.created),
            "next": local_time(job.next_at) if job.state == jobs.PENDING else "—"}


@view_config(context=Portal, name=VIEW, permission=MANAGE,
             renderer="portal:templates/manage/jobs.pt")
def manage_jobs(context, request):
    store = jobs.get_store(get_connection(request))
    waiting = store.jobs((jobs.PENDING, jobs.RUNNING, jobs.FAILED))
    return {
        "page_title": request.localizer.translate(_("Lavori in coda")),
        "tabs": manage_tabs(request, context),
        "jobs": [_row(request, job) for job in reversed(waiting)],
    }


#: the «Riprova» form: the key of the failed job
RETRY = schema(text("lavoro", strip=False))


@view_config(context=Portal, name=VIEW, permission=MANAGE, request_method="POST")
def retry_job(context, request):
    """«Riprova» on a failed job (``lavoro`` = its key): it runs again right after commit."""
    conn = get_connection(request)
    job = jobs.get_store(conn).find(posted(request, RETRY)["lavoro"])
    if job is None or job.state != jobs.FAILED:
        flash(request, _("Il lavoro non è fallito o non è più in coda."), "info")
    else:
        jobs.retry(conn, request.registry, job, txn=request.tm.get())
        audit.log(request, "lavoro riprovato", context, key=job.key, kind=job.kind)
        flash(request, _("Lavoro rimesso in coda: viene eseguito subito."))
    request.skip_audit = True
    return HTTPSeeOther(request.resource_path(context, "@@" + VIEW))
