"""Notifications through the real app: inbox, unread count, e-mail after commit, reminders, deadline."""
import email
import html
import re
from datetime import timedelta
from email import policy

from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

import workflows
from content_types.events import LocalRolesChanged
from content_types.security import set_local_roles
from content_types.values import ROME, utcnow
from portal.applications import services
from portal.applications.rules import lapse
from portal.notifications import reminders, service, unread_count
from portal.notifications.store import get_store
from tests.functional.applications.conftest import (
    CALL,
    client,
    complete_draft,
    post,
    run_in_app,
    submit,
    version_of,
)

QUEUE = "/ambiti/ba-01/@@istruttoria"
RANKING = "/ambiti/ba-01/@@graduatoria?avviso=buoni-minori-2026"
ASKED = "Allegare il certificato del pediatra."


def at(portal, url):
    obj = portal
    for part in url.strip("/").split("/"):
        obj = obj[part]
    return obj


def mails(inbox, to=None):
    """(to, subject, text) of every message received, parsed."""
    found = []
    for envelope in inbox.messages:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        if to is None or to in envelope.rcpt_tos:
            found.append((envelope.rcpt_tos, str(message["Subject"]),
                          message.get_body().get_content()))
    return found


def notes_of(app, login):
    """(kind, key, read, title msgid mapping) of ``login``'s messages, newest first."""
    def work(portal):
        store = get_store(portal._p_jar)
        inbox = store.inbox(login) if store is not None else None
        if inbox is None:
            return [], 0
        return ([(n.kind, n.key, n.read, n.title["mapping"], n.id, n.details)
                 for n in inbox.newest()], inbox.unread_count())
    return run_in_app(app, work)


def submitted(app, codes, who="luca"):
    citizen = client(app, "cittadino")
    url = complete_draft(citizen, codes[who])
    submit(citizen, url)
    return citizen, url


def matched(app, url):
    provider = client(app, "girasole")
    page = provider.get(url + "/@@abbinamento")
    post(provider, url + "/@@abbinamento", {"decisione": "accetta", "_version": version_of(page)})
    return provider


def officer_does(officer, url, action, **extra):
    page = officer.get(url + "/@@esame")
    return post(officer, url + "/@@esame", {"azione": action, "_version": version_of(page),
                                            **extra})


def integration_requested(app, codes, inbox):
    citizen, url = submitted(app, codes)
    matched(app, url)
    officer = client(app, "rup-ba01")
    officer_does(officer, url, "start_review")
    inbox.messages.clear()
    officer_does(officer, url, "request_integration", comment=ASKED)
    return citizen, officer, url


def test_integration_request_reaches_the_inbox_and_the_mail_after_commit(
        applications_app, codes, inbox):
    citizen, _, url = integration_requested(applications_app, codes, inbox)
    facts = run_in_app(applications_app, lambda p: (
        at(p, url).protocol, at(p, url).integration_deadline, at(p, url).email))
    protocol, deadline, address = facts
    day = deadline.astimezone(ROME).strftime("%d/%m/%Y")
    # ten days (the call's default), the request's day not counted, to 23:59 in Rome
    assert (deadline - utcnow()) > timedelta(days=9)
    assert deadline.astimezone(ROME).strftime("%H:%M") == "23:59"
    notes, unread = notes_of(applications_app, "cittadino")
    integration = [n for n in notes if n[0] == "integrazione"]
    assert len(integration) == 1
    assert unread == sum(1 for n in notes if not n[2])
    assert integration[0][5] == ASKED
    # the inbox page: newest first, unread marked, the deadline and what is asked
    page = citizen.get("/@@messaggi")
    text = " ".join(html.unescape(page.text).split())
    assert f"Richiesta di integrazione per la domanda {protocol}" in text
    assert f"Termine per l'invio: {day} alle 23:59 (ora italiana)" in text
    assert ASKED in text
    assert "Non letto" in text
    # the application page and the integration page show the deadline too
    shown = re.sub(r"<[^>]+>", "", html.unescape(citizen.get(url).text))
    assert f"L'integrazione va inviata entro il {day} alle 23:59" in " ".join(shown.split())
    assert day in citizen.get(url + "/@@integrazione").text
    # the e-mail left after the commit: message and link, not the officer's words
    (to, subject, body), = mails(inbox, address)
    assert to == [address]
    assert subject == f"Richiesta di integrazione per la domanda {protocol}"
    assert day in body
    assert ASKED not in body
    link = re.search(r"http://\S+/@@messaggi/([0-9a-f]{32})", body)
    assert link
    assert link.group(1) == integration[0][4]
    # the link marks it read and opens the integration page
    opened = citizen.get(f"/@@messaggi/{link.group(1)}", status=303)
    assert opened.headers["Location"].endswith(url + "/@@integrazione")
    notes, unread = notes_of(applications_app, "cittadino")
    assert [n[2] for n in notes if n[0] == "integrazione"] == [True]
    assert unread == sum(1 for n in notes if not n[2])


