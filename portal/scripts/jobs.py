"""portal-jobs: the jobs waiting or failed after commit; ``--esegui`` runs them (as a worker would)."""
from datetime import UTC, datetime

from portal import jobs
from portal.db import get_database
from portal.scripts import close_database, open_env, parser
from portal.web.display import local_time

STATES = {jobs.PENDING: "in attesa", jobs.RUNNING: "in esecuzione", jobs.FAILED: "fallito"}


def listing(db):
    def read(conn):
        return [(job.kind, job.key, job.state, job.attempts, job.last_error, job.next_at)
                for job in jobs.get_store(conn).jobs(tuple(STATES))]
    rows = jobs.read(db, read)
    for kind, key, state, attempts, error, next_at in rows:
        when = f", prossimo tentativo {local_time(next_at)}" if state == jobs.PENDING else ""
        print(f"  {STATES[state]}: {kind} {key}, tentativi {attempts}{when}"
              + (f", ultimo errore: {error}" if error else ""))
    print(f"Lavori in attesa o falliti: {len(rows)}.")
    return rows


def main(argv=None):
    p = parser("Mostra i lavori dopo il commit (e-mail, ricevute) in attesa o falliti; "
               "con --esegui li esegue.")
    p.add_argument("--esegui", action="store_true",
                   help="esegue ora i lavori in attesa, senza aspettare il prossimo tentativo")
    p.add_argument("--riprova-falliti", action="store_true",
                   help="con --esegui: esegue di nuovo anche i lavori falliti")
    args = p.parse_args(argv)
    env = open_env(args.config_uri)
    registry = env["registry"]
    db = get_database(registry)
    try:
        if args.esegui:
            if args.riprova_falliti:
                def reset(conn):
                    now = datetime.now(UTC)
                    for job in jobs.get_store(conn).jobs((jobs.FAILED,)):
                        job.retry(now)
                jobs.in_new_transaction(db, reset)
            done, _left = jobs.run_due(db, registry, force=True)
            print(f"Lavori eseguiti: {done}.")
        rows = listing(db)
        return 1 if args.esegui and any(row[2] != jobs.RUNNING for row in rows) else 0
    finally:
        env["closer"]()
        close_database(registry)


if __name__ == "__main__":
    raise SystemExit(main())
