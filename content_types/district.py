"""A Territorial Social District (ATS) and its municipalities."""
import colander

from content_types.base import Container
from content_types.registry import content_type
from content_types.schemas import BaseSchema, strip
from content_types.security import (
    ADD_CONTENT,
    ADD_EDITORIAL,
    ATS_OFFICER,
    DELETE,
    EDIT,
    EDITOR,
    EXPORT_SIUSS,
    GRANT_BENEFIT,
    MANAGE,
    MUNICIPAL_OPERATOR,
    OPEN_CASE,
    REGION_OFFICER,
    REGISTER_PEOPLE,
    SOCIAL_WORKER,
    VIEW,
    VIEW_AUDIT,
    VIEW_PERSONAL_DATA,
    Allow,
    role,
)
from content_types.validators import belfiore, istat_comune, normalize_code


class DistrictSchema(BaseSchema):
    code = colander.SchemaNode(
        colander.String(), title="Codice dell'Ambito", description="Ad esempio BA-01",
        preparer=normalize_code,
        validator=colander.Regex(r"^[A-Z]{2}-\d{2}$", "Il codice è nella forma BA-01."),
    )
    lead_municipality = colander.SchemaNode(
        colander.String(), title="Comune capofila", preparer=strip,
        validator=colander.Length(min=1, max=100),
    )


@content_type(
    "District", title="Ambito territoriale sociale", title_plural="Ambiti",
    schema=DistrictSchema, addable_to=("DistrictFolder",),
    catalog_attributes=("title", "code"),
)
class District(Container):
    type_name = "District"
    description = ""
    code = ""
    lead_municipality = ""
    #: a portal.payments.ledger.Ledger: every budget, commitment and payment of the ATS
    ledger = None
    __acl__ = (
        (Allow, role(ATS_OFFICER),
         (EDIT, ADD_CONTENT, ADD_EDITORIAL, DELETE, MANAGE, VIEW_AUDIT, VIEW_PERSONAL_DATA,
          REGISTER_PEOPLE, GRANT_BENEFIT, EXPORT_SIUSS)),
        (Allow, role(REGION_OFFICER), (EDIT, ADD_CONTENT, ADD_EDITORIAL)),
        (Allow, role(EDITOR), (ADD_EDITORIAL,)),
        # the social-services side: held on the whole ATS or on one municipality (below)
        (Allow, role(MUNICIPAL_OPERATOR), (VIEW, VIEW_PERSONAL_DATA, REGISTER_PEOPLE, GRANT_BENEFIT)),
        (Allow, role(SOCIAL_WORKER), (VIEW, VIEW_PERSONAL_DATA, REGISTER_PEOPLE, OPEN_CASE)),
    )


class MunicipalitySchema(BaseSchema):
    istat_code = colander.SchemaNode(
        colander.String(), title="Codice ISTAT", preparer=normalize_code,
        validator=istat_comune,
    )
    cadastral_code = colander.SchemaNode(
        colander.String(), title="Codice catastale (Belfiore)", preparer=normalize_code,
        validator=belfiore,
    )
    province = colander.SchemaNode(
        colander.String(), title="Provincia (sigla)", preparer=normalize_code,
        validator=colander.Regex(r"^[A-Z]{2}$", "La sigla della provincia è di 2 lettere."),
    )
    inhabitants = colander.SchemaNode(
        colander.Integer(), title="Abitanti", missing=0,
        validator=colander.Range(min=0, max=5_000_000, min_err="Non può essere negativo."),
    )
    # where the map of needs draws the municipality (WGS 84, decimal degrees)
    latitude = colander.SchemaNode(
        colander.Float(), title="Latitudine", missing=None,
        validator=colander.Range(min=-90, max=90, min_err="Latitudine non valida.",
                                 max_err="Latitudine non valida."),
    )
    longitude = colander.SchemaNode(
        colander.Float(), title="Longitudine", missing=None,
        validator=colander.Range(min=-180, max=180, min_err="Longitudine non valida.",
                                 max_err="Longitudine non valida."),
    )


@content_type(
    "Municipality", title="Comune", title_plural="Comuni",
    schema=MunicipalitySchema, addable_to=("District",),
    catalog_attributes=("title", "istat_code"),
)
class Municipality(Container):
    type_name = "Municipality"
    description = ""
    istat_code = ""
    cadastral_code = ""
    province = ""
    inhabitants = 0
    latitude = None  # float, WGS 84 (the map of needs)
    longitude = None
    #: a portal.register.needs_map.NeedsCounters: people in care and benefits by user area
    needs_counters = None
