"""Delivering notes: into the recipient's inbox in the current transaction, by e-mail after it.

Transaction-aware, no request: the workflow subscriber, the reminder pass and the inbox
views share it. The e-mail is a «mail» job (``portal.mail.queue``): nothing leaves if the
transaction aborts, and each note's e-mail has its own key, so a replay sends it once.
"""
from pyramid.traversal import find_resource, find_root, resource_path

import workflows
import workflows.application as wf
import workflows.attestation as att
from content_types.security import PROVIDER, USER_PREFIX
from content_types.values import utcnow
from portal import mail
from portal.applications import services
from portal.applications.rules import integration, lapse
from portal.applications.rules.errors import BenefitError
from portal.applications.rules.review import REASONS
from portal.notifications import rules
from portal.notifications.store import get_store

#: where the portal is reached from outside, for the links in e-mails (setting)
BASE_URL_SETTING = "notifications.base_url"


def base_url(settings):
    """``notifications.base_url``, else the origin of ``documents.verify_base_url``."""
    configured = (settings or {}).get(BASE_URL_SETTING)
    if configured:
        return configured.rstrip("/")
    verify = (settings or {}).get("documents.verify_base_url") or "http://localhost:6543/verifica"
    return verify.rstrip("/").removesuffix("/verifica")


def message_link(settings, note_id):
    return f"{base_url(settings)}/@@messaggi/{note_id}"


def email_of(root, login, application=None):
    """The applicant's address is the one given in the application (none: no e-mail), else the user's."""
    if application is not None and login == application.applicant_login:
        return application.email or ""
    users = root.get("utenti") if hasattr(root, "get") else None
    user = users.get(login) if users is not None else None
    return getattr(user, "email", "") or ""


def deliver(note, *, anchor, registry, now, txn, to=""):
    """Store ``note`` in its recipient's inbox and queue its e-mail; None if already delivered."""
    conn = anchor._p_jar
    if conn is None:
        raise ValueError("the object must be stored in the database")
    inbox = get_store(conn, create=True).inbox(note.recipient, create=True)
    stored = inbox.add(note.key, note.kind, rules.freeze(note.title), rules.freeze(note.body),
                       now, target_path=resource_path(anchor),
                       target_uid=getattr(anchor, "uid", ""), details=note.details or "",
                       target_view=note.target_view, target_permission=note.target_permission)
    if stored is None:
        return None
    if to:
        subject, body = rules.mail_text(note, message_link(registry.settings, stored.id))
        mail.queue(anchor, registry, to, subject, body,
                   key=note.mail_key or f"notifica:{note.recipient}:{note.key}", txn=txn)
    return stored


def _call_of(application):
    try:
        return services.call_of(application)
    except (AttributeError, KeyError, TypeError):
        return None  # an application outside a call folder (tests, broken data)


def facts_of(application, comment=""):
    """What the rules need to know of ``application`` now."""
    call = _call_of(application)
    entry = services.entry_of(application) if application.catalogue_entry_path else None
    try:
        match_day = lapse.last_day(application, call) if call is not None else None
    except BenefitError:
        match_day = None
    decision = application.decision or {}
    operators = tuple(p.split(":", 1)[1] for p in services.provider_operators(entry))
    return rules.Facts(
        uid=application.uid, protocol=application.protocol or "",
        call_title=getattr(call, "title", ""), state=application.state,
        applicant=application.applicant_login, delegate=application.delegate_login,
        operators=operators, match_day=match_day,
        integration_day=integration.last_day(application.integration_deadline),
        integration_round=sum(1 for h in workflows.history(application)
                              if h.get("transition") == wf.REQUEST_INTEGRATION),
        comment=comment or "",
        reason_titles=tuple(REASONS[c] for c in decision.get("reason_codes", ())
                            if c in REASONS),
        reason_text=decision.get("reason_text", "") or "",
        ranking=dict(application.ranking_outcome) if application.ranking_outcome else None)


