"""The issue-15 zone-plan pages in English: the plan, a version, monitoring, the Region's FNPS
table and the archive; none of their Italian template text may show through."""
import re

from tests.functional.plans.monitoring_fixtures import monitored_app  # noqa: F401 (fixture)
from tests.functional.plans.plan_fixtures import client_as, plan_app  # noqa: F401 (fixture)


def english_text(app, who, path):
    client = client_as(app, who)
    client.set_cookie("_LOCALE_", "en")
    page = client.get(path)
    assert '<html lang="en"' in page.text
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


def assert_english(text, present, absent):
    for words in present:
        assert words in text, words
    for words in absent:
        assert words not in text, words


def test_monitoring_in_english(monitored_app, compiled_catalogs):  # noqa: F811
    text = english_text(monitored_app, "rup-ba01", monitored_app.plan_path + "/@@monitoraggio")
    assert_english(text, ("Spending monitoring", "National Fund for Social Policies (FNPS)",
                          "Savings", "Outstanding commitments", "Committed share",
                          "Record a commitment or a payment", "Download the movements (CSV)"),
                   ("Monitoraggio della spesa", "Economia", "Residuo passivo", "Quota impegnata",
                    "Registra un impegno", "Scarica i movimenti"))


def test_region_fnps_table_in_english(monitored_app, compiled_catalogs):  # noqa: F811
    text = english_text(monitored_app, "regione", "/regione/@@piani-fnps")
    assert_english(text, ("FNPS monitoring of the zone plans", "Savings", "Committed share"),
                   ("Monitoraggio FNPS", "Economia", "Quota impegnata"))


def test_plan_and_version_in_english(plan_app, compiled_catalogs):  # noqa: F811
    text = english_text(plan_app, "rup-ba01", plan_app.plan_path)
    assert_english(text, ("The versions of the plan",), ("Le versioni del piano",))
    text = english_text(plan_app, "rup-ba01", plan_app.plan_path + "/versione-1")
    assert_english(text, ("Plan checks", "Resources per source", "Available"),
                   ("Controlli del piano", "Risorse per fonte", "Disponibile"))


def test_archive_in_english(plan_app, compiled_catalogs):  # noqa: F811
    text = english_text(plan_app, "rup-ba01", plan_app.plan_path + "/archivio/")
    # the folders' titles are stored content, in Italian: only the page's own text is checked
    assert_english(text, ("Document archive —", "Official documents", "Working material"),
                   ("Archivio documentale —", "Documenti ufficiali", "L'archivio è condiviso"))
