"""After funding: the ledger of budgets and commitments, monthly attestations, family
confirmation, validation, payment acts, the fund dashboard and the monitoring feed.

``config.include("portal.payments")`` registers its subscribers and scans its views.
"""


def includeme(config):
    config.include("portal.payments.subscribers")  # funding, start and end move the ledger
    config.scan("portal.payments")
