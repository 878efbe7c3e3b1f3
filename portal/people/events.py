"""Events of the social side, sent with ``registry.notify``: plain classes, no behaviour.

The case manager hears of them (``portal.cases`` subscribes): a change of ISEE, address or
household, an application, a benefit granted, suspended or ended.
"""


class PersonChanged:
    """Something about ``person`` changed: ``what`` (isee, address, household, …)."""

    def __init__(self, person, what, details=None):
        self.person = person
        self.what = what
        self.details = dict(details or {})


class BenefitChanged:
    """A benefit of ``fiscal_code`` was granted, suspended, resumed, ended or cancelled."""

    def __init__(self, benefit, what, who=None):
        self.benefit = benefit
        self.what = what
        self.who = who
