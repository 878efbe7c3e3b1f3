"""Notifications of the monthly cycle: the family asked to confirm, the provider told the outcome."""
from portal.notifications.store import get_store
from tests.functional.applications.conftest import client, post, run_in_app
from tests.functional.notifications.test_notifications import mails
from tests.functional.payments.family_fixtures import active_application, add_attestation

REASON = "Le presenze non coincidono con il registro."


def notes(app, login):
    def work(portal):
        store = get_store(portal._p_jar)
        box = store.inbox(login) if store is not None else None
        return [(n.kind, n.key, n.details, n.target_path) for n in box.newest()] if box else []
    return run_in_app(app, work)


def notes_about(app, login, path):
    """``login``'s notes about ``path`` or what it holds (the demo's other notes left out)."""
    return [n for n in notes(app, login)
            if n[3] == path or n[3].startswith(path.rstrip("/") + "/")]


def fire(app, url, who, name, comment=""):
    """Fire ``name`` on the attestation at ``url`` as ``who`` through the generic transition form."""
    post(client(app, who), url + "/@@transizione", {"transition": name, "comment": comment})


def test_a_new_draft_asks_the_family_and_the_return_tells_the_provider(
        applications_app, codes, inbox):
    url = active_application(applications_app, codes)
    inbox.messages.clear()
    attestation = add_attestation(applications_app, url)
    month = attestation.rsplit("/", 1)[1]
    family = [n for n in notes(applications_app, "cittadino")
              if n[0] == "attestazione_da_confermare"]
    assert len(family) == 1
    assert family[0][3] == attestation
    sent = mails(inbox, "cittadino@example.it")
    assert any(f"C'è un'attestazione da confermare: {month}" in subject
               for _to, subject, _body in sent)
    # the message's link opens the confirmation page
    citizen = client(applications_app, "cittadino")
    page = citizen.get("/@@messaggi")
    assert "attestazione da confermare" in page.text
    post(citizen, attestation + "/@@conferma")
    assert not [n for n in notes_about(applications_app, "girasole", url)
                if n[0].startswith("attestazione_")]
    fire(applications_app, attestation, "girasole", "send")
    inbox.messages.clear()
    fire(applications_app, attestation, "rup-ba01", "reject", REASON)
    returned = [n for n in notes_about(applications_app, "girasole", attestation)
                if n[0] == "attestazione_respinta"]
    assert len(returned) == 1
    assert returned[0][2] == REASON
    provider_mail = [m for m in mails(inbox) if "respinta" in m[1]]
    assert provider_mail
    assert all(REASON not in body for _to, _s, body in provider_mail)
    # reopened: the family is asked again (a new key per round)
    fire(applications_app, attestation, "girasole", "revise")
    family = [n for n in notes(applications_app, "cittadino")
              if n[0] == "attestazione_da_confermare"]
    assert len(family) == 2


def test_validated_and_paid_tell_the_provider_once(applications_app, codes, inbox):
    url = active_application(applications_app, codes)
    attestation = add_attestation(applications_app, url)
    post(client(applications_app, "cittadino"), attestation + "/@@conferma")
    fire(applications_app, attestation, "girasole", "send")
    fire(applications_app, attestation, "rup-ba01", "validate")
    fire(applications_app, attestation, "rup-ba01", "pay")
    kinds = [n[0] for n in notes_about(applications_app, "girasole", attestation)]
    assert kinds.count("attestazione_validata") == 1
    assert kinds.count("attestazione_liquidata") == 1
    assert not [n for n in notes(applications_app, "cittadino")
                if n[0] in ("attestazione_validata", "attestazione_liquidata")]
