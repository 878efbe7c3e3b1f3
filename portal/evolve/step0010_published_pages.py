"""Pubblica le pagine create prima del flusso redazionale (erano pubbliche) e le reindicizza."""
from catalog.api import get_catalog
from catalog.entry import descendants
from content_types.values import utcnow
from workflows import get_workflow
from workflows.editorial import NAME, PUBLISHED

#: the history entry the step writes, so the page's history says where its state came from
HISTORY_TITLE = "Pubblicata dall'aggiornamento dei dati (era pubblica prima del flusso redazionale)"


def publish_unmanaged(obj, workflow):
    """Give a Page without a state the published state and its ACL; True if it changed."""
    if getattr(obj, "type_name", None) != "Page" or getattr(obj, "state", None) is not None:
        return False
    obj.state = PUBLISHED
    obj.__acl__ = workflow.acl_for(PUBLISHED)
    obj.workflow_history = (*(getattr(obj, "workflow_history", None) or ()), {
        "who": None, "when": utcnow(), "transition": "evolve", "title": HISTORY_TITLE,
        "from_state": None, "to_state": PUBLISHED, "comment": "",
    })
    return True


def evolve(zodb_root, portal, registry):
    workflow = get_workflow(registry, NAME)
    catalog = get_catalog(portal, registry)
    for obj in descendants(portal):
        if publish_unmanaged(obj, workflow):
            # state and allowed principals change in the index, in this transaction
            catalog.reindex(obj)
