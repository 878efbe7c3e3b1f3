"""The Region: opens calls, accredits providers, approves zone plans."""
import colander

from content_types.base import Container
from content_types.registry import content_type
from content_types.schemas import BaseSchema
from content_types.security import (
    ADD_CONTENT,
    ADD_EDITORIAL,
    DELETE,
    EDIT,
    EDITOR,
    MANAGE,
    REGION_OFFICER,
    VIEW_AUDIT,
    Allow,
    role,
)


class RegionSchema(BaseSchema):
    istat_code = colander.SchemaNode(
        colander.String(), title="Codice ISTAT della regione",
        validator=colander.Regex(r"^\d{2}$", "Il codice ISTAT della regione è di 2 cifre."),
    )


@content_type("Region", title="Regione", schema=RegionSchema, addable_to=())
class Region(Container):
    type_name = "Region"
    description = ""
    istat_code = ""
    #: zone plans: the minimum municipal co-financing, € per inhabitant per year (Decimal)
    plan_min_cofinancing = None
    #: zone plans: the share of the FNPS allocation to commit, % (Decimal); below: a warning
    plan_fnps_threshold = None
    __acl__ = (
        (Allow, role(REGION_OFFICER), (EDIT, ADD_CONTENT, ADD_EDITORIAL, DELETE, MANAGE, VIEW_AUDIT)),
        (Allow, role(EDITOR), (ADD_EDITORIAL,)),
    )
