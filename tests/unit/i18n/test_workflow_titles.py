"""Workflow state and transition titles: in the reader's language on pages, Italian in the API."""
import pytest
from babel.messages.pofile import read_po

from portal.locale.update import LOCALE_DIR
from tests.conftest import csrf_token, login
from tests.unit.i18n.test_new_pages import ENTRY, text_of
from workflows import get_workflows


def titles(workflow):
    """Every title a page may show for ``workflow``: its own, its states', its transitions'."""
    return [workflow.title_it, *(s.title_it for s in workflow.states),
            *(t.title_it for t in workflow.transitions)]


@pytest.fixture
def registered(i18n_app):
    return get_workflows(i18n_app.app.registry)


def test_every_workflow_title_has_an_english_translation(registered):
    with open(LOCALE_DIR / "en" / "LC_MESSAGES" / "portal.po", "rb") as source:
        catalog = read_po(source)
    assert {"application", "catalogue_entry", "attestation", "zone_plan"} <= set(registered)
    for workflow in registered.values():
        for title in [*titles(workflow), "Creato"]:
            message = catalog.get(title)
            assert message is not None, title
            assert message.string, title
            assert not message.fuzzy, title


def test_workflow_titles_are_plain_text(registered):
    """The engine writes them into the history stored in ZODB: never a translation string."""
    for workflow in registered.values():
        assert all(type(title) is str for title in titles(workflow)), workflow.name


def test_catalogue_entry_state_and_history_in_english(i18n_app):
    login(i18n_app, "girasole")
    english = text_of(i18n_app.get(ENTRY, params={"_LOCALE_": "en"}).text)
    assert "State: Published (accredited)" in english
    assert "Withdraw from the catalogue" in english
    assert "Accredit and publish (Awaiting accreditation → Published (accredited))" in english
    for italian in ("Pubblicata (accreditata)", "Ritira dal catalogo", "Accredita e pubblica",
                    "In attesa di accreditamento", "Creato"):
        assert italian not in english, italian
    page = text_of(i18n_app.get(ENTRY).text)
    assert "Stato: Pubblicata (accreditata)" in page
    assert "Accredita e pubblica (In attesa di accreditamento → Pubblicata (accreditata))" in page


def test_api_keeps_the_italian_state_title(i18n_app):
    login(i18n_app, "girasole")
    data = i18n_app.get("/api" + ENTRY, params={"_LOCALE_": "en"}).json
    assert data["workflow"]["state"] == "published"
    assert data["workflow"]["state_title"] == "Pubblicata (accreditata)"


def test_review_queue_states_in_english(i18n_app):
    login(i18n_app, "rup-ba01")
    english = text_of(i18n_app.get("/ambiti/ba-01/@@istruttoria", params={"_LOCALE_": "en"}).text)
    assert "Matched" in english
    assert "Under review" in english
    assert "Abbinata" not in english
    assert "In istruttoria" not in english
    italian = text_of(i18n_app.get("/ambiti/ba-01/@@istruttoria").text)
    assert "Abbinata" in italian
    assert "Matched" not in italian


def test_workflow_table_in_english(i18n_app):
    login(i18n_app, "admin")
    english = text_of(i18n_app.get("/@@gestione-workflow", params={"_LOCALE_": "en"}).text)
    for words in ("Service voucher application", "Suspended for additional documents",
                  "Start the review", "Zone social plan", "Monthly attestation"):
        assert words in english, words
    for words in ("Domanda di buono servizio", "Sospesa per integrazione", "Avvia l'istruttoria",
                  "Piano sociale di zona"):
        assert words not in english, words


def test_history_keeps_the_italian_title(i18n_app):
    """A transition fired from an English page stores the Italian title, as plain text."""
    login(i18n_app, "girasole")
    token = csrf_token(i18n_app)
    i18n_app.set_cookie("_LOCALE_", "en")  # the header's language switch
    done = i18n_app.post(ENTRY + "/@@transizione", {"transition": "withdraw", "csrf_token": token},
                         status=303).follow()
    assert "Withdraw from the catalogue" in text_of(done.text)
    connection = i18n_app.app.registry._zodb_databases[""].open()
    try:
        entry = connection.root()["portal"]
        for name in ENTRY.strip("/").split("/"):
            entry = entry[name]
        last = entry.workflow_history[-1]
        assert last["title"] == "Ritira dal catalogo"
        assert type(last["title"]) is str
        assert all(type(h["title"]) is str for h in entry.workflow_history)
    finally:
        connection.close()
