"""portal-serve: serve the .ini with waitress, with messages instead of tracebacks."""
import sys

from pyramid.paster import get_app, setup_logging

from . import check_config


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.exit("Uso: portal-serve FILE.ini")
    config_uri = argv[0]
    check_config(config_uri)
    setup_logging(config_uri)
    app = get_app(config_uri)  # exits with an Italian message if the DB is locked
    from pyramid.paster import get_appsettings  # noqa: PLC0415
    from waitress import serve  # noqa: PLC0415

    settings = get_appsettings(config_uri, name="main")
    from .. import lapse_clock  # noqa: PLC0415

    try:
        minutes = lapse_clock.interval_minutes(settings)
    except ValueError as exc:
        sys.exit(f"Errore: {exc}")
    if minutes:
        lapse_clock.start(app.registry, minutes)
        print(f"Decadenze delle domande controllate ogni {minutes:g} minuti.", flush=True)
    host = settings.get("portal.host", "127.0.0.1")
    port = int(settings.get("portal.port", 6543))
    print(f"Portale in ascolto su http://{host}:{port}/", flush=True)
    serve(app, host=host, port=port, threads=int(settings.get("portal.threads", 4)))
    return 0
