"""Citizen applications for vouchers: call publication, the multi-step form, submission with
signed receipt, provider matching, the ATS's review queue, rankings and the citizen's file.

``config.include("portal.applications")`` scans the views (traversal only: no new routes;
the JSON API covers applications as content).
"""


def includeme(config):
    config.add_job_kind("ricevuta", "portal.applications.sending.receipt_job")  # RECEIPT_JOB
    # «Aggiungi → Avviso» opens the Region's full authoring form, not the schema's form
    config.add_add_link("Call", "portal.applications.views.calls.new_call_url")
    config.include("portal.applications.household")  # drafts read the household code
    config.scan("portal.applications")
