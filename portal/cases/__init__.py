"""Case management (issue 16): the case file (*cartella sociale*) of a person — front desk,
assessment with the SINA fields, taking charge, the individual plan (PAI) with its reviews,
dated notes and documents — readable by the case team and the case manager's office only,
every read in the audit log; and the case manager told of every change.

``config.include("portal.cases")`` scans its views and subscribers.
"""


def includeme(config):
    config.include("portal.cases.subscribers")
    config.scan("portal.cases.views")
