"""An accredited care provider (*ente gestore*): the legal body that runs service units."""
import colander

from content_types.base import Container
from content_types.registry import content_type
from content_types.schemas import BaseSchema, strip
from content_types.security import (
    ADD_CONTENT,
    DELETE,
    EDIT,
    PROVIDER,
    REGION_OFFICER,
    VIEW_PERSONAL_DATA,
    Allow,
    role,
)
from content_types.service_unit import known_district
from content_types.validators import fiscal_code, fiscal_code_or_vat, is_personal_code, normalize_code


class ProviderSchema(BaseSchema):
    # ``personal``: shown only to who holds view_personal_data (True, or a test of the value:
    # a sole trader's tax code is a person's codice fiscale, a company's number is public)
    tax_code = colander.SchemaNode(
        colander.String(), title="Codice fiscale / Partita IVA",
        preparer=normalize_code, validator=fiscal_code_or_vat, personal=is_personal_code,
    )
    pec = colander.SchemaNode(
        colander.String(), title="PEC", preparer=strip,
        validator=colander.Email("Indirizzo PEC non valido."),
    )
    address = colander.SchemaNode(
        colander.String(), title="Sede legale", preparer=strip, missing="",
        validator=colander.Length(max=300),
    )
    # the fields below are optional so that providers created before them stay valid
    legal_representative = colander.SchemaNode(
        colander.String(), title="Legale rappresentante", preparer=strip, missing="",
        validator=colander.Length(max=200), personal=True,
    )
    legal_representative_cf = colander.SchemaNode(
        colander.String(), title="Codice fiscale del legale rappresentante", missing="",
        preparer=normalize_code, validator=fiscal_code, personal=True,
    )
    ats_code = colander.SchemaNode(
        colander.String(), title="Ambito territoriale in cui opera",
        description="Codice dell'Ambito, ad esempio BA-01", missing="",
        preparer=normalize_code, validator=known_district,
    )


@content_type(
    "Provider", title="Ente gestore", title_plural="Enti gestori",
    schema=ProviderSchema, addable_to=("ProviderFolder",),
    catalog_attributes=("title", "description", "public_tax_code"),
)
class Provider(Container):
    type_name = "Provider"
    description = ""
    tax_code = ""
    pec = ""
    address = ""
    legal_representative = ""
    legal_representative_cf = ""
    #: stable id of the ATS (``District.code``, e.g. "BA-01"); "" if not given
    ats_code = ""
    __acl__ = (
        (Allow, role(PROVIDER), (EDIT, ADD_CONTENT, DELETE, VIEW_PERSONAL_DATA)),
        (Allow, role(REGION_OFFICER), (EDIT, ADD_CONTENT, VIEW_PERSONAL_DATA)),
    )

    @property
    def public_tax_code(self):
        """The tax code for search when it is a body's number (a person's code is not indexed)."""
        return "" if is_personal_code(self.tax_code) else self.tax_code

    @property
    def legal_name(self):
        """The registered name (ragione sociale) is the object's title."""
        return self.title
