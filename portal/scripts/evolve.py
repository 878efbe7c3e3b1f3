"""portal-evolve: apply the pending numbered evolve steps."""
import sys

import transaction
from pyramid.config import Configurator
from pyramid.paster import get_appsettings

from portal import evolve
from portal.db import ROOT_KEY, get_database, include_zodb
from portal.errors import DatabaseLocked
from portal.scripts import check_config, parser


def main(argv=None):
    p = parser("Aggiorna i dati persistenti all'ultima versione dello schema.")
    p.add_argument("--elenco", action="store_true", help="mostra i passi senza eseguirli")
    args = p.parse_args(argv)
    # the app refuses to start with pending steps, so open the database directly
    check_config(args.config_uri)
    settings = get_appsettings(args.config_uri)
    config = Configurator(settings=settings)
    # steps may reindex content, which needs the content types and the catalog settings
    config.include("content_types")
    config.include("workflows")
    try:
        include_zodb(config)
    except DatabaseLocked as exc:
        sys.exit(f"Errore: {exc.message}")
    config.commit()
    db = get_database(config.registry)
    conn = db.open()
    try:
        zroot = conn.root()
        portal = zroot.get(ROOT_KEY)
        if portal is None:
            print("Database vuoto: niente da aggiornare (avviare il portale per crearlo).")
            return 0
        steps = evolve.pending(portal)
        print(f"Versione dei dati: {portal.db_version}; ultima: {evolve.latest_version()}.")
        if args.elenco or not steps:
            for number, module in steps:
                print(f"  da eseguire: {number} — {(module.__doc__ or '').strip()}")
            if not steps:
                print("Nessun passo da eseguire.")
            return 0
        evolve.run_pending(zroot, portal, config.registry, commit=lambda note: transaction.commit())
        return 0
    finally:
        conn.close()
        db.close()



if __name__ == "__main__":
    raise SystemExit(main())
