"""The zone-plan pages; ``includeme`` registers the view predicate the frozen pages use."""


class PlanStatePredicate:
    """``plan_state=(...)``: the view answers only while the version is in one of the states."""

    def __init__(self, value, config):
        self.states = frozenset((value,) if isinstance(value, str) else value)

    def text(self):
        return f"plan_state = {sorted(self.states)}"

    phash = text

    def __call__(self, context, request):
        return getattr(context, "state", None) in self.states


def includeme(config):
    config.add_view_predicate("plan_state", PlanStatePredicate)
