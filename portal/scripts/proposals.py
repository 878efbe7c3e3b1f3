"""portal-proposals: evaluate the proposals of benefits now (every ATS, or ``--ambito BA-01``).

What the daily pass of ``portal-serve`` records as jobs, run at once in this process (cron,
against RelStorage, or after loading a registry); ``--mappa`` also recounts the map of needs.
"""
import sys
import time

from content_types.district import District
from portal.db import ROOT_KEY, get_database
from portal.jobs import in_new_transaction, read
from portal.register import needs_map, proposals
from portal.scripts import close_database, open_env, parser


def main(argv=None):
    p = parser("Valuta le proposte di prestazioni per i nuclei familiari (regole degli avvisi "
               "aperti) e le scrive nelle schede delle persone.")
    p.add_argument("--ambito", metavar="CODICE", help="solo questo Ambito, ad esempio BA-01")
    p.add_argument("--mappa", action="store_true",
                   help="ricalcola anche i contatori della mappa dei bisogni")
    args = p.parse_args(argv)
    env = open_env(args.config_uri)
    registry = env["registry"]
    db = get_database(registry)
    try:
        def codes(conn):
            root = conn.root()[ROOT_KEY]
            return sorted(d.code for d in root["ambiti"].values() if isinstance(d, District))
        known = read(db, codes)
        wanted = [args.ambito.strip().upper()] if args.ambito else known
        unknown = [c for c in wanted if c not in known]
        if unknown:
            sys.exit(f"Errore: Ambito sconosciuto: {', '.join(unknown)} (disponibili: "
                     f"{', '.join(known)}).")
        for code in wanted:
            started = time.perf_counter()
            households, changed = proposals.evaluate_district(db, code)
            print(f"{code}: {households} nuclei valutati, {changed} schede aggiornate "
                  f"in {time.perf_counter() - started:.1f} s.")
        if args.mappa:
            in_new_transaction(db, lambda conn: needs_map.rebuild(conn.root()[ROOT_KEY]))
            print("Contatori della mappa dei bisogni ricalcolati.")
        return 0
    finally:
        env["closer"]()
        close_database(registry)


if __name__ == "__main__":
    raise SystemExit(main())