def deliver_all(notes, application, registry, txn, now=None):
    """Deliver ``notes`` about ``application``; the stored notifications (new ones only)."""
    root = find_root(application)
    now = now or utcnow()
    stored = []
    for note in notes:
        done = deliver(note, anchor=application, registry=registry, now=now, txn=txn,
                       to=email_of(root, note.recipient, application))
        if done is not None:
            stored.append(done)
    return stored


def notify_transition(application, transition, comment, registry, txn, now=None):
    """The notes ``transition`` gives rise to, delivered."""
    notes = rules.notes_for(transition, facts_of(application, comment))
    return deliver_all(notes, application, registry, txn, now)


def _logins(principals):
    return tuple(p.split(":", 1)[1] for p in principals)


def operators_of(application):
    """The provider's operators on ``application`` (its local PROVIDER roles), else the entry's."""
    roles = getattr(application, "__local_roles__", None) or {}
    held = sorted(p for p, granted in roles.items()
                  if PROVIDER in granted and p.startswith(USER_PREFIX))
    if not held and getattr(application, "catalogue_entry_path", ""):
        held = services.provider_operators(services.entry_of(application))
    return _logins(held)


def attestation_facts(attestation, comment=""):
    """What the rules need to know of a monthly attestation now."""
    application = attestation.application
    return rules.AttestationFacts(
        uid=attestation.uid, month=attestation.month, protocol=attestation.protocol,
        beneficiary=attestation.beneficiary_name,
        family=tuple(dict.fromkeys(p for p in (application.applicant_login,
                                                application.delegate_login) if p)),
        operators=operators_of(application), comment=comment or "",
        round=sum(1 for h in workflows.history(attestation)
                  if h.get("transition") == att.REVISE))


def notify_attestation(attestation, event, comment, registry, txn, now=None):
    """The notes of ``event`` (rules.CREATED or a transition) on ``attestation``, delivered."""
    if attestation._p_jar is None:  # created in this transaction: stored with its application
        attestation.application._p_jar.add(attestation)
    notes = rules.attestation_notes(event, attestation_facts(attestation, comment))
    root = find_root(attestation)
    return [done for done in (
        deliver(note, anchor=attestation, registry=registry, now=now or utcnow(), txn=txn,
                to=email_of(root, note.recipient, attestation.application))
        for note in notes) if done is not None]


def act_facts(act):
    """One ``ActFacts`` per provider the act pays (read from its frozen lines)."""
    root = find_root(act)
    counts = {}
    for line in act.lines or ():
        counts[line.get("provider_path", "")] = counts.get(line.get("provider_path", ""), 0) + 1
    found = []
    for path, _title, amount in act.totals_by_provider or ():
        try:
            provider = find_resource(root, path)
        except KeyError:
            continue
        roles = getattr(provider, "__local_roles__", None) or {}
        operators = _logins(sorted(p for p, granted in roles.items()
                                   if PROVIDER in granted and p.startswith(USER_PREFIX)))
        found.append((provider, rules.ActFacts(
            uid=act.uid, protocol=act.protocol or "", period=act.period or "",
            provider_path=path, amount=amount, count=counts.get(path, 0),
            operators=operators)))
    return found


def notify_act(act, registry, txn, now=None):
    """Tell each provider an issued act pays it (the note links to the provider's page)."""
    stored = []
    for provider, facts in act_facts(act):
        root = find_root(provider)
        for note in rules.act_notes(facts):
            done = deliver(note, anchor=provider, registry=registry, now=now or utcnow(),
                           txn=txn, to=email_of(root, note.recipient))
            if done is not None:
                stored.append(done)
    return stored


def inbox_of(conn, login):
    store = get_store(conn)
    return store.inbox(login) if store is not None and login else None


def unread(conn, login):
    """The unread count of ``login`` (0 before any message)."""
    inbox = inbox_of(conn, login)
    return inbox.unread_count() if inbox is not None else 0


def mark_read(conn, login, note_id, now=None):
    inbox = inbox_of(conn, login)
    return inbox.mark_read(note_id, now or utcnow()) if inbox is not None else False


def mark_all_read(conn, login, now=None):
    inbox = inbox_of(conn, login)
    return inbox.mark_all_read(now or utcnow()) if inbox is not None else 0
