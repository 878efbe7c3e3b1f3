"""A generic folder, and the fixed top-level sections built on it."""
from content_types.base import Container
from content_types.registry import content_type
from content_types.schemas import BaseSchema
from content_types.security import ADD_CONTENT, DELETE, EDIT, REGION_OFFICER, Allow, role

GENERIC_PARENTS = ("Portal", "Folder", "Region", "District", "Provider")


@content_type(
    "Folder", title="Cartella", title_plural="Cartelle", schema=BaseSchema,
    addable_to=GENERIC_PARENTS, catalog_attributes=("title", "description"),
)
class Folder(Container):
    type_name = "Folder"
    description = ""


@content_type(
    "DistrictFolder", title="Elenco degli Ambiti", schema=BaseSchema,
    addable_to=(), listable=False,
)
class DistrictFolder(Container):
    """``/ambiti``: holds the Territorial Social Districts."""

    type_name = "DistrictFolder"
    description = ""
    __acl__ = ((Allow, role(REGION_OFFICER), (EDIT, ADD_CONTENT, DELETE)),)


@content_type(
    "ProviderFolder", title="Catalogo dell'offerta", schema=BaseSchema,
    addable_to=(), listable=False,
)
class ProviderFolder(Container):
    """``/catalogo``: the accredited providers."""

    type_name = "ProviderFolder"
    description = ""
    __acl__ = ((Allow, role(REGION_OFFICER), (EDIT, ADD_CONTENT, DELETE)),)
