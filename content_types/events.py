"""Events that cross packages.

Plain classes sent with ``registry.notify`` so that ``workflows`` and
``catalog`` react to each other's changes without importing each other.
"""


class ObjectEvent:
    def __init__(self, obj, request=None):
        self.object = obj
        self.request = request


class ObjectAdded(ObjectEvent):
    """``object`` was added to ``parent`` under ``name``."""

    def __init__(self, obj, parent, name, request=None):
        super().__init__(obj, request)
        self.parent = parent
        self.name = name


class ObjectModified(ObjectEvent):
    """Attributes of ``object`` changed; ``fields`` names them when known."""

    def __init__(self, obj, fields=(), request=None):
        super().__init__(obj, request)
        self.fields = tuple(fields)


class ObjectWillBeRemoved(ObjectEvent):
    """Sent before removal, while the object still has its path."""

    def __init__(self, obj, parent, name, request=None):
        super().__init__(obj, request)
        self.parent = parent
        self.name = name


class ObjectRemoved(ObjectEvent):
    def __init__(self, obj, parent, name, request=None):
        super().__init__(obj, request)
        self.parent = parent
        self.name = name


class ObjectMoved(ObjectEvent):
    """Renamed or moved: subtree paths changed."""

    def __init__(self, obj, old_parent, old_name, new_parent, new_name, request=None):
        super().__init__(obj, request)
        self.old_parent = old_parent
        self.old_name = old_name
        self.new_parent = new_parent
        self.new_name = new_name


class StateChanged(ObjectEvent):
    """A workflow transition moved ``object`` from ``old_state`` to ``new_state``."""

    def __init__(self, obj, workflow, transition, old_state, new_state,
                 comment="", request=None):
        super().__init__(obj, request)
        self.workflow = workflow
        self.transition = transition
        self.old_state = old_state
        self.new_state = new_state
        self.comment = comment


class LocalRolesChanged(ObjectEvent):
    """Local roles changed on ``object``: who may see its subtree changed."""


class ACLChanged(ObjectEvent):
    """``object.__acl__`` was rewritten (e.g. by a workflow state)."""
