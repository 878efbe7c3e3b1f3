"""portal-lapse: the nightly lapse job from the command line (``--ora`` re-runs a missed night).

The job itself is ``portal.applications.lapse_job``; this module only parses arguments.
"""
import sys
from datetime import UTC, datetime

from transaction.interfaces import NoTransaction
from ZODB.POSException import ConflictError

from content_types.values import ROME, utcnow
from portal.applications.lapse_job import BATCH, Run, waiting_paths
from portal.scripts import close_database, open_env, parser


def parse_now(text):
    """``--ora``: ISO 8601; without an offset it is Italian time."""
    if text is None:
        return utcnow()
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ROME)
    return value.astimezone(UTC)


def main(argv=None):
    p = parser("Fa decadere le domande inviate che la struttura scelta non ha abbinato "
               "entro il termine dell'avviso.")
    p.add_argument("--elenco", action="store_true",
                   help="mostra le domande che decadrebbero, senza modificarle")
    p.add_argument("--ora", metavar="DATA-ORA",
                   help="momento di riferimento in ISO 8601, ad esempio "
                        "2026-03-01T02:00:00+01:00 (senza fuso: ora italiana); "
                        "predefinito: adesso")
    p.add_argument("--lotto", type=int, default=BATCH,
                   help=f"domande per transazione (predefinito {BATCH})")
    args = p.parse_args(argv)
    now = parse_now(args.ora)
    if now is None:
        sys.exit(f"Errore: data e ora non valide per --ora: «{args.ora}» (usare ad esempio "
                 "2026-03-01T02:00:00+01:00).")
    if args.lotto < 1:
        sys.exit("Errore: --lotto deve essere almeno 1.")
    env = open_env(args.config_uri)
    registry = env["registry"]
    tm = env["request"].tm
    try:
        tm.begin()
        root = env["root"]
        paths = waiting_paths(root, registry)
        tm.abort()
        try:
            result = Run(root, registry, now, args.elenco).run(paths, tm, args.lotto)
        except ConflictError:
            sys.exit("Errore: conflitti ripetuti con modifiche fatte nel frattempo sul "
                     "portale. Le domande già decadute restano tali: rieseguire il comando.")
        for line in result.summary():
            print(line)
        return 0
    finally:
        try:
            tm.abort()  # only if an error left a batch open
        except NoTransaction:
            pass
        env["closer"]()
        close_database(registry)


if __name__ == "__main__":
    raise SystemExit(main())
