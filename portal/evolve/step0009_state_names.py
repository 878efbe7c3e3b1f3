"""Rinomina gli stati dei flussi di lavoro con i loro identificativi inglesi (storico e ricerca inclusi)."""
from catalog.api import get_catalog
from catalog.entry import descendants
from workflows import former_state_ids
from workflows.engine import CREATED, FORMER_CREATED


def renamed_history(history, states):
    """The history entries with former state ids (and the ``creato`` entry) renamed; None if none."""
    changed = False
    entries = []
    for entry in history:
        new = dict(entry)
        for key in ("from_state", "to_state"):
            if new.get(key) in states:
                new[key] = states[new[key]]
        if new.get("transition") == FORMER_CREATED:
            new["transition"] = CREATED
        changed = changed or new != entry
        entries.append(new)
    return tuple(entries) if changed else None


def rename(obj, states):
    """Rename the stored ids of ``obj``; True if anything changed."""
    changed = False
    state = getattr(obj, "state", None)
    if isinstance(state, str) and state in states:
        obj.state = states[state]
        changed = True
    history = renamed_history(getattr(obj, "workflow_history", None) or (), states)
    if history is not None:
        obj.workflow_history = history
        changed = True
    # the ATS's decision records the state it led to
    decision = getattr(obj, "decision", None)
    if isinstance(decision, dict) and decision.get("outcome") in states:
        obj.decision = dict(decision, outcome=states[decision["outcome"]])
        changed = True
    return changed


def evolve(zodb_root, portal, registry):
    states = former_state_ids()
    catalog = get_catalog(portal, registry)
    for obj in descendants(portal):
        if rename(obj, states):
            # the state index, and the Elasticsearch outbox, learn the new id in this transaction
            catalog.reindex(obj)
