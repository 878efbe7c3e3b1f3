"""Crea il registro dei documenti emessi e caricati (PDF firmati)."""
from portal.db import DOCUMENTS_KEY
from portal.documents.registry import DocumentRegistry


def evolve(zodb_root, portal):
    if DOCUMENTS_KEY not in zodb_root:
        zodb_root[DOCUMENTS_KEY] = DocumentRegistry()
