"""portal-shell: a Python prompt with ``root``, ``registry``, ``request`` and ``transaction``."""
import code

from portal.scripts import close_database, open_env, parser


def main(argv=None):
    args = parser("Console Python sul portale.").parse_args(argv)
    env = open_env(args.config_uri)
    tm = env["request"].tm
    tm.begin()
    namespace = {**env, "tm": tm}
    banner = ("Portale: variabili root, registry, request, tm. "
              "Usare tm.commit() per salvare, tm.abort() per annullare.")
    try:
        code.interact(banner=banner, local=namespace)
    finally:
        env["closer"]()
        close_database(env["registry"])
    return 0
