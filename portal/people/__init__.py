"""The social registry (*anagrafica sociale*, issue 16): people identified by codice fiscale,
households with their members and generated code, addresses with ISTAT codes, front-desk
contacts, and the one index that makes a codice fiscale the same person everywhere.

``config.include("portal.people")`` scans its views.
"""


def includeme(config):
    config.scan("portal.people")
