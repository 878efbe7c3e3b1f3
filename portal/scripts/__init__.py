"""Command-line tools; each reads the same .ini as the web application."""
import argparse
import os
import sys

from pyramid.paster import bootstrap, setup_logging

from ..errors import DatabaseLocked


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("config_uri", help="file di configurazione, ad esempio development.ini")
    return p


def check_config(config_uri):
    path = config_uri.split("#", 1)[0]
    if not os.path.isfile(path):
        sys.exit(f"Errore: file di configurazione non trovato: {path}")


def open_env(config_uri):
    """``pyramid.paster.bootstrap`` with a clear message if the DB is in use."""
    check_config(config_uri)
    setup_logging(config_uri)
    try:
        return bootstrap(config_uri)
    except DatabaseLocked as exc:
        sys.exit(f"Errore: {exc.message}")


def close_database(registry):
    """Close the DB so FileStorage writes its index (the next start is then quick)."""
    for db in getattr(registry, "_zodb_databases", {}).values():
        db.close()
