"""Revisions of an approved plan and the differences between two versions."""
import re

from portal.plans import store
from tests.functional.applications.conftest import client, post
from tests.functional.plans.plan_fixtures import fire
from tests.functional.plans.review_fixtures import other_officer, read
from workflows import zone_plan as workflow

APPROVE = (workflow.SUBMIT, workflow.TAKE_IN_CHARGE, workflow.APPROVE)


def approved_then_revised(app, change=None):
    """Version 1 approved, version 2 created by the ATS through the page (and ``change``d)."""
    fire(app, app.plan_path + "/versione-1", *APPROVE)
    response = post(client(app, "rup-ba01"), app.plan_path + "/@@nuova-versione")
    assert response.location.rstrip("/") == f"http://localhost{app.plan_path}/versione-2"
    if change is not None:
        read(app, app.plan_path + "/versione-2", change)
    return app.plan_path + "/versione-2"


def more_for_sad(version):
    """SAD gets 20,000 more FNA in 2026 (the other cells stay)."""
    rows = [{"intervention": i, "source": s, "year": str(y), "amount": str(v)}
            for (i, s, y), v in version.allocations.items()]
    for row in rows:
        if (row["intervention"], row["source"], row["year"]) == ("SAD", "FNA", "2026"):
            row["amount"] = "270000.00"
    store.save_allocations(version, rows, sent_token=None, who="rup-ba01")


def test_a_revision_after_approval_is_version_two_with_the_same_data(plan_app):
    path = approved_then_revised(plan_app)
    first, second = (read(plan_app, f"{plan_app.plan_path}/versione-{n}", lambda v: (
        v.state, v.number, v.based_on, v.sources, dict(v.availability), dict(v.cofinancing),
        v.interventions, dict(v.allocations))) for n in (1, 2))
    assert second[:3] == (workflow.DRAFT, 2, 1)
    assert first[0] == workflow.APPROVED
    assert second[3:] == first[3:]
    # a second revision while version 2 is open: 409, nothing created
    page = post(client(plan_app, "rup-ba01"), plan_app.plan_path + "/@@nuova-versione",
                status=409)
    assert "non ancora approvata" in page.text
    assert read(plan_app, plan_app.plan_path, lambda p: len(store.versions_of(p))) == 2
    assert read(plan_app, path, lambda v: v.state) == workflow.DRAFT


def test_only_the_ats_officers_open_a_revision(plan_app):
    fire(plan_app, plan_app.plan_path + "/versione-1", *APPROVE)
    other = other_officer(plan_app)
    for who in ("regione", other, "cittadino"):
        post(client(plan_app, who), plan_app.plan_path + "/@@nuova-versione", status=403)
    post(client(plan_app), plan_app.plan_path + "/@@nuova-versione", status=403)
    client(plan_app, "rup-ba01").get(plan_app.plan_path + "/@@nuova-versione", status=404)
    assert read(plan_app, plan_app.plan_path, lambda p: len(store.versions_of(p))) == 1


def cells(page, table):
    body = page.text.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return {key: [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for key, row in re.findall(r'data-[a-z]+="([^"]+)"[^>]*>(.*?)</tr>', body, re.DOTALL)}


def test_the_diff_shows_a_changed_allocation_with_its_difference(plan_app):
    approved_then_revised(plan_app, more_for_sad)
    ats = client(plan_app, "rup-ba01")
    page = ats.get(plan_app.plan_path + "/@@confronta")  # the last two by default
    assert 'data-da="1" data-a="2"' in page.text
    assert cells(page, "diff-celle") == {
        "SAD/FNA/2026": ["Fondo per le non autosufficienze", "2026", "€ 250.000,00",
                         "€ 270.000,00", "+€ 20.000,00"]}
    # by source: FNA allocated 750,000 → 770,000; its availability unchanged
    assert cells(page, "diff-assegnato")["FNA"] == ["€ 750.000,00", "€ 770.000,00",
                                                    "+€ 20.000,00"]
    assert cells(page, "diff-disponibile")["FNA"][2] == "—"
    assert cells(page, "diff-interventi")["SAD"] == ["€ 1.050.000,00", "€ 1.070.000,00",
                                                     "+€ 20.000,00"]
    assert cells(page, "diff-interventi")["PSW"][2] == "—"
    # the other way round: the difference is negative
    back = ats.get(plan_app.plan_path + "/@@confronta", {"da": "2", "a": "1"})
    assert cells(back, "diff-celle")["SAD/FNA/2026"][4] == "-€ 20.000,00"


def test_an_added_intervention_is_marked(plan_app):
    def add_one(version):
        rows = [dict(i) for i in version.interventions] + [{
            "code": "NEW", "title": "Pronto intervento sociale", "service": "PSW",
            "area": "MULBEN", "objective": "1A", "level": "AMBITO"}]
        store.save_interventions(version, rows, sent_token=None, who="rup-ba01")
    approved_then_revised(plan_app, add_one)
    page = client(plan_app, "rup-ba01").get(plan_app.plan_path + "/@@confronta",
                                            {"da": "1", "a": "2"})
    assert cells(page, "diff-interventi")["NEW"] == ["—", "€ 0,00", "—"]
    assert "aggiunto" in page.text.split('data-intervention="NEW"', 1)[1].split("</tr>")[0]


def test_bad_comparisons_get_clear_messages_never_a_5xx(plan_app):
    approved_then_revised(plan_app)
    ats = client(plan_app, "rup-ba01")
    url = plan_app.plan_path + "/@@confronta"
    for query, status, text in (
            ({"da": "uno", "a": "2"}, 400, "non è un numero di versione"),
            ({"da": "0", "a": "2"}, 400, "non è un numero di versione"),
            ({"da": "1", "a": "1"}, 400, "sono la stessa"),
            ({"da": "1"}, 400, "entrambe"),
            ({"da": "1", "a": "9"}, 404, "La versione 9 non esiste"),
            ({"da": "1", "a": "9" * 40}, 400, "non è un numero di versione")):
        page = ats.get(url, query, status=status)
        assert text in page.text, query


def message(page):
    """The error's own sentence on a refusal page (what differs from one refusal to another)."""
    return re.findall(r"<p>([^<]*versione[^<]*)</p>", page.text)


def test_a_draft_is_compared_only_by_who_may_see_it(plan_app):
    approved_then_revised(plan_app, more_for_sad)
    url = plan_app.plan_path + "/@@confronta"
    other = other_officer(plan_app)
    # version 2 is a draft: to anyone but the ATS it is as if it did not exist
    for who in (None, "cittadino", other, "regione"):
        visitor = client(plan_app, who) if who else client(plan_app)
        page = visitor.get(url, {"da": "1", "a": "2"}, status=404)
        assert "La versione 2 non esiste" in page.text
        assert "270.000" not in page.text
        missing = visitor.get(url, {"da": "1", "a": "3"}, status=404)
        assert message(missing) == [m.replace("2", "3") for m in message(page)]  # as missing
        # by default: the only version they may see, nothing to compare
        alone = visitor.get(url)
        assert 'id="nessun-confronto"' in alone.text
        assert "diff-celle" not in alone.text
    # once approved, everyone sees the difference
    fire(plan_app, plan_app.plan_path + "/versione-2", *APPROVE)
    page = client(plan_app).get(url)
    assert "+€ 20.000,00" in page.text