def test_an_aborted_transaction_notifies_nobody(applications_app, codes, inbox):
    _, url = submitted(applications_app, codes)
    matched(applications_app, url)
    officer = client(applications_app, "rup-ba01")
    officer_does(officer, url, "start_review")
    before = notes_of(applications_app, "cittadino")
    inbox.messages.clear()
    env = prepare(registry=applications_app.registry)
    try:
        request = env["request"]
        request.tm.begin()
        application = at(get_connection(request).root()["portal"], url)
        workflows.fire(application, None, "request_integration", "Serve un documento.",
                       registry=applications_app.registry)
        request.tm.abort()
    finally:
        env["closer"]()
    assert notes_of(applications_app, "cittadino") == before
    assert run_in_app(applications_app, lambda p: at(p, url).state) == "under_review"
    assert inbox.messages == []


def test_mark_read_and_mark_all(applications_app, codes, inbox):
    citizen, _, _url = integration_requested(applications_app, codes, inbox)
    notes, unread = notes_of(applications_app, "cittadino")
    assert unread >= 1
    first = next(n for n in notes if not n[2])
    post(citizen, "/@@messaggi", {"segna": first[4]})
    assert notes_of(applications_app, "cittadino")[1] == unread - 1
    post(citizen, "/@@messaggi", {"segna": first[4]})  # again: nothing more
    assert notes_of(applications_app, "cittadino")[1] == unread - 1
    post(citizen, "/@@messaggi", {"tutti": "1"})
    notes, after = notes_of(applications_app, "cittadino")
    assert after == 0
    assert all(n[2] for n in notes)
    assert "Non letto" not in citizen.get("/@@messaggi").text
    # without the CSRF token nothing changes; anonymous visitors are asked to log in
    citizen.post("/@@messaggi", {"tutti": "1"}, status=400)
    client(applications_app).get("/@@messaggi", status=(303, 403))


def test_unread_count_is_what_the_header_reads(applications_app, codes, inbox):
    integration_requested(applications_app, codes, inbox)
    env = prepare(registry=applications_app.registry)
    try:
        request = env["request"]
        request.tm.begin()
        assert unread_count(request) == 0  # anonymous
        expected = notes_of(applications_app, "cittadino")[1]
        assert expected >= 1
        assert service.unread(get_connection(request), "cittadino") == expected
        request.tm.abort()
    finally:
        env["closer"]()


