"""The skeleton tree every portal starts with."""
from content_types.folder import DistrictFolder, Folder, ProviderFolder
from content_types.portal_root import Portal
from content_types.region import Region
from content_types.users import UserFolder

SECTIONS = (
    ("regione", Region, "Regione Puglia", {"istat_code": "16"}),
    ("ambiti", DistrictFolder, "Ambiti territoriali sociali", {}),
    ("catalogo", ProviderFolder, "Catalogo dell'offerta", {}),
    ("documenti", Folder, "Documenti", {}),
    ("utenti", UserFolder, "Utenti e gruppi", {}),
)


def create_portal(registry, title="Portale dei servizi sociali"):
    """A new ``Portal`` with its sections (evolve steps still to run)."""
    portal = Portal(title=title, description="Servizi sociali della Regione Puglia")
    for name, factory, section_title, data in SECTIONS:
        portal.add(name, factory(title=section_title, **data), registry=registry)
    return portal
