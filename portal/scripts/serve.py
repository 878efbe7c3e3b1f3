"""portal-serve: serve the .ini with waitress, with messages instead of tracebacks."""
import sys

from pyramid.paster import get_app, get_appsettings, setup_logging
from waitress import serve

from portal.applications import lapse_clock
from portal.cases import reviews as case_reviews
from portal.jobs import worker
from portal.notifications import reminders
from portal.register import proposals
from portal.scripts import check_config

#: bodies up to this size reach the portal, which refuses uploads over
#: ``documents.max_upload_bytes`` with an Italian message without reading them;
#: waitress answers bigger ones itself (413, plain text) before receiving them
MAX_REQUEST_BODY_SIZE = 256 * 1024 * 1024


def read_or_exit(read, settings):
    """A setting read by ``read``; a bad value stops the start with its Italian message."""
    try:
        return read(settings)
    except ValueError as exc:
        sys.exit(f"Errore: {exc}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.exit("Uso: portal-serve FILE.ini")
    config_uri = argv[0]
    check_config(config_uri)
    setup_logging(config_uri)
    app = get_app(config_uri)  # exits with an Italian message if the DB is locked

    settings = get_appsettings(config_uri, name="main")

    minutes = read_or_exit(lapse_clock.interval_minutes, settings)
    if minutes:
        lapse_clock.start(app.registry, minutes)
        print(f"Decadenze delle domande controllate ogni {minutes:g} minuti.", flush=True)
    reminder_minutes = read_or_exit(reminders.interval_minutes, settings)
    read_or_exit(reminders.reminder_days, settings)  # refused now, not at the first pass
    if reminder_minutes:
        reminders.start(app.registry, reminder_minutes)
    review_minutes = read_or_exit(case_reviews.interval_minutes, settings)
    if review_minutes:
        case_reviews.start(app.registry, review_minutes)
    proposal_hours = read_or_exit(proposals.interval_hours, settings)
    if proposal_hours:  # records one «proposte» job per ATS; the jobs pass runs them
        proposals.start(app.registry, proposal_hours)
    seconds = read_or_exit(worker.interval_seconds, settings)
    if seconds:
        # the first pass at start runs what a stopped process left waiting
        worker.start(app.registry, seconds)
        print(f"Lavori in coda (e-mail, ricevute) eseguiti ogni {seconds:g} secondi.", flush=True)
    host = settings.get("portal.host", "127.0.0.1")
    port = int(settings.get("portal.port", 6543))
    print(f"Portale in ascolto su http://{host}:{port}/", flush=True)
    serve(app, host=host, port=port, threads=int(settings.get("portal.threads", 4)),
          max_request_body_size=max_request_body_size(settings))
    return 0


def max_request_body_size(settings):
    """Waitress's own cap: it refuses bigger bodies before spooling them to disk."""
    return int(settings.get("portal.max_request_body_size", MAX_REQUEST_BODY_SIZE))
