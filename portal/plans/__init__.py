"""Zone social plans (domain.md §6): the budget as data, its invariants, the Region's review,
versions and their differences, the document archive, the signed summary, the dashboards.

``config.include("portal.plans")`` registers its submission check and scans its views.
"""


def includeme(config):
    config.include("portal.plans.subscribers")  # the workflow asks the budget rules
    config.include("portal.plans.summary")  # an approved version's signed summary
    config.include("portal.plans.notices")  # the Region and the ATS told of each step
    config.include("portal.plans.views")  # the plan_state predicate, before the scan
    config.scan("portal.plans")
