"""Command-line tools; each reads the same .ini as the web application."""
import argparse
import os
import sys
from urllib.parse import parse_qs, unquote, urlsplit

from pyramid.paster import bootstrap, get_appsettings, setup_logging

from portal.errors import DatabaseLocked


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("config_uri", help="file di configurazione, ad esempio development.ini")
    return p


def check_config(config_uri):
    path = config_uri.split("#", 1)[0]
    if not os.path.isfile(path):
        sys.exit(f"Errore: file di configurazione non trovato: {path}")


def file_storage_dirs(uri):
    """The folders a ``file://`` ZODB URI needs (its file's folder, its blob folder)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return []
    dirs = [os.path.dirname(unquote(parts.path))]
    dirs += [unquote(d) for d in parse_qs(parts.query).get("blobstorage_dir", [])]
    return [d for d in dirs if d]


def ensure_storage_dirs(config_uri):
    """Create the FileStorage folders, so a first ``portal-init`` works on a clean tree."""
    settings = get_appsettings(config_uri, name="main")
    for directory in file_storage_dirs(settings.get("zodbconn.uri", "")):
        os.makedirs(directory, exist_ok=True)


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
