"""Le domande diventano contenitori: sotto ciascuna vivono le attestazioni mensili."""
from content_types.application import Application
from content_types.district import District


def applications(portal):
    for district in portal.get("ambiti", {}).values():
        if not isinstance(district, District) or "domande" not in district:
            continue
        for folder in district["domande"].values():
            for obj in folder.values():
                if isinstance(obj, Application):
                    yield obj


def evolve(zodb_root, portal):
    # an Application stored when it was plain Content has no child structures yet
    for application in applications(portal):
        if "_items" not in application.__dict__:
            application.init_children()
