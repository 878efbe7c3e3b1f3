"""portal-init: create the portal (if needed) and the demo data; print the logins."""
import os

from portal.demo import add_demo_data
from portal.documents.devcert import ensure_dev_signer
from portal.scripts import check_config, close_database, ensure_storage_dirs, open_env, parser


def main(argv=None):
    p = parser("Crea il portale e i dati dimostrativi.")
    p.add_argument("--senza-demo", action="store_true", help="non creare i dati dimostrativi")
    args = p.parse_args(argv)
    check_config(args.config_uri)
    ensure_storage_dirs(args.config_uri)
    env = open_env(args.config_uri)
    try:
        root = env["root"]
        settings = env["registry"].settings
        signer_file = settings.get("documents.pkcs12_file", "")
        missing = bool(signer_file) and not os.path.exists(signer_file)
        ensure_dev_signer(settings)
        if missing:
            print("Creato un certificato di firma di SVILUPPO («DEV — non valido»): "
                  "configurarne uno reale per la produzione (vedi README).")
        if args.senza_demo:
            print("Portale pronto (nessun dato dimostrativo).")
            return 0
        with env["request"].tm:
            logins = add_demo_data(root, env["registry"])
        print("Dati dimostrativi pronti. Accessi di prova (solo sviluppo):")
        for login, password, title in logins:
            print(f"  {login:<10} password: {password:<22} {title}")
        return 0
    finally:
        env["closer"]()
        close_database(env["registry"])


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
