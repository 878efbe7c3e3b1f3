"""A plan archive's document: found by its PDF text by the ATS and the Region only (both backends)."""
from content_types.events import LocalRolesChanged
from content_types.security import ATS_OFFICER, Authenticated, Everyone, set_local_roles
from content_types.zone_plan import ArchiveDocument, ArchiveFolder, PlanArchive, PlanFolder, ZonePlan
from tests.unit.catalog.conftest import ALICE, ANON, BOB, CAROL, RITA, build_tree

DAVE = (Everyone, Authenticated, "user:dave")  # officer of BA-02
ADMIN = (Everyone, Authenticated, "user:admin", "role:admin")


def test_only_the_plans_ats_and_the_region_find_an_archive_document(portal):
    objs = build_tree(portal.root, portal.registry)
    registry = portal.registry
    set_local_roles(objs["BA-02"], "user:dave", {ATS_OFFICER})
    registry.notify(LocalRolesChanged(objs["BA-02"]))
    plan = objs["BA-01"].add("piani", PlanFolder(title="Piani"), registry=registry).add(
        "2025-2027", ZonePlan(title="Piano 2025-2027"), registry=registry)
    folder = plan.add("archivio", PlanArchive(title="Archivio"), registry=registry).add(
        "delibere", ArchiveFolder(title="Delibere"), registry=registry)
    document = folder.add("delibera", ArchiveDocument(
        title="Delibera del coordinamento", text="Testo estratto: zafferanotto e altro"),
        registry=registry)
    portal.commit()
    for who in (BOB, RITA):
        found = portal.search(who, text="zafferanotto", facets=("type_name",))
        assert [h.uid for h in found.items] == [document.uid]
        assert found.facets["type_name"] == [("ArchiveDocument", 1)]
    for who in (ANON, ALICE, CAROL, DAVE, ADMIN):
        found = portal.search(who, text="zafferanotto", facets=("type_name",))
        assert found.total == 0
        assert found.facets.get("type_name", []) == []
        assert portal.search(who, text="Delibera coordinamento").total == 0