def test_admitted_and_not_admitted_with_the_reason(applications_app, codes, inbox):
    _, url = submitted(applications_app, codes)
    matched(applications_app, url)
    officer = client(applications_app, "rup-ba01")
    officer_does(officer, url, "start_review")
    officer_does(officer, url, "declare_eligible")
    protocol = run_in_app(applications_app, lambda p: at(p, url).protocol)
    notes, _ = notes_of(applications_app, "cittadino")
    assert [n[3]["protocol"] for n in notes if n[0] == "ammessa"] == [protocol]
    assert any(s == f"Domanda {protocol} ammessa" for _, s, _ in mails(inbox))
    gallo = CALL + "/domanda-famiglia-gallo"
    officer_does(officer, gallo, "start_review")
    inbox.messages.clear()
    officer_does(officer, gallo, "declare_ineligible", motivo="documenti",
                 comment="Manca il documento d'identità.")
    notes, _unread = notes_of(applications_app, "famiglia-gallo")
    (note,) = [n for n in notes if n[0] == "non_ammessa"]
    assert note[5] == "Manca il documento d'identità."
    (to, subject, body), = mails(inbox)
    assert to == ["famiglia-gallo@example.it"]
    assert "non ammessa" in subject
    assert "Documentazione incompleta o non integrata nei termini" in body  # the reason
    assert "Manca il documento" not in body  # the officer's own words stay in the portal


def test_ranking_publication_notifies_each_applicant_once(applications_app, codes, inbox):
    _, url = submitted(applications_app, codes)
    matched(applications_app, url)
    officer = client(applications_app, "rup-ba01")
    queue = officer.get(QUEUE + "?stato=matched")
    chosen = re.findall(r'name="uid" value="([^"]+)"', queue.text)
    token = re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)
    for action, state in (("start_review", "matched"), ("declare_eligible", "under_review")):
        queue = officer.get(QUEUE + "?stato=" + state)
        officer.post(QUEUE, [("azione", action), ("csrf_token", token)]
                     + [("uid", u) for u in re.findall(r'name="uid" value="([^"]+)"',
                                                       queue.text)], status=303)
    assert len(chosen) == 4
    version_url = post(officer, RANKING).headers["Location"].replace(
        "http://localhost", "").rstrip("/")
    inbox.messages.clear()
    post(officer, version_url + "/@@pubblica", {"atto": "Determinazione n. 12/2026"})
    families = {"cittadino": url}
    families.update({f"famiglia-{who}": CALL + f"/domanda-famiglia-{who}"
                     for who in ("rossi", "esposito", "gallo")})
    for login, app_url in families.items():
        outcome = run_in_app(applications_app, lambda p, u=app_url: dict(
            at(p, u).ranking_outcome))
        notes, _ = notes_of(applications_app, login)
        ranking = [n for n in notes if n[0] == "graduatoria"]
        assert len(ranking) == 1, (login, notes)
        assert ranking[0][3]["position"] == outcome["position"]
        assert ranking[0][3]["version"] == 1
        received = [m for m in mails(inbox) if "Graduatoria" in m[1]
                    and m[0] == [f"{login}@example.it"]]
        assert len(received) == 1, (login, mails(inbox))
        funded = outcome["outcome"] == "finanziata"
        assert ("ammessa non finanziata" not in received[0][1]) == funded
    assert run_in_app(applications_app, lambda p: at(p, CALL + "/domanda-famiglia-gallo")
                      .state) == "admitted_unfunded"


def test_provider_match_request_and_one_reminder(applications_app, codes, inbox):
    inbox.messages.clear()
    _, url = submitted(applications_app, codes)
    protocol, deadline = run_in_app(applications_app, lambda p: (
        at(p, url).protocol, lapse.match_deadline(at(p, url), services.call_of(at(p, url)))))
    notes, _unread = notes_of(applications_app, "girasole")
    (request_note,) = [n for n in notes if n[0] == "abbinamento"]
    assert request_note[3]["protocol"] == protocol
    assert any(s == f"Nuovo abbinamento da confermare: domanda {protocol}"
               for _, s, _ in mails(inbox))
    # the link opens the match page while the provider may decide
    provider = client(applications_app, "girasole")
    opened = provider.get(f"/@@messaggi/{request_note[4]}", status=303)
    assert opened.headers["Location"].endswith(url + "/@@abbinamento")
    registry = applications_app.registry
    # too early: nothing; within the last days: once, however many passes run
    assert reminders.run_once(registry, now=deadline - timedelta(days=10)) == 0
    inbox.messages.clear()
    late = deadline - timedelta(days=1)
    assert reminders.run_once(registry, now=late) == 1
    assert reminders.run_once(registry, now=late + timedelta(hours=1)) == 0
    notes, _ = notes_of(applications_app, "girasole")
    assert len([n for n in notes if n[0] == "promemoria_abbinamento"]) == 1
    reminders_sent = [m for m in mails(inbox) if m[1].startswith("Promemoria")]
    assert len(reminders_sent) == 1
    assert protocol in reminders_sent[0][2]
    # a matched application is never reminded
    matched(applications_app, url)
    assert reminders.run_once(registry, now=late) == 0


