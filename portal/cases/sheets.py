"""The assessment and the PAI written into a case (transaction-aware, no request)."""
from content_types.events import ObjectModified
from portal.cases.rules import assessment, pai
from portal.cases.store import _log


def _changed(case, field, registry):
    case.touch()
    if registry is not None:
        registry.notify(ObjectModified(case, fields=(field,)))


def set_assessment(case, who, registry=None, **values):
    """Check and store the social evaluation sheet (``assessment.check``'s arguments)."""
    sheet = assessment.check(who=who, **values)
    case.assessment = sheet
    _log(case, who, "assessment", dependent=sheet["dependent"])
    _changed(case, "assessment", registry)
    return sheet


def set_pai(case, who, registry=None, **values):
    """Check and store the PAI; reviews already done stay done."""
    done = tuple((case.pai or {}).get("done_reviews", ()))
    plan = pai.check(done_reviews=done, **values)
    case.pai = plan
    _log(case, who, "pai")
    _changed(case, "pai", registry)
    return plan


def review_done(case, day, who, registry=None):
    """Mark the PAI review of ``day`` as done (it is no longer a missed one)."""
    case.pai = pai.mark_done(case.pai, day)
    _log(case, who, "review", day=day)
    _changed(case, "pai", registry)
    return case.pai
