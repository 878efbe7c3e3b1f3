"""The root of the tree: the portal itself."""
from pyramid.authorization import ALL_PERMISSIONS

from content_types.base import Container
from content_types.registry import content_type
from content_types.schemas import BaseSchema
from content_types.security import ADMIN, VIEW, Allow, Everyone, role


@content_type("Portal", title="Portale", schema=BaseSchema, listable=False)
class Portal(Container):
    """The root object; top-level sections are its children."""

    type_name = "Portal"
    description = ""
    region_name = "Regione Puglia"
    #: the numbered evolve step the data is at (see ``portal.evolve``)
    db_version = 0
    __acl__ = (
        (Allow, role(ADMIN), ALL_PERMISSIONS),
        (Allow, Everyone, VIEW),
    )