def test_lapse_tells_the_family_once(applications_app, codes, inbox):
    _citizen, url = submitted(applications_app, codes)
    provider = client(applications_app, "girasole")
    page = provider.get(url + "/@@abbinamento")
    inbox.messages.clear()
    post(provider, url + "/@@abbinamento", {"decisione": "rifiuta",
                                            "motivo": "Sezione al completo",
                                            "_version": version_of(page)})
    protocol = run_in_app(applications_app, lambda p: at(p, url).protocol)
    notes, _ = notes_of(applications_app, "cittadino")
    (note,) = [n for n in notes if n[0] == "decaduta"]
    assert "Sezione al completo" in note[5]
    received = [m for m in mails(inbox) if protocol in m[1]]
    assert len(received) == 1
    assert received[0][1] == f"Domanda {protocol} decaduta"
    assert "Sezione al completo" not in received[0][2]


def test_a_link_to_what_the_reader_no_longer_sees_gives_a_clear_page(
        applications_app, codes, inbox):
    _, url = submitted(applications_app, codes)
    notes, _ = notes_of(applications_app, "girasole")
    (note,) = [n for n in notes if n[0] == "abbinamento"]
    protocol = run_in_app(applications_app, lambda p: at(p, url).protocol)

    def operator_leaves(portal):
        application = at(portal, url)
        set_local_roles(application, "user:girasole", set())
        applications_app.registry.notify(LocalRolesChanged(application))
    run_in_app(applications_app, operator_leaves)
    provider = client(applications_app, "girasole")
    provider.get(url, status=403)
    page = provider.get(f"/@@messaggi/{note[4]}", status=200)
    text = html.unescape(page.text)
    assert "Il contenuto di questo messaggio non è più disponibile per te" in text
    assert protocol not in text
    assert url not in text
    # an id that is not one's own message: the same page, nothing told
    other = provider.get("/@@messaggi/" + "0" * 32, status=200)
    assert "non è più disponibile per te" in html.unescape(other.text)
    assert notes_of(applications_app, "girasole")[0][0][2] is True  # opened: read


def test_after_the_integration_deadline_nothing_can_be_sent(
        applications_app, codes, inbox, tmp_path):
    citizen, _, url = integration_requested(applications_app, codes, inbox)

    def expire(portal):
        application = at(portal, url)
        application.integration_deadline = utcnow() - timedelta(minutes=1)
    run_in_app(applications_app, expire)
    before = run_in_app(applications_app, lambda p: (
        at(p, url).state, at(p, url).attachments, at(p, url).version_token()))
    page = citizen.get(url + "/@@integrazione")
    refused = post(citizen, url + "/@@integrazione",
                   {"invia": "1", "_version": version_of(page)}, status=409)
    text = " ".join(html.unescape(refused.text).split())
    assert "Il termine per inviare l'integrazione è scaduto il" in text
    upload = citizen.post(url + "/@@integrazione",
                          {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"',
                                                   page.text).group(1),
                           "_version": version_of(page), "kind": "altro"},
                          upload_files=[("file", "doc.pdf", b"%PDF-1.4 x")], status=409)
    assert "non è più possibile caricare documenti" in html.unescape(upload.text)
    assert run_in_app(applications_app, lambda p: (
        at(p, url).state, at(p, url).attachments, at(p, url).version_token())) == before
