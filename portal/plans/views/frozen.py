"""A version that is not being drafted answers every edit attempt with why (409, Italian).

Its ACL already withholds editing; these views, more specific than the section pages and
«Invia alla Regione» (they add the version's state), turn the bare 403 into
``PlanFrozen``'s message (approved: make a new version) or ``PlanNotEditable``'s (with the
Region: wait until it is returned).
"""
from pyramid.view import view_config

from content_types.security import VIEW
from content_types.zone_plan import PlanVersion
from portal.plans.rules.errors import PlanFrozen, PlanNotEditable
from workflows import zone_plan as workflow


@view_config(context=PlanVersion, name="fonti", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.APPROVED,))
@view_config(context=PlanVersion, name="cofinanziamento", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.APPROVED,))
@view_config(context=PlanVersion, name="interventi", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.APPROVED,))
@view_config(context=PlanVersion, name="allocazioni", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.APPROVED,))
@view_config(context=PlanVersion, name="invia", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.APPROVED,))
def frozen_plan(context, request):
    raise PlanFrozen(fields={"versione": context.number})


@view_config(context=PlanVersion, name="fonti", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.SUBMITTED, workflow.UNDER_REVIEW))
@view_config(context=PlanVersion, name="cofinanziamento", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.SUBMITTED, workflow.UNDER_REVIEW))
@view_config(context=PlanVersion, name="interventi", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.SUBMITTED, workflow.UNDER_REVIEW))
@view_config(context=PlanVersion, name="allocazioni", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.SUBMITTED, workflow.UNDER_REVIEW))
@view_config(context=PlanVersion, name="invia", permission=VIEW, request_method=("GET", "POST"),
             plan_state=(workflow.SUBMITTED, workflow.UNDER_REVIEW))
def plan_with_the_region(context, request):
    raise PlanNotEditable(fields={"versione": context.number})
