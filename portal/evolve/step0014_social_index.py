"""Anagrafica sociale: l'indice delle persone, dei nuclei e delle prestazioni per codice fiscale."""
from portal.db import SOCIAL_KEY
from portal.people.index import SocialIndex


def evolve(zodb_root, portal):
    if SOCIAL_KEY not in zodb_root:
        zodb_root[SOCIAL_KEY] = SocialIndex()
