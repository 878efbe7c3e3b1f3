"""An accredited care provider (*ente gestore*)."""
import colander

from .base import Container
from .registry import content_type
from .schemas import BaseSchema, strip
from .security import ADD_CONTENT, DELETE, EDIT, PROVIDER, REGION_OFFICER, Allow, role
from .validators import fiscal_code_or_vat, normalize_code


class ProviderSchema(BaseSchema):
    tax_code = colander.SchemaNode(
        colander.String(), title="Codice fiscale / Partita IVA",
        preparer=normalize_code, validator=fiscal_code_or_vat,
    )
    pec = colander.SchemaNode(
        colander.String(), title="PEC", preparer=strip,
        validator=colander.Email("Indirizzo PEC non valido."),
    )
    address = colander.SchemaNode(
        colander.String(), title="Sede legale", preparer=strip, missing="",
        validator=colander.Length(max=300),
    )


@content_type(
    "Provider", title="Ente gestore", title_plural="Enti gestori",
    schema=ProviderSchema, addable_to=("ProviderFolder",),
    catalog_attributes=("title", "description", "tax_code"),
)
class Provider(Container):
    type_name = "Provider"
    description = ""
    tax_code = ""
    pec = ""
    address = ""
    __acl__ = (
        (Allow, role(PROVIDER), (EDIT, ADD_CONTENT, DELETE)),
        (Allow, role(REGION_OFFICER), (EDIT, ADD_CONTENT)),
    )
