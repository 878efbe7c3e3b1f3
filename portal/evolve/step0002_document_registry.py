"""Crea il registro dei documenti emessi e caricati (PDF firmati)."""
from ..db import DOCUMENTS_KEY
from ..documents.registry import DocumentRegistry


def evolve(zodb_root, portal):
    if DOCUMENTS_KEY not in zodb_root:
        zodb_root[DOCUMENTS_KEY] = DocumentRegistry()
